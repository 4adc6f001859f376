from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonsConfig(AppConfig):
    name = "parecon.web.commons"
    label = "commons"
    verbose_name = _("Commons")

    def ready(self) -> None:
        from parecon.web.commons.demo import demo_step
        from parecon.web.site.demo import DEMO_STEPS
        from parecon.web.treasury.demo import budget_step

        if all(name != "commons" for name, _step in DEMO_STEPS):
            DEMO_STEPS.append(("commons", demo_step))
        # The budget's step needs the needs board and the projects: it runs after them.
        if all(name != "budget" for name, _step in DEMO_STEPS):
            DEMO_STEPS.append(("budget", budget_step))
