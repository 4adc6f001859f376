from django.urls import path

from parecon.web.commons import views

app_name = "commons"
urlpatterns = [
    path("<slug:slug>/", views.board, name="board"),
    path("<slug:slug>/new/", views.new, name="new"),
    path("<slug:slug>/posts/<int:pk>/", views.detail, name="detail"),
    path("<slug:slug>/posts/<int:pk>/edit/", views.edit, name="edit"),
    path("<slug:slug>/posts/<int:pk>/close/", views.close, name="close"),
    path("<slug:slug>/posts/<int:pk>/accept/", views.accept, name="accept"),
    path("<slug:slug>/matches/<int:pk>/returned/", views.returned, name="returned"),
    path("<slug:slug>/mine/", views.history, name="history"),
    path("<slug:slug>/organisations/", views.organisations, name="organisations"),
    path("<slug:slug>/organisations/new/", views.add_organisation, name="add_organisation"),
    path("<slug:slug>/organisations/<int:pk>/", views.organisation, name="organisation"),
    path("<slug:slug>/organisations/<int:pk>/followups/", views.followup, name="followup"),
    path("<slug:slug>/followups/<int:pk>/done/", views.followup_done, name="followup_done"),
    path("<slug:slug>/organisations/<int:pk>/notes/", views.note, name="note"),
    path(
        "<slug:slug>/organisations/<int:pk>/evaluations/",
        views.link_evaluation,
        name="link_evaluation",
    ),
]
