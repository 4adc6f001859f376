"""The demo community's meetings and projects step runs and shows what the issue asks."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_demo_schedules_by_poll_and_publishes_a_past_meeting(make_member: Any) -> None:
    from parecon.web.meetings.models import Meeting
    from parecon.web.polls.models import TimePoll
    from parecon.web.polls.selectors import invitee_members, poll_result
    from parecon.web.projects.models import Project
    from parecon.web.projects.selectors import newcomer_stats
    from parecon.web.site.demo import load_demo

    load_demo()
    poll = TimePoll.objects.get(invitees="chapter")
    result = poll_result(poll)
    assert len(result.best) == 1 and sum(s.score for s in result.scores) > 10
    assert poll.guests.count() == 1
    past = Meeting.objects.get()
    assert past.published_at is not None and past.agenda.count() == 5
    assert past.decisions.count() == 2 and past.follow_ups.count() == 3
    # The room's decisions were counted by the decisions engine.
    assert {t.decision.result["outcome"] for t in past.decisions.all()} == {"adopted"}
    # The food federation's poll reaches its workplaces' members, not the whole chapter.
    federation = TimePoll.objects.get(invitees="council")
    invited = {m.name.split()[0].lower() for m in invitee_members(federation)}
    from parecon.web.councils.models import CouncilMembership

    assert federation.council is not None
    workers = {
        cm.member.name.split()[0].lower()
        for cm in CouncilMembership.objects.active().filter(council__parent=federation.council)
    }
    assert {"ada", "bruno", "carla", "farid", "hugo"} <= invited == workers
    garden = Project.objects.get()
    assert garden.participants.filter(newcomer__isnull=False).count() == 1
    stats = newcomer_stats(garden.chapter)
    assert (stats.newcomers, stats.came_back) == (2, 1)
