from django.urls import path

from parecon.web.learn import views

app_name = "learn"
urlpatterns = [
    path("", views.index, name="index"),
    path("summary/", views.summary, name="summary"),
    path("summary.pdf", views.summary_pdf, name="summary_pdf"),
    path("guide/", views.guide, name="guide"),
    path("guide.pdf", views.guide_pdf, name="guide_pdf"),
    path("planning/", views.planning, name="planning"),
]
