"""The demo's games: one waiting for a room, one played for five rounds and debriefed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_demo_has_a_game_to_join_and_a_debriefed_one() -> None:
    from parecon.web.learn.models import Game
    from parecon.web.site.demo import load_demo

    people = load_demo()
    waiting = Game.objects.get(status="lobby")
    assert waiting.facilitator == people["ada"] and waiting.seats.count() == 120
    played = Game.objects.get(status="finished")
    gaps = [r.max_gap for r in played.rounds.filter(status="closed").order_by("number")]
    assert len(gaps) == 5 and gaps[-1] < gaps[0]
    assert played.debrief["rounds"] == 5 and len(played.debrief["players"]) == 12
    client = Client()
    client.force_login(people["ada"])
    page = client.get(reverse("learn:game_debrief", args=[played.code])).content.decode()
    assert "Who gained what" in page and "Marta" in page
    joined = Client().post(reverse("learn:join"), {"code": waiting.code, "name": "Visitor"})
    assert joined.status_code == 302
