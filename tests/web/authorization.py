"""The registry of every write route and the payload that succeeds for the right member.

``test_authorization.py`` walks the URL configuration and the OpenAPI document; every
route must be listed here (as a write with its case, or as read-only), so a new route
cannot escape the sweep. Each app adds its cases with :func:`page_write` and
:func:`api_write`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: Who tries a write that must fail: a visitor, a member of another chapter, a member
#: of the chapter without the needed role.
WRONG_USERS = ("anonymous", "outsider", "plain")


@dataclass(frozen=True)
class WriteCase:
    """How to make one write: ``prepare(world)`` returns the URL and the payload."""

    prepare: Callable[[Any], tuple[str, dict[str, Any]]]
    right: str
    wrong: tuple[str, ...] = WRONG_USERS
    method: str = "post"


PAGE_WRITES: dict[str, WriteCase] = {}
#: Apps that need more in the sweep's world (a council, a plan, …) append a function
#: ``hook(world)`` here from their cases module.
WORLD_HOOKS: list[Callable[[Any], None]] = []
API_WRITES: dict[str, WriteCase] = {}
#: Routes that only read (GET); the sweep checks they refuse POST or change nothing.
PAGE_READS: set[str] = set()
#: Routes outside the platform's own code (allauth's, the operator's admin, Django's
#: language switch): tested by their authors; allauth's flows by the browser test.
EXEMPT_PREFIXES = ("account_", "admin:", "set_language", "api:", "socialaccount_", "mfa_")
EXEMPT_PATH_PREFIXES = ("/accounts/", "/operator/", "/i18n/", "/api/")
#: Fields of rows a write may change while still being refused (last-use stamps).
IGNORED_FIELDS: dict[str, set[str]] = {
    "members.member": {"last_login"},
    "members.apitoken": {"last_used_at"},
}


def page_write(name: str, right: str, wrong: tuple[str, ...] = WRONG_USERS) -> Callable[..., Any]:
    def register(prepare: Callable[[Any], tuple[str, dict[str, Any]]]) -> Any:
        PAGE_WRITES[name] = WriteCase(prepare, right, wrong)
        return prepare

    return register


def api_write(
    method: str, path: str, right: str, wrong: tuple[str, ...] = WRONG_USERS
) -> Callable[..., Any]:
    def register(prepare: Callable[[Any], tuple[str, dict[str, Any]]]) -> Any:
        API_WRITES[f"{method.upper()} {path}"] = WriteCase(prepare, right, wrong, method.lower())
        return prepare

    return register


def page_reads(*names: str) -> None:
    PAGE_READS.update(names)
