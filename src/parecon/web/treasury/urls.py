from django.urls import path

from parecon.web.treasury import views

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
]
