"""Schemathesis against the OpenAPI document: no operation answers with a server error.

Authenticated as a chapter admin with a write token; path parameters are mapped to
real objects (the chapter, a pending join request, a current grant, a member), so the
generated calls reach the services instead of stopping at a 404. Each operation must
also succeed (2xx) at least once, so the run tests more than the log-in check.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
)

from parecon.web.api import api
from tests.web.commons import schemathesis_cases as commons_cases
from tests.web.decisions import schemathesis_cases as decisions_cases
from tests.web.effort import schemathesis_cases as effort_cases
from tests.web.jobs import schemathesis_cases as jobs_cases
from tests.web.learn import schemathesis_cases as learn_cases
from tests.web.meetings import schemathesis_objects
from tests.web.treasury import schemathesis_cases as treasury_cases

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api"))
REAL: dict[str, Any] = {}
STATUSES: dict[str, list[int]] = defaultdict(list)


@schema.hook
def map_case(context: Any, case: Any) -> Any:
    params = case.path_parameters or {}
    for name in list(params):
        if name in REAL:
            params[name] = REAL[name]
    if case.operation.path.endswith("/join") and "slug" in params and "other_slug" in REAL:
        params["slug"] = REAL["other_slug"]  # the admin is already in their own chapter
    if isinstance(case.body, dict) and "member_id" in case.body and "member_id" in REAL:
        case.body["member_id"] = REAL["member_id"]
    params.update(
        (k, v)
        for k, v in REAL.get("per_path", {}).get(case.operation.path, {}).items()
        if k in params
    )
    for given in (case.query, case.body):
        if isinstance(given, dict) and "chapter" in given and "slug" in REAL:
            given["chapter"] = REAL["slug"]
    if "decision_id" in params and "decisions" in REAL:
        suffix = case.operation.path.rsplit("}", 1)[-1]
        params["decision_id"] = REAL["decisions"].get(suffix, REAL["decisions"][""])
        if suffix == "/votes" and isinstance(case.body, dict):
            case.body["choice"] = "consent"
        if suffix == "/room-counts" and isinstance(case.body, dict):
            for row in case.body.get("rows") or []:
                if isinstance(row, dict):
                    row.update(choice="consent", ranking="", marks="", weight="1")
    if case.operation.path.startswith(
        ("/api/councils", "/api/plans", "/api/rounds", "/api/proposals")
    ):
        _map_planning(case, params)
    if case.operation.path == "/api/decisions" and "slug" in REAL:
        if isinstance(case.query, dict):
            case.query["chapter"] = REAL["slug"]
        if isinstance(case.body, dict):
            case.body.update(chapter=REAL["slug"], method="consent", anonymous=False)
            case.body.update(threshold="", quorum_weight="", quorum_heads="", listed={})
            case.body["levels"] = ["1"]
    schemathesis_objects.adjust(case, REAL)
    commons_cases.map_case(case, REAL)
    treasury_cases.map_case(case, REAL)
    jobs_cases.map_case(case, REAL)
    effort_cases.map_case(case, REAL)
    decisions_cases.map_case(case, REAL)
    learn_cases.map_case(case, REAL)
    return case


def _map_planning(case: Any, params: dict[str, Any]) -> None:
    """Councils and planning: a council of the admin's, an open round, one to close."""
    path = case.operation.path
    if "council" not in REAL:  # examples are drawn before the world exists
        return
    if "slug" in params:
        params["slug"] = REAL["join_council"] if path.endswith("/join") else REAL["council"]
    if "plan_id" in params:
        params["plan_id"] = REAL["plan"]
    if "council" in params:
        params["council"] = REAL["council"]
    if "round_id" in params:
        params["round_id"] = REAL["close_round"] if path.endswith("/close") else REAL["round"]
    if path == "/api/councils" and isinstance(case.body, dict):
        case.body.update(chapter=REAL["slug"], parent=None, acts_for_chapter=False)
        case.body["name"] = (str(case.body.get("name") or "") + "x").strip()[:200] or "x"
    if path == "/api/proposals/{round_id}/{council}" and isinstance(case.body, dict):
        case.body["lines"] = [{"side": "demand", "good": 0, "quantity": "1", "version": 0}]
    if path == "/api/proposals/{round_id}/{council}/reviews":
        params["council"] = REAL["bakery"]
        if isinstance(case.body, dict):
            case.body.update(reviewer=REAL["council"], verdict="approve", reason="")


