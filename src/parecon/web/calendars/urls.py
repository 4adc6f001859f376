from django.urls import path

from parecon.web.calendars import views

app_name = "calendars"
urlpatterns = [
    path("", views.my_feed, name="mine"),
    path("issue/", views.issue, name="issue"),
    path("revoke/", views.revoke, name="revoke"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("chapter/<slug:slug>.ics", views.chapter_feed, name="chapter"),
]
