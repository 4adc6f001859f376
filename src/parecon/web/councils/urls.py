from django.urls import path

from parecon.web.councils import views

app_name = "councils"
urlpatterns = [
    path("", views.council_list, name="list"),
    path("new/<slug:slug>/", views.council_new, name="new"),
    path("<slug:slug>/", views.council_detail, name="detail"),
    path("<slug:slug>/join/", views.council_join, name="join"),
    path("<slug:slug>/leave/", views.council_leave, name="leave"),
]
