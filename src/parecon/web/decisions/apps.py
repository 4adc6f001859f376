from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "parecon.web.decisions"
    label = "decisions"
    verbose_name = _("Decisions")

    def ready(self) -> None:
        from parecon.web.decisions.demo import demo_step
        from parecon.web.site.demo import DEMO_STEPS

        if all(name != "decisions" for name, _step in DEMO_STEPS):
            DEMO_STEPS.append(("decisions", demo_step))
