from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "parecon.web.evaluations"
    label = "evaluations"
    verbose_name = _("Evaluating institutions")

    def ready(self) -> None:
        from parecon.web.evaluations.demo import register_demo

        register_demo()
