"""Write cases of the decisions app for the authorisation sweep."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tests.web.authorization import WORLD_HOOKS, api_write, page_reads, page_write

page_reads(
    "decisions:list",
    "decisions:detail",
    "decisions:ballots_csv",
    "decisions:document",
    "decisions:document_history",
    "decisions:amend_preview",
)


def _decisions(w: Any) -> None:
    from parecon.web.chapters.services import join
    from parecon.web.decisions import amendments, services

    admin = w.users["admin"]
    w.weighing = services.propose(admin, w.chapter, services.Proposal(title="Weighing"))
    w.voting = services.open_voting(
        admin, services.propose(admin, w.chapter, services.Proposal(title="Voting"))
    )
    closed = services.open_voting(
        admin,
        services.propose(admin, w.chapter, services.Proposal(title="Closed", reopen_threshold=1)),
    )
    services.cast(admin, closed, {"choice": "consent"})
    w.closed = services.close(admin, closed)
    w.document = amendments.create_document(
        admin, w.chapter, title="Vision", type="vision", clauses=[("Who", "We are members.")]
    )
    region = w.chapter.parent
    join(admin, region)
    w.federated = services.open_voting(
        admin,
        services.propose(
            admin,
            region,
            services.Proposal(
                title="Federated",
                affected_units=(f"chapter:{region.slug}",),
                levels=("1",),
                federated=True,
            ),
        ),
    )


WORLD_HOOKS.append(_decisions)
STEER = ("anonymous", "outsider", "plain")
AFFECTED = ("anonymous", "outsider")


def _page(
    name: str, attr: str, payload: dict[str, Any], right: str, wrong: tuple[str, ...]
) -> None:
    @page_write(name, right=right, wrong=wrong)
    def prepare(w: Any) -> tuple[str, dict[str, Any]]:
        return reverse(name, args=[getattr(w, attr).pk]), payload


@page_write("decisions:propose", right="plain", wrong=AFFECTED)
def _propose(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("decisions:propose", args=[w.chapter.slug]), {
        "title": "From the sweep",
        "method": "consent",
        "levels": "1",
        "results": "after_voting",
        "reopen_threshold": "3",
    }


_page("decisions:vote", "voting", {"choice": "consent"}, "plain", AFFECTED)
_page("decisions:open", "weighing", {}, "admin", STEER)
_page("decisions:close", "voting", {}, "admin", STEER)
_page("decisions:challenge", "weighing", {"reason": "wrong"}, "plain", AFFECTED)
_page("decisions:outcome", "closed", {"statement": "Done."}, "admin", STEER)
_page("decisions:minority", "closed", {"text": "I disagree."}, "plain", AFFECTED)
_page("decisions:reopen", "closed", {}, "plain", AFFECTED)
# The world's plain member is its note-taker; the admin holds no counting role.
_page(
    "decisions:room",
    "voting",
    {"count_0": "3", "weight": "1"},
    "plain",
    ("anonymous", "outsider", "admin"),
)


def _api(path: str, attr: str, payload: dict[str, Any], right: str, wrong: tuple[str, ...]) -> None:
    @api_write("POST", "/api/decisions/{decision_id}" + path, right=right, wrong=wrong)
    def prepare(w: Any) -> tuple[str, dict[str, Any]]:
        return f"/api/decisions/{getattr(w, attr).pk}{path}", payload


@api_write("POST", "/api/decisions", right="plain", wrong=AFFECTED)
def _api_propose(w: Any) -> tuple[str, dict[str, Any]]:
    return "/api/decisions", {"chapter": w.chapter.slug, "title": "API proposal"}


@page_write("decisions:rules", right="plain", wrong=AFFECTED)
def _rules(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("decisions:rules", args=[w.chapter.slug]), {
        "default_method": "majority",
        "change_method": "qualified_majority",
        "levels": "1, 1/4",
    }


@page_write("decisions:documents", right="admin", wrong=STEER)
def _documents(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("decisions:documents", args=[w.chapter.slug]), {
        "title": "By-laws",
        "type": "bylaws",
        "text": "# Members\nAnyone may join.",
    }


@page_write("decisions:amend", right="plain", wrong=AFFECTED)
def _amend(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("decisions:amend", args=[w.document.pk]), {
        "clause": "c1",
        "text": "We are many.",
    }


# The world's admin founded Barcelona's chapter: an admin of the federation's member.
_page("decisions:pull_down", "federated", {"unit": "barcelona-catalonia-spain"}, "admin", STEER)


@api_write("POST", "/api/decisions/rules", right="plain", wrong=AFFECTED)
def _api_rules(w: Any) -> tuple[str, dict[str, Any]]:
    return "/api/decisions/rules", {
        "chapter": w.chapter.slug,
        "rules": {"default_method": "majority"},
    }


@api_write("POST", "/api/decisions/documents", right="admin", wrong=STEER)
def _api_documents(w: Any) -> tuple[str, dict[str, Any]]:
    return "/api/decisions/documents", {
        "chapter": w.chapter.slug,
        "title": "By-laws",
        "type": "bylaws",
        "clauses": [{"heading": "Members", "text": "Anyone may join."}],
    }


@api_write(
    "POST", "/api/decisions/documents/{document_id}/amendments", right="plain", wrong=AFFECTED
)
def _api_amend(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/decisions/documents/{w.document.pk}/amendments", {
        "clause": "c1",
        "text": "We are many.",
    }


_api("/pull-down", "federated", {"unit": "barcelona-catalonia-spain"}, "admin", STEER)
_api("/open", "weighing", {}, "admin", STEER)
_api("/votes", "voting", {"choice": "consent"}, "plain", AFFECTED)
_api("/close", "voting", {}, "admin", STEER)
_api("/challenge", "weighing", {"text": "wrong weights"}, "plain", AFFECTED)
_api("/outcome", "closed", {"statement": "Done."}, "admin", STEER)
_api("/minority-reports", "closed", {"text": "No."}, "plain", AFFECTED)
_api("/reopen", "closed", {}, "plain", AFFECTED)
_api(
    "/room-counts",
    "voting",
    {"rows": [{"choice": "consent", "count": 2}]},
    "plain",
    ("anonymous", "outsider", "admin"),
)
