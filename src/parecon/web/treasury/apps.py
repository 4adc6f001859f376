from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TreasuryConfig(AppConfig):
    name = "parecon.web.treasury"
    label = "treasury"
    verbose_name = _("Treasury")

    def ready(self) -> None:
        from parecon.web.site.demo import DEMO_STEPS
        from parecon.web.treasury.demo import demo_step

        if all(name != "treasury" for name, _step in DEMO_STEPS):
            DEMO_STEPS.append(("treasury", demo_step))
