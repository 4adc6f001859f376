from django.urls import path

from parecon.web.meetings import views

app_name = "meetings"
urlpatterns = [
    path("chapter/<slug:slug>/", views.chapter_page, name="chapter"),
    path("chapter/<slug:slug>/schedule/", views.schedule, name="schedule"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/invite.ics", views.invite, name="invite"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/<int:item>/remove/", views.agenda_remove, name="agenda_remove"),
    path("<int:pk>/roles/", views.roles, name="roles"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/decisions/", views.decision, name="decision"),
    path("<int:pk>/follow-ups/", views.follow_up, name="follow_up"),
    path("<int:pk>/follow-ups/<int:task>/done/", views.follow_up_done, name="follow_up_done"),
    path("<int:pk>/publish/", views.publish, name="publish"),
]
