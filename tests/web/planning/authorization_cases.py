"""Write cases of the councils and planning routes for the foundation's sweep.

The world gains a facilitator (``fac``), a council member (``north``), councils, an
open plan, a converged plan and a plan up for ratification.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.web.authorization import WORLD_HOOKS, api_write, page_reads, page_write

NOT_MEMBERS = ("anonymous", "outsider", "plain")

page_reads(
    "councils:list",
    "councils:detail",
    "planning:list",
    "planning:detail",
    "planning:chart",
    "planning:live",
    "planning:export_json",
    "planning:export_csv",
    "planning:proposal",
    "planning:councils",
)


def _plan(w: Any, name: str) -> Any:
    from parecon.web.planning import services
    from parecon.web.planning.catalogue import goods_from_csv

    return services.open_plan(
        w.users["fac"],
        w.chapter,
        services.PlanSettings(
            name=name,
            period="2027",
            goods=goods_from_csv(
                "name,unit,category,price\nbread,loaf,private,2\nwork,hour,labour,1\n"
            ),
            councils=[(w.north, 100.0), (w.bakery, None)],
            deadlines=[timezone.now() + timedelta(days=2)],
        ),
    )


def _planning_world(w: Any) -> None:
    from parecon.web.chapters import services as chapters
    from parecon.web.councils import services as councils
    from parecon.web.members.models import Member
    from parecon.web.planning import services
    from parecon.web.planning.closing import close_round

    now = timezone.now()
    for key in ("fac", "north"):
        m = Member.objects.create_user(f"{key}@example.org", "a-long-test-password", name=key)
        chapters.join(m, w.chapter)
        w.users[key] = m
        client = Client()
        client.force_login(m)
        w.clients[key] = client
    chapters.grant_role(
        w.users["admin"],
        w.chapter,
        w.users["fac"],
        "facilitator",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=30),
    )
    w.north = councils.create_council(
        w.users["fac"], w.chapter, name="North", level="neighbourhood"
    )
    w.bakery = councils.create_council(w.users["fac"], w.chapter, name="Bakery", level="workplace")
    councils.join_council(w.users["north"], w.north)
    w.plan = _plan(w, "Open plan")
    w.round = w.plan.rounds.get()
    w.draft = services.draft_for(w.users["north"], w.round, w.north)
    services.save_draft(w.users["north"], w.draft, {("demand", 0): ("10", 0)})
    # The bakery submits, so that other councils can review its proposal.
    baker = Member.objects.create_user("baker@example.org", "a-long-test-password", name="baker")
    chapters.join(baker, w.chapter)
    councils.join_council(baker, w.bakery)
    bakery = services.draft_for(baker, w.round, w.bakery)
    services.save_draft(baker, bakery, {("supply", 0): ("10", 0), ("demand", 1): ("2", 0)})
    services.submit(baker, bakery)
    w.converged = _plan(w, "Converged plan")
    close_round(w.users["fac"], w.converged.rounds.get())  # no proposals: every gap is 0
    w.proposed = _plan(w, "Proposed plan")
    close_round(w.users["fac"], w.proposed.rounds.get())
    services.propose_plan(w.users["fac"], w.proposed)


WORLD_HOOKS.append(_planning_world)


# --- councils ---------------------------------------------------------------------
@page_write("councils:new", right="admin")
def _new_council(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("councils:new", args=[w.chapter.slug]), {"name": "Mill", "level": "workplace"}


@page_write("councils:join", right="plain", wrong=("anonymous", "outsider"))
def _join(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("councils:join", args=[w.north.slug]), {}


@page_write("councils:leave", right="north")
def _leave(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("councils:leave", args=[w.north.slug]), {}


@api_write("POST", "/api/councils", right="admin")
def _api_new(w: Any) -> tuple[str, dict[str, Any]]:
    return "/api/councils", {"chapter": w.chapter.slug, "name": "Mill", "level": "workplace"}


@api_write("POST", "/api/councils/{slug}/join", right="plain", wrong=("anonymous", "outsider"))
def _api_join(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/councils/{w.north.slug}/join", {}


@api_write("POST", "/api/councils/{slug}/leave", right="north")
def _api_leave(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/councils/{w.north.slug}/leave", {}


# --- planning ---------------------------------------------------------------------
@page_write("planning:new", right="fac", wrong=(*NOT_MEMBERS, "admin", "north"))
def _new_plan(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("planning:new", args=[w.chapter.slug]), {
        "name": "Next",
        "period": "2028",
        "source": "csv",
        "goods_csv": "name,unit,category,price\nbread,loaf,private,2\n",
        "rule": "informed",
        "tolerance": "0.03",
        "max_rounds": "10",
        "round_days": "7",
        "budget": "100",
        "councils": [str(w.north.pk)],
    }


@page_write("planning:close", right="fac", wrong=(*NOT_MEMBERS, "admin", "north"))
def _close(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("planning:close", args=[w.plan.pk]), {"round": "1"}


@page_write("planning:propose", right="fac", wrong=(*NOT_MEMBERS, "admin", "north"))
def _propose(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("planning:propose", args=[w.converged.pk]), {}


@page_write("planning:ratify", right="north", wrong=(*NOT_MEMBERS, "fac"))
def _ratify(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("planning:ratify", args=[w.proposed.pk, w.north.slug]), {"answer": "consent"}


@page_write("planning:draft", right="north", wrong=(*NOT_MEMBERS, "fac"))
def _draft(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("planning:draft", args=[w.plan.pk, w.north.slug]), {
        "q-demand-0": "12",
        "b-demand-0": "10",
        "v-demand-0": "1",
        "action": "save",
    }


@page_write("planning:review", right="north", wrong=(*NOT_MEMBERS, "fac"))
def _review(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("planning:review", args=[w.plan.pk, w.bakery.slug]), {
        "reviewer": w.north.slug,
        "verdict": "object",
        "reason": "Too little bread",
    }


@api_write(
    "POST",
    "/api/proposals/{round_id}/{council}/reviews",
    right="north",
    wrong=(*NOT_MEMBERS, "fac"),
)
def _api_review(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/proposals/{w.round.pk}/{w.bakery.slug}/reviews", {
        "reviewer": w.north.slug,
        "verdict": "approve",
    }


@api_write("POST", "/api/rounds/{round_id}/close", right="fac", wrong=(*NOT_MEMBERS, "north"))
def _api_close(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/rounds/{w.round.pk}/close", {}


@api_write("PUT", "/api/proposals/{round_id}/{council}", right="north", wrong=(*NOT_MEMBERS, "fac"))
def _api_put(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/proposals/{w.round.pk}/{w.north.slug}", {
        "lines": [{"side": "demand", "good": 0, "quantity": "11", "version": 1}]
    }


@api_write(
    "POST", "/api/proposals/{round_id}/{council}/submit", right="north", wrong=(*NOT_MEMBERS, "fac")
)
def _api_submit(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/proposals/{w.round.pk}/{w.north.slug}/submit", {}
