from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EffortConfig(AppConfig):
    name = "parecon.web.effort"
    label = "effort"
    verbose_name = _("Effort and allowances")

    def ready(self) -> None:
        from parecon.web.effort.budgets import budgets_on_open
        from parecon.web.effort.demo import register_demo
        from parecon.web.planning.services import PLAN_OPENED_HOOKS

        if budgets_on_open not in PLAN_OPENED_HOOKS:
            PLAN_OPENED_HOOKS.append(budgets_on_open)
        register_demo()
