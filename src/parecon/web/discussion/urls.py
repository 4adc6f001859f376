from django.urls import path

from parecon.web.discussion import views

app_name = "discussion"
urlpatterns = [
    path("in/<slug:slug>/", views.chapter_threads, name="chapter"),
    path("in/<slug:slug>/flags/", views.chapter_flags, name="flags"),
    path("<int:pk>/", views.thread_detail, name="thread"),
    path("<int:pk>/reply/", views.thread_reply, name="reply"),
    path("posts/<int:pk>/edit/", views.post_edit, name="edit"),
    path("posts/<int:pk>/history/", views.post_history, name="history"),
    path("posts/<int:pk>/flag/", views.post_flag, name="flag"),
    path("posts/<int:pk>/hide/", views.post_hide, name="hide"),
    path("posts/<int:pk>/unhide/", views.post_unhide, name="unhide"),
    path("flags/<int:pk>/dismiss/", views.flag_dismiss, name="dismiss"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="read"),
    path("notifications/badge/", views.unread_badge, name="badge"),
]
