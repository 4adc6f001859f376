from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "parecon.web.planning"
    label = "planning"
    verbose_name = _("Planning")

    def ready(self) -> None:
        from parecon.web.planning.demo import register

        register()
