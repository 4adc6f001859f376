from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "parecon.web.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from parecon.web.calendars.feeds import register_chapter_source, register_personal_source
        from parecon.web.meetings import selectors
        from parecon.web.meetings.demo import register_demo

        register_personal_source("meetings", selectors.member_feed)
        register_chapter_source("meetings", selectors.chapter_feed)
        register_demo()
