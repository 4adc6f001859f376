from django.urls import path

from parecon.web.chapters import views

app_name = "chapters"
urlpatterns = [
    path("", views.chapter_list, name="list"),
    path("<slug:slug>/", views.chapter_detail, name="detail"),
    path("<slug:slug>/members/", views.chapter_members, name="members"),
    path("<slug:slug>/log/", views.chapter_log_page, name="log"),
    path("<slug:slug>/join/", views.chapter_join, name="join"),
    path("<slug:slug>/leave/", views.chapter_leave, name="leave"),
    path("<slug:slug>/edit/", views.chapter_edit, name="edit"),
    path("<slug:slug>/invite/", views.chapter_invite, name="invite"),
    path("<slug:slug>/roles/", views.chapter_roles, name="roles"),
    path("<slug:slug>/roles/<int:pk>/revoke/", views.role_revoke, name="revoke"),
    path(
        "<slug:slug>/requests/<int:pk>/<str:verdict>/",
        views.join_request_decide,
        name="decide_request",
    ),
]
