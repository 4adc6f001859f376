from django.urls import path

from parecon.web.learn import explainer_views, game_views, views

app_name = "learn"
urlpatterns = [
    path("", views.index, name="index"),
    path("summary/", views.summary, name="summary"),
    path("summary.pdf", views.summary_pdf, name="summary_pdf"),
    path("guide/", views.guide, name="guide"),
    path("guide.pdf", views.guide_pdf, name="guide_pdf"),
    path("planning/", views.planning, name="planning"),
    path("jobs/", explainer_views.jobs, name="jobs"),
    path("effort/", explainer_views.effort, name="effort"),
    path("affected/", explainer_views.affected, name="affected"),
    path("play/", game_views.join, name="join"),
    path("play/<str:code>/", game_views.play, name="play"),
    path("play/<str:code>/status/", game_views.play_status, name="play_status"),
    path("games/new/<slug:slug>/", game_views.game_new, name="game_new"),
    path("games/<str:code>/", game_views.projector, name="projector"),
    path("games/<str:code>/live/", game_views.projector_live, name="projector_live"),
    path("games/<str:code>/open/", game_views.game_open, name="game_open"),
    path("games/<str:code>/close/", game_views.game_close, name="game_close"),
    path("games/<str:code>/tick/", game_views.game_tick, name="game_tick"),
    path("games/<str:code>/extend/", game_views.game_extend, name="game_extend"),
    path("games/<str:code>/finish/", game_views.game_finish, name="game_finish"),
    path("games/<str:code>/debrief/", game_views.debrief, name="game_debrief"),
]
