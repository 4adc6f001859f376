"""Write cases of the commons for the authorisation sweep.

The admin authored the posts, so only the admin edits, closes or accepts for them;
the plain member offers and is the lender of the loan, so only they may mark it back.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from tests.web.authorization import WORLD_HOOKS, api_write, page_reads, page_write

page_reads(
    "commons:board",
    "commons:detail",
    "commons:history",
    "commons:organisations",
    "commons:organisation",
)

MEMBERS = ("anonymous", "outsider")
AUTHOR = ("anonymous", "outsider", "plain")


def _commons(w: Any) -> None:
    from parecon.web.commons import services
    from parecon.web.commons.services import PostData

    admin, plain = w.users["admin"], w.users["plain"]
    w.need = services.post(
        admin, w.chapter, PostData(kind="need", category="goods", title="chairs")
    )
    w.need2 = services.post(
        admin, w.chapter, PostData(kind="need", category="goods", title="a table")
    )
    w.offer = services.post(
        plain, w.chapter, PostData(kind="offer", category="goods", title="a chair")
    )
    w.offer2 = services.post(
        plain, w.chapter, PostData(kind="offer", category="goods", title="a table")
    )
    w.own_offer = services.post(
        admin, w.chapter, PostData(kind="offer", category="time", title="x")
    )
    drill = services.post(
        plain, w.chapter, PostData(kind="offer", category="goods", title="drill", is_loan=True)
    )
    hole = services.post(admin, w.chapter, PostData(kind="need", category="goods", title="a drill"))
    w.loan = services.accept(admin, hole, drill, return_by=timezone.localdate() + timedelta(days=3))
    drill2 = services.post(
        plain, w.chapter, PostData(kind="offer", category="goods", title="saw", is_loan=True)
    )
    hole2 = services.post(admin, w.chapter, PostData(kind="need", category="goods", title="a saw"))
    w.loan2 = services.accept(
        admin, hole2, drill2, return_by=timezone.localdate() + timedelta(days=3)
    )
    w.org = services.add_organisation(admin, w.chapter, name="Tenants' union", kind="tenants")
    w.followup = services.add_followup(
        admin, w.org, what="call", due=timezone.localdate(), assignee=admin.pk
    )
    w.followup2 = services.add_followup(
        admin, w.org, what="write", due=timezone.localdate(), assignee=admin.pk
    )


WORLD_HOOKS.append(_commons)

POST = {"category": "goods", "title": "A bicycle", "urgency": "2", "visibility": "chapter"}


@page_write("commons:new", right="plain", wrong=MEMBERS)
def _new(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("commons:new", args=[w.chapter.slug]), {"kind": "need", **POST}


@page_write("commons:edit", right="admin", wrong=AUTHOR)
def _edit(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("commons:edit", args=[w.chapter.slug, w.need.pk]), POST


@page_write("commons:close", right="admin", wrong=AUTHOR)
def _close(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("commons:close", args=[w.chapter.slug, w.need.pk]), {}


@page_write("commons:accept", right="admin", wrong=AUTHOR)
def _accept(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("commons:accept", args=[w.chapter.slug, w.need.pk]), {"offer": w.offer.pk}


@page_write("commons:returned", right="plain", wrong=("anonymous", "outsider", "newcomer"))
def _returned(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("commons:returned", args=[w.chapter.slug, w.loan.pk]), {}


@page_write("commons:add_organisation", right="plain", wrong=MEMBERS)
def _organisation(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("commons:add_organisation", args=[w.chapter.slug]), {
        "name": "A food co-op",
        "kind": "coop",
        "latitude": "41.39",
        "longitude": "2.16",
    }


@page_write("commons:followup", right="plain", wrong=MEMBERS)
def _followup(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("commons:followup", args=[w.chapter.slug, w.org.pk]), {
        "what": "visit",
        "due": timezone.localdate().isoformat(),
        "assignee": w.users["plain"].pk,
    }


@page_write("commons:followup_done", right="admin", wrong=AUTHOR)
def _followup_done(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("commons:followup_done", args=[w.chapter.slug, w.followup.pk]), {}


@page_write("commons:note", right="plain", wrong=MEMBERS)
def _note(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("commons:note", args=[w.chapter.slug, w.org.pk]), {
        "body": "They meet on Mondays."
    }


API_POST = {"category": "goods", "title": "A bicycle"}


@api_write("POST", "/api/needs", right="plain", wrong=MEMBERS)
def _api_need(w: Any) -> tuple[str, dict[str, Any]]:
    return "/api/needs", {"chapter": w.chapter.slug, **API_POST}


@api_write("POST", "/api/offers", right="plain", wrong=MEMBERS)
def _api_offer(w: Any) -> tuple[str, dict[str, Any]]:
    return "/api/offers", {"chapter": w.chapter.slug, **API_POST}


@api_write("PUT", "/api/needs/{post_id}", right="admin", wrong=AUTHOR)
def _api_edit_need(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/needs/{w.need2.pk}", {"chapter": w.chapter.slug, **API_POST}


@api_write("PUT", "/api/offers/{post_id}", right="admin", wrong=AUTHOR)
def _api_edit_offer(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/offers/{w.own_offer.pk}", {"chapter": w.chapter.slug, **API_POST}


@api_write("POST", "/api/needs/{post_id}/close", right="admin", wrong=AUTHOR)
def _api_close_need(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/needs/{w.need2.pk}/close", {}


@api_write("POST", "/api/offers/{post_id}/close", right="admin", wrong=AUTHOR)
def _api_close_offer(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/offers/{w.own_offer.pk}/close", {}


@api_write("POST", "/api/needs/{post_id}/matches", right="admin", wrong=AUTHOR)
def _api_accept(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/needs/{w.need2.pk}/matches", {"offer": w.offer2.pk}


@api_write(
    "POST",
    "/api/needs/matches/{match_id}/returned",
    right="plain",
    wrong=("anonymous", "outsider", "newcomer"),
)
def _api_returned(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/needs/matches/{w.loan2.pk}/returned", {}


@api_write("POST", "/api/organisations", right="plain", wrong=MEMBERS)
def _api_org(w: Any) -> tuple[str, dict[str, Any]]:
    return "/api/organisations", {"chapter": w.chapter.slug, "name": "A co-op", "kind": "coop"}


@api_write("POST", "/api/organisations/{organisation_id}/followups", right="plain", wrong=MEMBERS)
def _api_followup(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/organisations/{w.org.pk}/followups", {
        "what": "visit",
        "due": timezone.localdate().isoformat(),
        "assignee": w.users["plain"].pk,
    }


@api_write("POST", "/api/organisations/followups/{followup_id}/done", right="admin", wrong=AUTHOR)
def _api_followup_done(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/organisations/followups/{w.followup2.pk}/done", {}


@api_write("POST", "/api/organisations/{organisation_id}/notes", right="plain", wrong=MEMBERS)
def _api_note(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/organisations/{w.org.pk}/notes", {"body": "They meet on Mondays."}


@page_write("commons:link_evaluation", right="plain", wrong=MEMBERS)
def _link_evaluation(w: Any) -> tuple[str, dict[str, Any]]:
    return reverse("commons:link_evaluation", args=[w.chapter.slug, w.org.pk]), {}


@api_write("POST", "/api/organisations/{organisation_id}/evaluations", right="plain", wrong=MEMBERS)
def _api_link_evaluation(w: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/organisations/{w.org.pk}/evaluations", {"evaluation": None}
