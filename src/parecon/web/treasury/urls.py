from django.urls import path

from parecon.web.treasury import budget_views, views

app_name = "treasury"
urlpatterns = [
    path("<slug:slug>/", views.home, name="home"),
    path("<slug:slug>/income/", views.income, name="income"),
    path("<slug:slug>/expenses/", views.expense, name="expense"),
    path("<slug:slug>/expenses/<int:pk>/approve/", views.approve, name="approve"),
    path("<slug:slug>/expenses/<int:pk>/refuse/", views.refuse, name="refuse"),
    path("<slug:slug>/entries/<int:pk>/correct/", views.correct, name="correct"),
    path("<slug:slug>/dues/", views.band, name="band"),
    path("<slug:slug>/statement/", views.statement, name="statement"),
    path("<slug:slug>/report/", views.report, name="report"),
    path("<slug:slug>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<slug:slug>/journal.csv", views.journal, name="journal"),
    path("<slug:slug>/chapter-report/", views.chapter_report, name="chapter_report"),
    path("<slug:slug>/chapter-report.pdf", views.chapter_report_pdf, name="chapter_report_pdf"),
    path("<slug:slug>/budgets/", budget_views.budgets, name="budgets"),
    path("<slug:slug>/budgets/open/", budget_views.open_budget, name="open_budget"),
    path("<slug:slug>/budgets/<int:pk>/", budget_views.budget, name="budget"),
    path(
        "<slug:slug>/budgets/<int:pk>/proposers/", budget_views.add_proposer, name="budget_proposer"
    ),
    path(
        "<slug:slug>/budgets/<int:pk>/proposers/<int:proposer>/",
        budget_views.propose,
        name="budget_propose",
    ),
    path("<slug:slug>/budgets/<int:pk>/close/", budget_views.close_round, name="budget_close"),
    path("<slug:slug>/budgets/<int:pk>/adopt/", budget_views.adopt, name="budget_adopt"),
    path("<slug:slug>/budgets/<int:pk>/decision/", budget_views.put_to_chapter, name="budget_put"),
]
