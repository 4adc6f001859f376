from django.urls import path

from parecon.web.polls import views

app_name = "polls"
urlpatterns = [
    path("new/<slug:slug>/", views.poll_new, name="new"),
    path("<int:pk>/", views.poll_detail, name="detail"),
    path("<int:pk>/answer/", views.poll_answer, name="answer"),
    path("<int:pk>/options/", views.poll_add_options, name="options"),
    path("<int:pk>/guests/", views.poll_invite_guest, name="guests"),
    path("<int:pk>/guests/<int:guest_id>/revoke/", views.poll_revoke_guest, name="revoke_guest"),
    path("<int:pk>/finalise/", views.poll_finalise, name="finalise"),
    path("guest/<str:token>/", views.poll_guest, name="guest"),
    path("guest/<str:token>/invite.ics", views.poll_guest_invite, name="guest_invite"),
]
