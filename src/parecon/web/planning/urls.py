from django.urls import path

from parecon.web.planning import views

app_name = "planning"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/<slug:slug>/", views.plan_new, name="new"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/chart.svg", views.plan_chart, name="chart"),
    path("<int:pk>/live/", views.round_live, name="live"),
    path("<int:pk>/close/", views.round_close, name="close"),
    path("<int:pk>/propose/", views.plan_propose, name="propose"),
    path("<int:pk>/ratify/<slug:slug>/", views.plan_ratify, name="ratify"),
    path("<int:pk>/export.json", views.plan_export_json, name="export_json"),
    path("<int:pk>/export.csv", views.plan_export_csv, name="export_csv"),
    path("<int:pk>/councils/", views.plan_councils, name="councils"),
    path("<int:pk>/councils/<slug:slug>/", views.council_draft, name="draft"),
    path("<int:pk>/councils/<slug:slug>/review/", views.proposal_review, name="review"),
    path("<int:pk>/proposals/<slug:slug>/", views.worker_proposal, name="proposal"),
]
