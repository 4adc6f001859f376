from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    name = "parecon.web.discussion"
    label = "discussion"
    verbose_name = _("Discussion")

    def ready(self) -> None:
        from parecon.web.discussion.demo import add_demo_threads
        from parecon.web.site.demo import DEMO_STEPS

        if all(name != "discussion" for name, _step in DEMO_STEPS):
            DEMO_STEPS.append(("discussion", add_demo_threads))
