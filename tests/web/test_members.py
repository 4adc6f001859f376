"""Membership: joining through allauth, profiles and their visibility, export, erasure."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from parecon.web.chapters.models import Chapter, Membership, RoleGrant
from parecon.web.history.models import AppendOnlyError, Event
from parecon.web.members.models import Member

pytestmark = pytest.mark.django_db


def _join(client: Client, **fields: str) -> Any:
    data = {
        "name": "Nadia",
        "email": "nadia@example.org",
        "password1": "correct horse battery staple",
        "password2": "correct horse battery staple",
        "city": "Barcelona",
        "city_id": "3128760",
    }
    data.update(fields)
    return client.post(reverse("account_signup"), data)


def test_join_verifies_email_and_places_member_in_city_chapter() -> None:
    client = Client()
    response = _join(client)
    assert response.status_code == 302
    member = Member.objects.get(email="nadia@example.org")
    chapter = Chapter.objects.get(geonameid=3128760)
    assert chapter.level == "city" and chapter.parent is not None
    assert chapter.parent.level == "region" and chapter.parent.parent.level == "country"
    assert Membership.objects.active().filter(member=member, chapter=chapter).exists()
    # The founder of a new chapter holds admin for a first term.
    grant = RoleGrant.objects.get(member=member, chapter=chapter)
    assert grant.role == "admin" and grant.source == "founding" and grant.is_current
    # Mandatory verification: the e-mail carries a link that logs the member in.
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body)
    assert link is not None
    path = link.group(0).split("testserver", 1)[1]
    assert client.post(path).status_code == 302
    assert client.get(reverse("site:home")).context["user"] == member


def test_same_named_cities_ask_which_one() -> None:
    response = _join(Client(), city="San Diego", city_id="")
    assert response.status_code == 200
    assert "pick yours" in response.content.decode()
    choices = dict(response.context["form"].fields["city_id"].widget.choices)
    labels = " | ".join(choices.values())
    assert "California, United States" in labels and "Spain" in labels
    us = next(k for k, v in choices.items() if "United States" in v)
    assert _join(Client(), city="San Diego", city_id=us).status_code == 302
    member = Member.objects.get(email="nadia@example.org")
    assert member.country_code == "US" and member.region == "California"


def test_unknown_city_is_a_form_error() -> None:
    response = _join(Client(), city="Atlantis-under-the-sea", city_id="")
    assert response.status_code == 200
    assert "We know no city called" in response.content.decode()
    assert not Member.objects.exists()


def test_hostile_profile_text_is_escaped(make_member: Any, login: Any) -> None:
    member = make_member()
    client = login(member)
    script = "<script>alert(1)</script>"
    response = client.post(
        reverse("members:edit"),
        {
            "name": script,
            "bio": script,
            "city": "Barcelona",
            "city_id": "3128760",
            "near_me": "on",
            "language": "en",
            "digest": "weekly",
            "show_city": "public",
            "show_bio": "public",
            "show_photo": "chapter",
            "show_email": "chapter",
        },
    )
    assert response.status_code == 302
    page = Client().get(reverse("members:profile", args=[member.pk])).content.decode()
    assert script not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_visibility_per_field(make_member: Any, other_chapter: Any, login: Any) -> None:
    member = make_member(bio="I bake.")
    member.visibility = {"city": "public", "bio": "chapter", "photo": "chapter", "email": "chapter"}
    member.save()
    neighbour = make_member()
    stranger = make_member(city=3117735)
    url = reverse("members:profile", args=[member.pk])
    assert "I bake." in login(neighbour).get(url).content.decode()
    assert "I bake." not in login(stranger).get(url).content.decode()
    anonymous = Client().get(url).content.decode()
    assert "I bake." not in anonymous and "Barcelona" in anonymous
    assert member.email not in anonymous


def test_photo_is_reencoded_and_size_limited(make_member: Any, login: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    member = make_member()
    buf = io.BytesIO()
    Image.new("RGB", (2000, 1000), "red").save(buf, format="PNG")
    upload = SimpleUploadedFile("x.png", buf.getvalue(), content_type="image/png")
    from parecon.web.members.services import set_photo

    set_photo(member, upload)
    with Image.open(member.photo.path) as stored:
        assert stored.format == "JPEG" and max(stored.size) == 512
    bad = SimpleUploadedFile("x.png", b"<?php echo 1; ?>", content_type="image/png")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="not an image"):
        set_photo(member, bad)


def test_export_my_data(make_member: Any, login: Any) -> None:
    member = make_member("Exporter")
    response = login(member).get(reverse("members:export"))
    data = json.loads(response.content)
    assert data["profile"]["name"] == "Exporter"
    assert data["memberships"][0]["chapter"].startswith("Barcelona")


def test_delete_account_pseudonymises_in_one_recorded_step(make_member: Any, login: Any) -> None:
    member = make_member("Vanishing Person", bio="secret bio")
    events_before = Event.objects.filter(actor=member).count()
    client = login(member)
    assert client.post(reverse("members:delete"), {"confirm": "delete"}).status_code == 302
    member.refresh_from_db()
    assert member.display_name == "a former member" and member.bio == ""
    assert "Vanishing" not in member.email and not member.is_active
    assert not Membership.objects.active().filter(member=member).exists()
    assert Event.objects.filter(actor=member, verb="member.erased").count() == 1
    assert Event.objects.filter(actor=member).count() == events_before + 1
    assert (
        "Vanishing Person"
        not in Client().get(reverse("members:profile", args=[member.pk])).content.decode()
    )


def test_history_is_append_only(make_member: Any) -> None:
    make_member()
    event = Event.objects.first()
    assert event is not None
    event.summary = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.all().update(summary="x")
    # The database refuses too, even without the model.
    from django.db import DatabaseError, connection, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE history_event SET summary = 'x'")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM history_event")


def test_members_near_me(make_member: Any, login: Any) -> None:
    me = make_member("Me")
    near = make_member("Near", near_me=True)
    make_member("Hidden", near_me=False)
    far = make_member("Far", city=3117735, near_me=True)
    page = login(me).get(reverse("members:near"), {"km": "50"}).content.decode()
    assert "Near" in page and "Hidden" not in page and "Far" not in page
    assert near.pk and far.pk


def test_production_settings_hash_with_argon2() -> None:
    from parecon.web import settings as production

    assert (
        "Argon2" in production.PASSWORD_HASHERS[0]
        or "argon2" in production.PASSWORD_HASHERS[0].lower()
    )
    from parecon.web.members.hashers import ParticipatoryArgon2Hasher

    encoded = ParticipatoryArgon2Hasher().encode("pw", ParticipatoryArgon2Hasher().salt())
    assert encoded.startswith("argon2$argon2id$") and ParticipatoryArgon2Hasher().verify(
        "pw", encoded
    )


def test_database_is_the_one_the_environment_names() -> None:
    import os

    from django.db import connection

    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )
    assert connection.vendor == expected


def test_pages_link_stylesheet_that_is_served(client: Client) -> None:
    from django.contrib.staticfiles import finders

    page = client.get(reverse("site:home")).content.decode()
    assert "/static/parecon/site.css" in page
    assert finders.find("parecon/site.css") is not None
