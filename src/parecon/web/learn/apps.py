from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearnConfig(AppConfig):
    name = "parecon.web.learn"
    label = "learn"
    verbose_name = _("Learn")

    def ready(self) -> None:
        from parecon.web.learn.demo import register

        register()
