from django.urls import path

from parecon.web.effort import views

app_name = "effort"
urlpatterns = [
    path("workplaces/<slug:slug>/", views.workplace, name="workplace"),
    path("workplaces/<slug:slug>/new/", views.new_period, name="new_period"),
    path("periods/<int:pk>/", views.period, name="period"),
    path("periods/<int:pk>/rate/", views.rate, name="rate"),
    path("periods/<int:pk>/coworkers/", views.coworkers, name="coworkers"),
    path("periods/<int:pk>/hours/", views.log, name="log"),
    path("periods/<int:pk>/pool/", views.pool, name="pool"),
    path("periods/<int:pk>/compute/", views.compute, name="compute"),
    path("periods/<int:pk>/needs/", views.needs, name="needs"),
    path("periods/<int:pk>/appeal/", views.appeal, name="appeal"),
    path("logs/<int:pk>/<str:verdict>/", views.confirm, name="confirm"),
    path("needs/<int:pk>/<str:verdict>/", views.decide_needs, name="decide_needs"),
    path("appeals/<int:pk>/", views.resolve, name="resolve"),
    path("household/", views.household, name="household"),
    path("households/<slug:slug>/", views.household_page, name="household_page"),
    path("plans/<int:pk>/budgets/", views.plan_budgets, name="plan_budgets"),
]
