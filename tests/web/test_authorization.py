"""Every write route, tried as the wrong users, refuses and leaves the database unchanged.

Routes are enumerated from the URL configuration and the OpenAPI document, not listed
by hand: a route without a case in a ``authorization_cases*.py`` module fails
``test_every_route_is_classified``. Each wrong user has a valid session (and the
request carries the very payload that succeeds for the right member, which is checked
last on the same database).
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.web.authorization import (
    API_WRITES,
    EXEMPT_PATH_PREFIXES,
    EXEMPT_PREFIXES,
    IGNORED_FIELDS,
    PAGE_READS,
    PAGE_WRITES,
    WORLD_HOOKS,
    WriteCase,
)

HERE = Path(__file__).parent
for found in sorted(HERE.rglob("authorization_cases*.py")):
    rel = found.relative_to(HERE.parent.parent).with_suffix("")
    importlib.import_module(".".join(rel.parts))

OUR_APPS = ("members", "chapters", "history")


def _routes() -> list[tuple[str, str]]:
    """(name with namespace, path) of every named URL pattern."""
    out: list[tuple[str, str]] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern) and p.name:
                out.append((namespace + p.name, "/" + prefix + str(p.pattern)))

    walk(get_resolver().url_patterns, "", "")
    return out


def _api_operations() -> list[str]:
    from parecon.web.api import api

    schema = api.get_openapi_schema()
    return [
        f"{method.upper()} {path}"
        for path, ops in schema["paths"].items()
        for method in ops
        if method in ("post", "put", "patch", "delete")
    ]


def test_every_route_is_classified() -> None:
    unclassified = [
        (name, path)
        for name, path in _routes()
        if name not in PAGE_WRITES
        and name not in PAGE_READS
        and not name.startswith(EXEMPT_PREFIXES)
        and not path.startswith(EXEMPT_PATH_PREFIXES)
    ]
    assert unclassified == [], "add these routes to an authorization_cases module"
    missing = [op for op in _api_operations() if op not in API_WRITES]
    assert missing == [], "add these API writes to an authorization_cases module"


def _snapshot() -> dict[str, list[dict[str, Any]]]:
    snap: dict[str, list[dict[str, Any]]] = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label.startswith(("sessions.", "admin.", "contenttypes.", "auth.permission")):
            continue
        ignored = IGNORED_FIELDS.get(label, set())
        rows = [
            {k: v for k, v in row.items() if k not in ignored}
            for row in model.objects.order_by("pk").values()  # type: ignore[attr-defined]
        ]
        snap[label] = rows
    return snap


@pytest.fixture
def world(make_member: Any, login: Any, term: dict[str, Any]) -> SimpleNamespace:
    from parecon.web.chapters import services
    from parecon.web.chapters.models import Chapter, JoinRequest
    from parecon.web.members.services import create_token

    admin = make_member("Admin")
    chapter = Chapter.objects.get(geonameid=3128760)
    plain = make_member("Plain")
    outsider = make_member("Outsider", city=3117735)
    other = Chapter.objects.get(geonameid=3117735)
    newcomer = make_member("Newcomer", city=None)
    grant = services.grant_role(admin, chapter, plain, "note_taker", **term)
    join_request = JoinRequest.objects.create(chapter=chapter, member=newcomer, reason="hi")
    token, _raw = create_token(plain, "t", "read")
    users = {"admin": admin, "plain": plain, "outsider": outsider, "newcomer": newcomer}
    clients: dict[str, Client] = {name: login(m) for name, m in users.items()}
    clients["anonymous"] = Client()
    w = SimpleNamespace(
        chapter=chapter,
        other=other,
        users=users,
        clients=clients,
        grant=grant,
        join_request=join_request,
        token=token,
    )
    for hook in WORLD_HOOKS:
        hook(w)
    return w


def _send(client: Client, case: WriteCase, url: str, payload: dict[str, Any], api: bool) -> Any:
    for value in payload.values():  # an uploaded file is read again by each request
        if hasattr(value, "seek"):
            value.seek(0)
    if api:
        return client.generic(
            case.method.upper(), url, json.dumps(payload), content_type="application/json"
        )
    return client.post(url, payload)


def _check(world: SimpleNamespace, case: WriteCase, api: bool) -> None:
    url, payload = case.prepare(world)
    for who in case.wrong:
        before = _snapshot()
        response = _send(world.clients[who], case, url, payload, api)
        refused = {401, 403, 404} if api else {302, 403, 404}
        assert response.status_code in refused, (who, url, response.status_code)
        if not api and response.status_code == 302:
            assert "/accounts/login" in response["Location"], (who, url, response["Location"])
        assert _snapshot() == before, f"{who} changed the database through {url}"
    before = _snapshot()
    response = _send(world.clients[case.right], case, url, payload, api)
    assert response.status_code < 400, (
        case.right,
        url,
        response.status_code,
        response.content[:300],
    )
    assert _snapshot() != before, f"the right member's {url} changed nothing: the case is wrong"


@pytest.mark.parametrize("name", sorted(PAGE_WRITES))
def test_page_write_refuses_wrong_users(name: str, world: SimpleNamespace) -> None:
    _check(world, PAGE_WRITES[name], api=False)


@pytest.mark.parametrize("operation", sorted(API_WRITES))
def test_api_write_refuses_wrong_users(operation: str, world: SimpleNamespace) -> None:
    _check(world, API_WRITES[operation], api=True)


@pytest.mark.parametrize("name", sorted(PAGE_READS))
def test_read_routes_change_nothing_on_post(name: str, world: SimpleNamespace) -> None:
    path = next(p for n, p in _routes() if n == name)
    path = path.replace("<slug:slug>", world.chapter.slug).replace(
        "<int:pk>", str(world.users["plain"].pk)
    )
    before = _snapshot()
    for who in ("anonymous", "outsider"):
        world.clients[who].post(path, {})
    assert _snapshot() == before


def test_read_only_token_cannot_write(world: SimpleNamespace) -> None:
    from parecon.web.members.services import create_token

    _token, raw = create_token(world.users["plain"], "ro", "read")
    client = Client()
    before = _snapshot()
    r = client.patch(
        "/api/members/me",
        json.dumps({"bio": "x"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert r.status_code == 403
    assert (
        client.get("/api/members/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    )
    assert _snapshot() == before


def test_session_writes_need_a_csrf_token(world: SimpleNamespace) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["admin"])
    before = _snapshot()
    response = client.post(
        f"/chapters/{world.chapter.slug}/edit/", {"description": "x", "join_policy": "open"}
    )
    assert response.status_code == 403
    api = client.patch(
        f"/api/chapters/{world.chapter.slug}",
        json.dumps({"description": "x", "join_policy": "open"}),
        content_type="application/json",
    )
    assert api.status_code == 403
    assert _snapshot() == before
