from django.urls import path

from parecon.web.members import views

app_name = "members"
urlpatterns = [
    path("me/", views.edit_profile, name="edit"),
    path("me/export.json", views.export, name="export"),
    path("me/delete/", views.delete_account, name="delete"),
    path("me/tokens/", views.tokens, name="tokens"),
    path("me/tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
    path("near/", views.near_me, name="near"),
    path("places/", views.place_search, name="places"),
    path("<int:pk>/", views.profile, name="profile"),
    path("<int:pk>/photo", views.photo, name="photo"),
]
