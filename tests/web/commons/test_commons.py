"""The commons' services, pages and API: posting, matching, loans, history, allies."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from parecon.web.chapters.models import Chapter
from parecon.web.chapters.services import grant_role
from parecon.web.commons import selectors, services
from parecon.web.commons.models import Match, Organisation, Post
from parecon.web.commons.services import PostData
from parecon.web.history.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def folk(make_member: Any) -> Any:
    class Folk:
        pass

    f = Folk()
    f.founder = make_member("Founder")  # type: ignore[attr-defined]
    f.chapter = Chapter.objects.get(geonameid=3128760)  # type: ignore[attr-defined]
    f.ana = make_member("Ana")  # type: ignore[attr-defined]
    f.ben = make_member("Ben")  # type: ignore[attr-defined]
    f.cam = make_member("Cam")  # type: ignore[attr-defined]
    return f


def _post(who: Any, chapter: Chapter, kind: str, category: str = "goods", **extra: Any) -> Post:
    return services.post(
        who, chapter, PostData(kind=kind, category=category, title=extra.pop("title", "x"), **extra)
    )


def test_a_need_is_met_by_an_offer_and_recorded(folk: Any) -> None:
    need = _post(folk.ana, folk.chapter, "need", "childcare", title="Childcare on Thursday")
    offer = _post(folk.ben, folk.chapter, "offer", "childcare", title="A play corner")
    seen: list[Match] = []
    services.task_hook.append(seen.append)
    try:
        match = services.accept(folk.ana, need, offer)
    finally:
        services.task_hook.remove(seen.append)
    assert seen == [match]
    assert (match.giver, match.receiver, match.what) == (folk.ben, folk.ana, "A play corner")
    need.refresh_from_db()
    offer.refresh_from_db()
    assert need.status == offer.status == Post.Status.MET
    assert Event.objects.filter(verb="commons.match", chapter=folk.chapter).count() == 1
    given, received = selectors.my_history(folk.ben, folk.chapter)
    assert list(given) == [match] and not received
    assert selectors.totals(folk.chapter) == [("childcare", 1, 0)]


def test_only_the_author_steers_a_post(folk: Any) -> None:
    need = _post(folk.ana, folk.chapter, "need")
    offer = _post(folk.ben, folk.chapter, "offer")
    with pytest.raises(PermissionDenied):
        services.close(folk.ben, need)
    with pytest.raises(PermissionDenied):
        services.accept(folk.ben, need, offer)
    with pytest.raises(PermissionDenied):
        services.edit(folk.cam, need, PostData(kind="need", category="goods", title="mine now"))
    assert Post.objects.get(pk=need.pk).status == Post.Status.OPEN
    services.close(folk.ana, need)
    with pytest.raises(ValidationError):
        services.close(folk.ana, need)


def test_the_chapter_posts_through_a_steward(folk: Any, term: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        _post(folk.ana, folk.chapter, "need", by_chapter=True)
    grant_role(folk.founder, folk.chapter, folk.ana, "facilitator", **term)
    p = _post(folk.ana, folk.chapter, "need", by_chapter=True)
    assert p.by_chapter and services.may_steer(folk.founder, p)  # the founding admin steers too
    assert not services.may_steer(folk.ben, p)


def test_one_cannot_meet_ones_own_need(folk: Any) -> None:
    need = _post(folk.ana, folk.chapter, "need")
    offer = _post(folk.ana, folk.chapter, "offer")
    with pytest.raises(ValidationError, match="own need"):
        services.accept(folk.ana, need, offer)
    assert selectors.suggestions(need) == []


def test_a_loan_has_a_return_date_and_comes_back(folk: Any) -> None:
    ladder = _post(folk.ben, folk.chapter, "offer", title="ladder", is_loan=True)
    need = _post(folk.ana, folk.chapter, "need")
    with pytest.raises(ValidationError, match="return date"):
        services.accept(folk.ana, need, ladder)
    with pytest.raises(ValidationError, match="after"):
        services.accept(folk.ana, need, ladder, return_by=timezone.localdate() - timedelta(days=1))
    match = services.accept(
        folk.ana, need, ladder, return_by=timezone.localdate() + timedelta(days=5)
    )
    ladder.refresh_from_db()
    assert ladder.status == Post.Status.MET  # out on loan: off the board
    assert selectors.totals(folk.chapter) == [("goods", 1, 1)]
    with pytest.raises(PermissionDenied):
        services.returned(folk.cam, match)
    services.returned(folk.ben, match)
    assert Match.objects.get(pk=match.pk).returned_on == timezone.localdate()
    ladder.refresh_from_db()
    assert ladder.status == Post.Status.OPEN  # back, to be lent again
    assert selectors.totals(folk.chapter) == [("goods", 1, 0)]
    with pytest.raises(ValidationError, match="already"):
        services.returned(folk.ana, match)


def test_suggestions_by_category_and_distance(folk: Any) -> None:
    need = _post(folk.ana, folk.chapter, "need", "lift", latitude=41.39, longitude=2.17)
    near = _post(folk.ben, folk.chapter, "offer", "lift", latitude=41.40, longitude=2.16)
    far = _post(folk.cam, folk.chapter, "offer", "lift", latitude=41.98, longitude=2.82)  # Girona
    unknown = _post(folk.cam, folk.chapter, "offer", "lift")
    _post(folk.ben, folk.chapter, "offer", "goods", latitude=41.39, longitude=2.17)
    found = selectors.suggestions(need)
    assert [s.offer for s in found] == [near, far, unknown]
    assert found[0].km is not None and found[0].km < 2
    assert found[1].km is not None and 80 < found[1].km < 90
    assert [s.offer for s in selectors.suggestions(need, within_km=10)] == [near, unknown]


def test_use_my_city_takes_the_members_coordinates(folk: Any, make_member: Any) -> None:
    p = _post(folk.ana, folk.chapter, "offer", use_my_city=True)
    assert (p.latitude, p.longitude) == (folk.ana.latitude, folk.ana.longitude)
    assert p.place == folk.ana.city
    nowhere = make_member("Nowhere")
    nowhere.latitude = nowhere.longitude = None
    nowhere.save()
    with pytest.raises(ValidationError, match="city"):
        _post(nowhere, folk.chapter, "offer", use_my_city=True)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("category", "weapons"),
        ("urgency", "9"),
        ("visibility", "everyone"),
        ("title", ""),
        ("title", "x" * 201),
        ("latitude", "91"),
        ("latitude", "nan"),
        ("latitude", "north"),
        ("description", "a\x00b"),
    ],
)
def test_bad_posts_are_refused_with_the_field(folk: Any, field: str, value: str) -> None:
    data = {"category": "goods", "title": "x", "latitude": "41", "longitude": "2", field: value}
    with pytest.raises(ValidationError) as info:
        services.post(folk.ana, folk.chapter, PostData(kind="need", **data))
    assert field in info.value.message_dict
    assert not Post.objects.exists()


def test_half_coordinates_are_refused(folk: Any) -> None:
    with pytest.raises(ValidationError, match="both"):
        _post(folk.ana, folk.chapter, "need", latitude=41.0)


def test_outsiders_cannot_post_or_see(folk: Any, other_chapter: Chapter, make_member: Any) -> None:
    stranger = make_member("Stranger", city=3117735)
    with pytest.raises(PermissionDenied):
        _post(stranger, folk.chapter, "need")
    private = _post(folk.ana, folk.chapter, "need")
    shared = _post(folk.ana, folk.chapter, "need", visibility="allied")
    assert not selectors.may_read(stranger, private)
    assert (
        selectors.may_read(stranger, shared)
        == selectors.allied(folk.chapter).filter(pk=other_chapter.pk).exists()
    )


def test_allied_posts_reach_the_parent_chapter(folk: Any) -> None:
    parent = folk.chapter.parent
    assert parent is not None
    shared = _post(folk.ana, folk.chapter, "offer", visibility="allied")
    _post(folk.ana, folk.chapter, "offer", visibility="chapter")
    assert list(selectors.board(parent)) == [shared]


def test_organisations_followups_and_notes(folk: Any) -> None:
    org = services.add_organisation(
        folk.ana, folk.chapter, name="Food co-op", kind="coop", latitude="41.4", longitude="2.1"
    )
    with pytest.raises(ValidationError, match="already"):
        services.add_organisation(folk.ben, folk.chapter, name="food CO-OP", kind="coop")
    with pytest.raises(ValidationError) as info:
        services.add_organisation(folk.ben, folk.chapter, name="x", kind="church")
    assert "kind" in info.value.message_dict
    f = services.add_followup(
        folk.ana, org, what="call them", due=timezone.localdate(), assignee=folk.ben.pk
    )
    assert f.assignee == folk.ben
    with pytest.raises(ValidationError) as info:
        services.add_followup(folk.ana, org, what="x", due=timezone.localdate(), assignee="999999")
    assert "assignee" in info.value.message_dict
    with pytest.raises(PermissionDenied):
        services.finish_followup(folk.cam, f)
    services.finish_followup(folk.ben, f)
    services.add_note(folk.cam, org, "They lend their hall.")
    assert org.notes.get().author == folk.cam
    assert Event.objects.filter(chapter=folk.chapter, verb__startswith="commons.").count() == 4


def test_pages_post_match_and_history(folk: Any, login: Any) -> None:
    ana, ben = login(folk.ana), login(folk.ben)
    slug = folk.chapter.slug
    r = ana.post(
        reverse("commons:new", args=[slug]),
        {
            "kind": "need",
            "category": "time",
            "title": "Help moving <b>boxes</b>",
            "urgency": "3",
            "visibility": "chapter",
        },
    )
    assert r.status_code == 302
    ben.post(
        reverse("commons:new", args=[slug]),
        {
            "kind": "offer",
            "category": "time",
            "title": "Two free hours",
            "urgency": "1",
            "visibility": "chapter",
        },
    )
    need = Post.objects.get(kind="need")
    offer = Post.objects.get(kind="offer")
    board = ana.get(reverse("commons:board", args=[slug])).content.decode()
    assert "Help moving &lt;b&gt;boxes&lt;/b&gt;" in board and "<b>boxes" not in board
    page = ana.get(reverse("commons:detail", args=[slug, need.pk])).content.decode()
    assert "Two free hours" in page and "Accept this offer" in page
    assert (
        "Accept this offer"
        not in ben.get(reverse("commons:detail", args=[slug, need.pk])).content.decode()
    )
    r = ana.post(reverse("commons:accept", args=[slug, need.pk]), {"offer": offer.pk})
    assert r.status_code == 302 and Match.objects.count() == 1
    mine = ben.get(reverse("commons:history", args=[slug])).content.decode()
    assert "Two free hours" in mine
    chapter_page = ana.get(reverse("chapters:detail", args=[slug])).content.decode()
    assert reverse("commons:board", args=[slug]) in chapter_page


def test_a_bad_form_is_a_message_not_an_error(folk: Any, login: Any) -> None:
    ana = login(folk.ana)
    slug = folk.chapter.slug
    r = ana.post(
        reverse("commons:new", args=[slug]),
        {"kind": "need", "category": "nope", "title": "x"},
        follow=True,
    )
    assert r.status_code == 200 and "Not one of the choices" in r.content.decode()
    need = _post(folk.ana, folk.chapter, "need")
    r = ana.post(reverse("commons:accept", args=[slug, need.pk]), {"offer": "abc"}, follow=True)
    assert "No such offer" in r.content.decode()
    org = services.add_organisation(folk.ana, folk.chapter, name="Union", kind="union")
    r = ana.post(
        reverse("commons:followup", args=[slug, org.pk]),
        {"what": "x", "due": "tomorrow", "assignee": folk.ana.pk},
        follow=True,
    )
    assert "Not a date" in r.content.decode()
    assert not org.followups.exists()


def test_the_map_escapes_hostile_labels(folk: Any, login: Any) -> None:
    services.add_organisation(
        folk.ana,
        folk.chapter,
        name='<script>alert(1)</script>"&',
        kind="other",
        latitude="41.4",
        longitude="2.2",
    )
    services.add_organisation(
        folk.ana, folk.chapter, name="Co-op", kind="coop", latitude="41.38", longitude="2.15"
    )
    services.add_organisation(folk.ana, folk.chapter, name="Nowhere", kind="coop")
    page = (
        login(folk.ben)
        .get(reverse("commons:organisations", args=[folk.chapter.slug]))
        .content.decode()
    )
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "<script>" not in page
    assert '&lt;script&gt;alert(1)&lt;/script&gt;"&amp;' in svg
    assert svg.count("<circle") == 2  # the organisation without coordinates is listed, not mapped


def test_api_needs_offers_and_matches(folk: Any, login: Any) -> None:
    ana, ben = login(folk.ana), login(folk.ben)
    slug = folk.chapter.slug
    r = ana.post(
        "/api/needs",
        json.dumps(
            {
                "chapter": slug,
                "category": "lift",
                "title": "To the assembly",
                "latitude": 41.39,
                "longitude": 2.17,
            }
        ),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    need = r.json()["id"]
    r = ben.post(
        "/api/offers",
        json.dumps(
            {
                "chapter": slug,
                "category": "lift",
                "title": "Car, 3 seats",
                "latitude": 41.4,
                "longitude": 2.16,
            }
        ),
        content_type="application/json",
    )
    offer = r.json()["id"]
    found = ana.get(f"/api/needs/{need}/suggestions").json()
    assert [s["offer"]["id"] for s in found] == [offer] and found[0]["km"] < 2
    assert (
        ben.post(
            f"/api/needs/{need}/matches",
            json.dumps({"offer": offer}),
            content_type="application/json",
        ).status_code
        == 403
    )
    r = ana.post(
        f"/api/needs/{need}/matches", json.dumps({"offer": offer}), content_type="application/json"
    )
    assert r.status_code == 201 and r.json()["giver"] == "Ben"
    assert (
        ben.get(f"/api/needs/history/mine?chapter={slug}").json()["given"][0]["what"]
        == "Car, 3 seats"
    )
    assert ana.get(f"/api/needs/history/totals?chapter={slug}").json() == [
        {"category": "a lift", "matches": 1, "loans_out": 0}
    ]
    r = ana.post(
        "/api/needs",
        json.dumps({"chapter": slug, "category": "bombs", "title": "x"}),
        content_type="application/json",
    )
    assert r.status_code == 422 and "category" in r.json()["detail"]
    assert ana.get("/api/offers?chapter=" + slug).json() == []  # the offer was used up


def test_api_organisations(folk: Any, login: Any) -> None:
    ana = login(folk.ana)
    slug = folk.chapter.slug
    r = ana.post(
        "/api/organisations",
        json.dumps(
            {
                "chapter": slug,
                "name": "Tenants",
                "kind": "tenants",
                "latitude": 41.4,
                "longitude": 2.1,
            }
        ),
        content_type="application/json",
    )
    assert r.status_code == 201
    org = r.json()["id"]
    r = ana.post(
        f"/api/organisations/{org}/followups",
        json.dumps({"what": "call", "due": "2026-12-24", "assignee": folk.ben.pk}),
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["assignee"] == "Ben"
    ana.post(
        f"/api/organisations/{org}/notes",
        json.dumps({"body": "kind people"}),
        content_type="application/json",
    )
    got = ana.get(f"/api/organisations/{org}").json()
    assert got["notes"][0]["body"] == "kind people" and got["followups"][0]["due"] == "2026-12-24"
    r = ana.post(
        "/api/organisations",
        json.dumps({"chapter": slug, "name": "Far", "kind": "coop", "latitude": 100}),
        content_type="application/json",
    )
    assert r.status_code == 422
    assert Organisation.objects.count() == 1
