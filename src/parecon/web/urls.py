"""The platform's URLs: pages per app, allauth's accounts, the API, the admin."""

from django.contrib import admin
from django.urls import include, path

from parecon.web.api import api
from parecon.web.site import views as site_views

urlpatterns = [
    path("", include("parecon.web.site.urls")),
    path("accounts/", include("allauth.urls")),
    path("members/", include("parecon.web.members.urls")),
    path("chapters/", include("parecon.web.chapters.urls")),
    path("councils/", include("parecon.web.councils.urls")),
    path("plans/", include("parecon.web.planning.urls")),
    path("threads/", include("parecon.web.discussion.urls")),
    path("decisions/", include("parecon.web.decisions.urls")),
    path("treasury/", include("parecon.web.treasury.urls")),
    path("calendar/", include("parecon.web.calendars.urls")),
    path("polls/", include("parecon.web.polls.urls")),
    path("meetings/", include("parecon.web.meetings.urls")),
    path("projects/", include("parecon.web.projects.urls")),
    path("evaluations/", include("parecon.web.evaluations.urls")),
    path("commons/", include("parecon.web.commons.urls")),
    path("learn/", include("parecon.web.learn.urls")),
    path("work/", include("parecon.web.jobs.urls")),
    path("effort/", include("parecon.web.effort.urls")),
    path("i18n/setlang/", site_views.set_language, name="set_language"),
    path("api/", api.urls),
    path("operator/", admin.site.urls),
]
