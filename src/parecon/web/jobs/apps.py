from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "parecon.web.jobs"
    label = "jobs"
    verbose_name = _("Shared work")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from parecon.web.calendars.feeds import register_personal_source
        from parecon.web.commons.models import FollowUp as OrganisationFollowUp
        from parecon.web.commons.services import task_hook
        from parecon.web.jobs import selectors, services
        from parecon.web.jobs.demo import register_demo
        from parecon.web.meetings.models import FollowUpTask

        def adopt(sender: object, instance: FollowUpTask, created: bool, **kw: object) -> None:
            if created:
                services.adopt_follow_up(instance)

        # Every follow-up of a meeting or project is a one-off task of the one task model.
        post_save.connect(
            adopt, sender=FollowUpTask, weak=False, dispatch_uid="jobs.adopt_follow_up"
        )

        def contact(
            sender: object, instance: OrganisationFollowUp, created: bool, **kw: object
        ) -> None:
            if created:
                services.task_for_contact(instance)

        # ... and so is every contact with an organisation that outreach plans.
        post_save.connect(
            contact, sender=OrganisationFollowUp, weak=False, dispatch_uid="jobs.contact"
        )
        if services.task_for_match not in task_hook:
            task_hook.append(services.task_for_match)
        register_personal_source("shifts", selectors.member_feed)
        register_demo()