def _planning_world(admin: Any, chapter: Any, term: dict[str, Any]) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from parecon.web.chapters import services
    from parecon.web.councils import services as councils
    from parecon.web.planning import services as planning
    from parecon.web.planning.catalogue import goods_from_csv

    services.grant_role(admin, chapter, admin, "facilitator", **term)
    north = councils.create_council(admin, chapter, name="Schema North", level="neighbourhood")
    joinable = councils.create_council(admin, chapter, name="Schema South", level="household")
    councils.join_council(admin, north)
    bakery = councils.create_council(admin, chapter, name="Schema Bakery", level="workplace")
    councils.join_council(admin, bakery)

    def plan() -> Any:
        return planning.open_plan(
            admin,
            chapter,
            planning.PlanSettings(
                name="Schema plan",
                period="2027",
                goods=goods_from_csv("name,unit,category,price\nbread,loaf,private,2\n"),
                councils=[(north, 100.0), (bakery, None)],
                deadlines=[timezone.now() + timedelta(days=2)],
            ),
        )

    drafting, closing = plan(), plan()
    r = drafting.rounds.get()
    planning.save_draft(admin, planning.draft_for(admin, r, north), {("demand", 0): ("1", 0)})
    baked = planning.draft_for(admin, r, bakery)  # a workplace's proposal to review
    planning.save_draft(admin, baked, {("supply", 0): ("10", 0)})
    planning.submit(admin, baked)
    REAL.update(
        council=north.slug,
        bakery=bakery.slug,
        join_council=joinable.slug,
        plan=drafting.pk,
        round=r.pk,
        close_round=closing.rounds.get().pk,
    )


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Any:
    """Calls go straight to the WSGI application, not through Django's test client, so
    Django would close the test's database connection after each one (as it does after
    every real request); keep it open, as the test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(make_member: Any, term: dict[str, Any]) -> str:
    from parecon.web.chapters import services
    from parecon.web.chapters.models import Chapter, JoinRequest
    from parecon.web.members.services import create_token

    admin = make_member("Schema Admin")
    make_member("Madrid Founder", city=3117735)
    chapter = Chapter.objects.get(geonameid=3128760)
    plain = make_member("Schema Plain")
    newcomer = make_member("Schema Newcomer", city=None)
    grant = services.grant_role(admin, chapter, plain, "mediator", **term)
    request = JoinRequest.objects.create(chapter=chapter, member=newcomer, reason="hello")
    REAL.update(
        slug=chapter.slug,
        other_slug=Chapter.objects.get(geonameid=3117735).slug,
        grant_id=grant.pk,
        request_id=request.pk,
        member_id=plain.pk,
    )
    from tests.web.discussion.schemathesis_world import discussion_world

    REAL.update(discussion_world(admin, plain, chapter, term))
    from parecon.web.decisions import services as decisions

    services.grant_role(admin, chapter, admin, "note_taker", **term)

    def made(title: str, state: str) -> int:
        d = decisions.propose(admin, chapter, decisions.Proposal(title=title, reopen_threshold=1))
        if state != "weighing":
            decisions.open_voting(admin, d)
        if state == "closed":
            decisions.cast(admin, d, {"choice": "consent"})
            decisions.close(admin, d)
        return d.pk

    weighing, voting, closed = made("w", "weighing"), made("v", "voting"), made("c", "closed")
    REAL["decisions"] = {
        "": voting,
        "/open": weighing,
        "/challenge": weighing,
        "/votes": voting,
        "/close": voting,
        "/room-counts": voting,
        "/outcome": closed,
        "/minority-reports": closed,
        "/reopen": closed,
    }
    _planning_world(admin, chapter, term)
    schemathesis_objects.prepare(admin, chapter, REAL)
    commons_cases.prepare(REAL, admin, plain, chapter)
    treasury_cases.prepare(REAL, admin, plain, chapter)
    jobs_cases.prepare(REAL, admin, plain, chapter)
    effort_cases.prepare(REAL, admin, chapter)
    decisions_cases.prepare(REAL, admin, chapter)
    learn_cases.prepare(REAL, admin, chapter)
    _token, raw = create_token(admin, "schemathesis", "write")
    return raw


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_has_no_server_error(case: Any, admin_token: str) -> None:
    response = case.call(
        app=get_wsgi_application(), headers={"Authorization": f"Bearer {admin_token}"}
    )
    operation = case.operation
    if case.method.upper() == operation.method.upper():
        STATUSES[f"{operation.method.upper()} {operation.path}"].append(response.status_code)
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
    if response.status_code < 300:
        case.validate_response(response, checks=[response_schema_conformance])


def test_every_operation_succeeded_at_least_once() -> None:
    if not STATUSES:
        pytest.skip("run with test_api_has_no_server_error")
    never = {
        op: sorted(set(codes)) for op, codes in STATUSES.items() if not any(c < 300 for c in codes)
    }
    assert never == {}
