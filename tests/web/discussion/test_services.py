"""The discussion's rules: who may post, edit, announce, flag and hide; mentions; history."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from parecon.web.chapters.models import Chapter, Level
from parecon.web.chapters.services import join
from parecon.web.discussion import selectors, services
from parecon.web.discussion.access import can_read
from parecon.web.discussion.models import Flag, Notification, Post, PostRevision, Thread
from parecon.web.history.models import Event

pytestmark = pytest.mark.django_db


def _thread(people: Any, **kw: Any) -> Thread:
    thread, _found = services.start_thread(
        people.alice,
        people.chapter,
        title=kw.pop("title", "Bread"),
        body=kw.pop("body", "Hi"),
        **kw,
    )
    return thread


def test_members_start_threads_and_reply_and_participants_are_notified(people: Any) -> None:
    thread = _thread(people)
    post, _found = services.reply(people.bob, thread, body="Hello Alice")
    thread.refresh_from_db()
    assert thread.replies == 1 and post.thread == thread
    assert Notification.objects.filter(member=people.alice, kind="reply", post=post).count() == 1
    # The replier is not notified of their own reply; the next reply tells both.
    services.reply(people.founder, thread, body="Me too")
    assert set(Notification.objects.filter(kind="reply").values_list("member", flat=True)) == {
        people.alice.pk,
        people.bob.pk,
    }
    assert Event.objects.filter(verb="discussion.replied", public=False).count() == 2


def test_who_may_post(people: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    wrong: Any
    for wrong in (AnonymousUser(), people.stranger):
        with pytest.raises(PermissionDenied):
            services.start_thread(wrong, people.chapter, title="x", body="y")
    thread = _thread(people)
    with pytest.raises(PermissionDenied):
        services.reply(people.stranger, thread, body="let me in")
    assert Post.objects.count() == 1 and Thread.objects.count() == 1


def test_reading_city_threads_needs_membership_but_wider_chapters_are_open_to_members(
    people: Any,
) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert can_read(people.alice, people.chapter)
    assert not can_read(people.stranger, people.chapter)
    assert not can_read(AnonymousUser(), people.chapter)
    spain = Chapter.objects.get(level=Level.COUNTRY, country_code="ES")
    assert can_read(people.stranger, spain) and not can_read(AnonymousUser(), spain)
    # ... but posting there needs joining it.
    with pytest.raises(PermissionDenied):
        services.start_thread(people.stranger, spain, title="Hola", body="?")
    join(people.stranger, spain)
    thread, _found = services.start_thread(people.stranger, spain, title="Hola", body="¿Qué tal?")
    assert thread.chapter == spain
    with pytest.raises(PermissionDenied):
        selectors.chapter_threads(AnonymousUser(), spain)


def test_edits_keep_every_revision(people: Any) -> None:
    thread = _thread(people, title="Bred", body="first text")
    opening = thread.posts.get()
    services.edit_post(people.alice, opening, body="second text", title="Bread")
    services.edit_post(people.alice, opening, body="third text")
    revisions = list(PostRevision.objects.filter(post=opening).order_by("number"))
    assert [(r.number, r.title, r.body) for r in revisions] == [
        (1, "Bred", "first text"),
        (2, "Bread", "second text"),
        (3, "Bread", "third text"),
    ]
    opening.refresh_from_db()
    thread.refresh_from_db()
    assert (
        opening.body == "third text" and opening.edited_at is not None and thread.title == "Bread"
    )
    assert next(r.body for r in selectors.post_revisions(people.bob, opening)) == "first text"
    with pytest.raises(ValidationError, match="Nothing changed"):
        services.edit_post(people.alice, opening, body="third text")


def test_only_the_author_edits(people: Any) -> None:
    opening = _thread(people, body="mine").posts.get()
    for wrong in (people.bob, people.mediator, people.founder, people.stranger):
        with pytest.raises(PermissionDenied):
            services.edit_post(wrong, opening, body="theirs")
    opening.refresh_from_db()
    assert opening.body == "mine" and opening.revisions.count() == 1


def test_mentions_by_handle_or_unique_first_name_notify_within_the_chapter(
    people: Any, make_member: Any
) -> None:
    make_member("Bob Builder")  # a second Bob makes @bob ambiguous
    thread, found = services.start_thread(
        people.alice,
        people.chapter,
        title="Mentions",
        body="@meda and @bob-baker, also @bob, @nobody, mail a@b.org, and @stranger-madrid",
    )
    assert set(found.members) == {"meda", "bob-baker"}
    assert found.ambiguous == ["bob"]
    assert set(found.unknown) == {"nobody", "stranger-madrid"}  # not in this chapter
    mentioned = Notification.objects.filter(kind="mention")
    assert set(mentioned.values_list("member", flat=True)) == {people.mediator.pk, people.bob.pk}
    # An edit notifies only the newly mentioned.
    opening = thread.posts.get()
    services.edit_post(people.alice, opening, body="@meda and @bob-baker and @fay")
    assert mentioned.count() == 3
    assert mentioned.filter(member=people.facilitator).count() == 1


def test_announcements_are_for_facilitators_and_emailed(people: Any) -> None:
    for wrong in (people.alice, people.mediator, people.founder, people.stranger):
        with pytest.raises(PermissionDenied):
            services.start_thread(wrong, people.chapter, title="A", body="B", announcement=True)
    assert not Thread.objects.exists() and not mail.outbox
    thread, _found = services.start_thread(
        people.facilitator, people.chapter, title="Assembly", body="Thursday", announcement=True
    )
    assert thread.is_announcement
    recipients = sorted(r for m in mail.outbox for r in m.to)
    expected = sorted(m.email for m in (people.founder, people.mediator, people.alice, people.bob))
    assert recipients == expected  # every member but the author, none from Madrid
    assert "Assembly" in mail.outbox[0].subject and "Thursday" in mail.outbox[0].body
    assert Notification.objects.filter(kind="announcement").count() == 4
    assert Event.objects.get(verb="discussion.announced").public


def test_announcement_email_is_in_each_members_language(people: Any) -> None:
    people.bob.language = "es"
    people.bob.save()
    services.start_thread(
        people.facilitator, people.chapter, title="Asamblea", body="Jueves", announcement=True
    )
    to_bob = next(m for m in mail.outbox if m.to == [people.bob.email])
    to_alice = next(m for m in mail.outbox if m.to == [people.alice.email])
    assert "Anuncio" in to_bob.subject and "Announcement" in to_alice.subject


def test_flag_goes_to_mediators_who_hide_with_a_reason(people: Any) -> None:
    thread = _thread(people)
    rude, _found = services.reply(people.bob, thread, body="rude words")
    flag = services.flag_post(people.alice, rude, reason="insulting")
    assert Notification.objects.filter(member=people.mediator, kind="flag").count() == 1
    assert list(selectors.open_flags(people.chapter)) == [flag]
    with pytest.raises(ValidationError, match="already flagged"):
        services.flag_post(people.alice, rude, reason="again")
    with pytest.raises(ValidationError, match="own post"):
        services.flag_post(people.bob, rude, reason="me")
    with pytest.raises(PermissionDenied):
        services.flag_post(people.stranger, rude, reason="outsider")
    for wrong in (people.alice, people.facilitator, people.founder, people.stranger):
        with pytest.raises(PermissionDenied):
            services.hide_post(wrong, rude, reason="no")
    rude.refresh_from_db()
    assert not rude.is_hidden
    services.hide_post(people.mediator, rude, reason="Please be kind")
    rude = Post.objects.get(pk=rude.pk)
    flag.refresh_from_db()
    assert rude.is_hidden and rude.hidden_reason == "Please be kind" and flag.outcome == "hidden"
    event = Event.objects.get(verb="discussion.hidden")
    assert event.public and "Please be kind" in event.summary and event.chapter == people.chapter
    assert Notification.objects.filter(member=people.bob, kind="hidden").count() == 1
    assert Notification.objects.filter(member=people.alice, kind="flag_answered").count() == 1
    with pytest.raises(PermissionDenied):
        services.edit_post(people.bob, rude, body="nicer")
    shown = {
        s.post.pk: s for s in selectors.shown_posts(people.alice, thread, list(thread.posts.all()))
    }
    assert not shown[rude.pk].text_shown
    shown = {
        s.post.pk: s for s in selectors.shown_posts(people.bob, thread, list(thread.posts.all()))
    }
    assert shown[rude.pk].text_shown
    with pytest.raises(PermissionDenied):
        list(selectors.post_revisions(people.alice, rude))
    services.unhide_post(people.mediator, rude)
    assert not Post.objects.get(pk=rude.pk).is_hidden
    assert Event.objects.filter(verb="discussion.unhidden").exists()


def test_mediator_dismisses_a_flag(people: Any) -> None:
    post, _found = services.reply(people.bob, _thread(people), body="fine words")
    flag = services.flag_post(people.alice, post, reason="?")
    with pytest.raises(PermissionDenied):
        services.dismiss_flag(people.alice, flag)
    services.dismiss_flag(people.mediator, flag)
    assert Notification.objects.filter(member=people.alice, kind="flag_answered").count() == 1
    flag.refresh_from_db()
    assert flag.outcome == Flag.Outcome.DISMISSED and not selectors.open_flags(people.chapter)


def test_hostile_and_oversized_text(people: Any) -> None:
    with pytest.raises(ValidationError, match=r"at most 10,000 characters; this one has 10,001"):
        services.start_thread(people.alice, people.chapter, title="t", body="x" * 10_001)
    with pytest.raises(ValidationError, match="at most 200 characters"):
        services.start_thread(people.alice, people.chapter, title="t" * 201, body="x")
    with pytest.raises(ValidationError, match="cannot be empty"):
        services.start_thread(people.alice, people.chapter, title="  ", body="x")
    thread, _found = services.start_thread(
        people.alice, people.chapter, title="NUL\x00 here", body="a\x00b\x07c"
    )
    assert thread.title == "NUL here" and thread.posts.get().body == "abc"
    assert Thread.objects.count() == 1


def test_mark_read(people: Any) -> None:
    thread = _thread(people)
    services.reply(people.bob, thread, body="1")
    services.reply(people.bob, thread, body="2")
    assert selectors.unread_count(people.alice) == 2
    first = Notification.objects.filter(member=people.alice).last()
    assert first is not None
    # Someone else's ids mark nothing of theirs.
    assert services.mark_read(people.bob, [first.pk]) == 0
    assert services.mark_read(people.alice, [first.pk]) == 1
    assert selectors.unread_count(people.alice) == 1
    assert services.mark_thread_read(people.alice, thread) == 1
    assert selectors.unread_count(people.alice) == 0


def test_a_racing_second_flag_is_a_clear_message(
    people: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two requests flag at once: the loser meets the database's constraint, not a 500."""
    from django.db.models.query import QuerySet

    post, _found = services.reply(people.bob, _thread(people), body="words")
    services.flag_post(people.alice, post, reason="first")
    exists = QuerySet.exists

    def blind(self: QuerySet[Any]) -> bool:  # the other request has not committed yet
        return False if self.model is Flag else exists(self)

    monkeypatch.setattr(QuerySet, "exists", blind)
    with pytest.raises(ValidationError, match="already flagged"):
        services.flag_post(people.alice, post, reason="second")
    monkeypatch.undo()
    assert Flag.objects.filter(post=post).count() == 1
