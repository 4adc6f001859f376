from django.urls import path

from parecon.web.evaluations import views

app_name = "evaluations"
urlpatterns = [
    path("", views.library, name="library"),
    path("new/<slug:slug>/", views.new, name="new"),
    path("compare/", views.compare, name="compare"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/rate/", views.rate, name="rate"),
    path("<int:pk>/fork/", views.fork, name="fork"),
    path("<int:pk>/summary/", views.summary_page, name="summary"),
    path("<int:pk>/summary.pdf", views.summary_pdf, name="pdf"),
]
