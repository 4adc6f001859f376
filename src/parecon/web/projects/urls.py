from django.urls import path

from parecon.web.projects import views

app_name = "projects"
urlpatterns = [
    path("chapter/<slug:slug>/", views.chapter_page, name="chapter"),
    path("chapter/<slug:slug>/new/", views.new_project, name="new_project"),
    path("chapter/<slug:slug>/events/new/", views.new_event, name="new_event"),
    path("<int:pk>/", views.project_page, name="project"),
    path("<int:pk>/commit/", views.commit, name="commit"),
    path("<int:pk>/tasks/", views.project_task, name="task"),
    path("<int:pk>/join/", views.project_join, name="project_join"),
    path("events/<int:pk>/", views.event_page, name="event"),
    path("events/<int:pk>/rsvp/", views.rsvp, name="rsvp"),
    path("events/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("events/<int:pk>/join/", views.event_join, name="event_join"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
]
