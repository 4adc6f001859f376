from django.urls import path

from parecon.web.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.home, name="home"),
    path("tasks/<int:pk>/rate/", views.rate, name="rate"),
    path("tasks/<int:pk>/retire/", views.retire_task, name="retire"),
    path("balances/<int:pk>/", views.balance_page, name="balance"),
    path("balances/<int:pk>/progress/", views.progress, name="progress"),
    path("balances/<int:pk>/publish/", views.publish, name="publish"),
    path("balances/<int:pk>/mine/", views.mine, name="mine"),
    path("balances/<int:pk>/mine.ics", views.mine_ics, name="mine_ics"),
    path("balances/<int:pk>/partners/", views.partners, name="partners"),
    path("balances/<int:pk>/swaps/new/", views.new_swap, name="new_swap"),
    path("swaps/<int:pk>/answer/", views.answer_swap, name="answer_swap"),
    path("<str:kind>/<slug:slug>/", views.tasks, name="tasks"),
    path("<str:kind>/<slug:slug>/tasks/new/", views.new_task, name="new_task"),
    path("<str:kind>/<slug:slug>/hours/", views.set_hours, name="set_hours"),
    path(
        "<str:kind>/<slug:slug>/qualifications/new/",
        views.add_qualification,
        name="add_qualification",
    ),
    path(
        "<str:kind>/<slug:slug>/qualifications/grant/",
        views.grant_qualification,
        name="grant_qualification",
    ),
    path("<str:kind>/<slug:slug>/balances/", views.balances, name="balances"),
    path("<str:kind>/<slug:slug>/balances/new/", views.request_balance, name="request_balance"),
]
