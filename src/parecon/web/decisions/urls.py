from django.urls import path

from parecon.web.decisions import views

app_name = "decisions"
urlpatterns = [
    path("chapter/<slug:slug>/", views.decision_list, name="list"),
    path("chapter/<slug:slug>/propose/", views.propose, name="propose"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/open/", views.open_voting, name="open"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/challenge/", views.challenge, name="challenge"),
    path("<int:pk>/outcome/", views.outcome, name="outcome"),
    path("<int:pk>/minority/", views.minority, name="minority"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/room/", views.room_count, name="room"),
    path("<int:pk>/ballots.csv", views.ballots_csv, name="ballots_csv"),
    path("<int:pk>/pull-down/", views.pull_down, name="pull_down"),
    path("chapter/<slug:slug>/rules/", views.rules_page, name="rules"),
    path("chapter/<slug:slug>/documents/", views.documents, name="documents"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>/history/", views.document_history, name="document_history"),
    path("documents/<int:pk>/amend/", views.amend, name="amend"),
    path("documents/<int:pk>/preview/", views.amend_preview, name="amend_preview"),
]
