"""Production readiness: Django's deploy checks, login throttling, page weight."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse


def test_check_deploy_is_clean_with_production_settings(tmp_path: Any) -> None:
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="parecon.web.settings",
        PARECON_DATA_DIR=str(tmp_path),
        PARECON_HTTPS="1",
        PARECON_DEBUG="0",
        PARECON_SECRET_KEY="k" + os.urandom(40).hex(),
        PARECON_ALLOWED_HOSTS="parecon.example.org",
    )
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for their own process
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "parecon.web.manage",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_failed_logins_are_throttled(make_member: Any) -> None:
    member = make_member()
    limits = {"login_failed": "10/m/ip,5/5m/key"}
    with override_settings(ACCOUNT_RATE_LIMITS=limits):
        client = Client()
        for _ in range(5):
            r = client.post(reverse("account_login"), {"login": member.email, "password": "wrong"})
            assert r.status_code == 200
        r = client.post(
            reverse("account_login"), {"login": member.email, "password": "a-long-test-password"}
        )
        # The sixth attempt on the address is refused even with the right password.
        assert r.status_code in (200, 429)
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_chapter_logs_in_together_from_one_address(make_member: Any) -> None:
    """Forty members in one meeting room (one address) log in within the minute under the
    platform's own limits; allauth's default (30 a minute per address) refused the rest."""
    from parecon.web import settings as platform

    members = [make_member() for _ in range(40)]
    with override_settings(ACCOUNT_RATE_LIMITS=platform.ACCOUNT_RATE_LIMITS):
        for member in members:
            client = Client()
            r = client.post(
                reverse("account_login"),
                {"login": member.email, "password": "a-long-test-password"},
            )
            assert r.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.django_db
def test_security_headers_and_csp(client: Client) -> None:
    response = client.get(reverse("site:home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    page = response.content.decode()
    assert "<style" not in page and " style=" not in page and "hx-on" not in page
    assert '"includeIndicatorStyles": false' in page


@pytest.mark.django_db
def test_nul_characters_are_refused_with_a_clear_message(make_member: Any, login: Any) -> None:
    client = login(make_member())
    r = client.patch("/api/members/me", '{"bio": "a\\u0000b"}', content_type="application/json")
    assert r.status_code == 400 and "NUL" in r.json()["detail"]
    r = client.post(
        reverse("members:edit"), "name=a%00b", content_type="application/x-www-form-urlencoded"
    )
    assert r.status_code == 400
    assert client.get("/chapters/?q=%00").status_code == 400


def test_prepare_migrates_collects_and_starts_the_clock_in_one_process(
    tmp_path: Any, monkeypatch: Any
) -> None:
    """What ``parecon serve`` runs before the server: one Django process that leaves a
    migrated database, the static files and one queued tick; running it again (a
    restart) changes nothing and queues no second tick."""
    import sqlite3

    from parecon.web import launcher

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "parecon.web.settings")
    launched: list[list[str]] = []
    real_run = subprocess.run

    def run(args: list[str], **kwargs: Any) -> Any:
        launched.append(args)
        return real_run(args, **kwargs)

    monkeypatch.setattr(launcher.subprocess, "run", run)
    for _ in range(2):
        launcher.prepare(tmp_path)
    assert [args[3:] for args in launched] == [["prepare_site"], ["prepare_site"]]
    (database,) = tmp_path.glob("*.sqlite3")
    with sqlite3.connect(database) as db:
        (ticks,) = db.execute(
            "select count(*) from django_tasks_database_dbtaskresult where status = 'READY'"
        ).fetchone()
        (applied,) = db.execute("select count(*) from django_migrations").fetchone()
    assert ticks == 1
    assert applied > 50
    assert any((tmp_path / "static").rglob("*.css"))
