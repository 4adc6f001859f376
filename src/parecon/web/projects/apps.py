from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "parecon.web.projects"
    label = "projects"
    verbose_name = _("Projects and events")

    def ready(self) -> None:
        from parecon.web.calendars.feeds import register_chapter_source, register_personal_source
        from parecon.web.projects import selectors
        from parecon.web.projects.demo import register_demo

        register_personal_source("events", selectors.member_event_feed)
        register_chapter_source("events", selectors.chapter_event_feed)
        register_demo()
