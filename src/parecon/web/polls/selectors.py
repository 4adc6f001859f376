"""Reads of time polls: who is invited, the counted result, a viewer's zone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from parecon.selfmanagement.time_polls import TimePollResult
from parecon.web import gazetteer
from parecon.web.councils.models import Council
from parecon.web.members.models import Member
from parecon.web.polls import arithmetic
from parecon.web.polls.models import Invitees, PollAnswer, TimePoll

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


#: Federations nest a few levels (workplace → industry, household → region).
MAX_DEPTH = 16


def council_tree(council: Council) -> list[Council]:
    """The council and every council below it (a federation's member councils)."""
    tree, frontier = [council], [council.pk]
    for _depth in range(MAX_DEPTH):
        below = list(Council.objects.filter(parent_id__in=frontier))
        if not below:
            break
        tree += below
        frontier = [c.pk for c in below]
    return tree


def council_members(council: Council) -> QuerySet[Member]:
    """Active members of a council: of its base councils, or the chapters those act for."""
    tree = council_tree(council)
    acting = [c.chapter_id for c in tree if c.acts_for_chapter]
    return Member.objects.filter(
        Q(
            council_memberships__council__in=[c.pk for c in tree],
            council_memberships__left_at__isnull=True,
        )
        | Q(memberships__chapter__in=acting, memberships__left_at__isnull=True),
        is_active=True,
    ).distinct()


def councils_containing(member: Member) -> list[int]:
    """Ids of the councils whose members include ``member`` (their councils and the
    federations above them), for polls and meetings invited by council."""
    direct = Council.objects.filter(
        memberships__member=member, memberships__left_at__isnull=True
    ).select_related("parent")
    acting = Council.objects.filter(
        acts_for_chapter=True,
        chapter__memberships__member=member,
        chapter__memberships__left_at__isnull=True,
    ).select_related("parent")
    ids: set[int] = set()
    for c in [*direct, *acting]:
        ids.add(c.pk)
        ids.update(a.pk for a in c.ancestors())
    return sorted(ids)


def invitee_members(poll: TimePoll) -> QuerySet[Member]:
    if poll.invitees == Invitees.LIST:
        return poll.invited.filter(is_active=True)
    if poll.invitees == Invitees.COUNCIL and poll.council is not None:
        return council_members(poll.council)
    return Member.objects.filter(
        is_active=True, memberships__chapter=poll.chapter, memberships__left_at__isnull=True
    )


def voter_keys(poll: TimePoll) -> list[str]:
    """Everyone expected to answer: invited members and live guests."""
    keys = [f"m{pk}" for pk in invitee_members(poll).values_list("pk", flat=True)]
    keys += [
        f"g{pk}" for pk in poll.guests.filter(revoked_at__isnull=True).values_list("pk", flat=True)
    ]
    return keys


def live_answers(poll: TimePoll) -> QuerySet[PollAnswer]:
    """Answers of current invitees and live guests (a revoked guest's no longer count)."""
    from django.db.models import Q

    return PollAnswer.objects.filter(option__poll=poll).filter(
        Q(guest__isnull=False, guest__revoked_at__isnull=True) | Q(member__in=invitee_members(poll))
    )


def poll_result(poll: TimePoll) -> TimePollResult:
    return arithmetic.count(poll.options.all(), live_answers(poll), voter_keys(poll))


def voter_names(poll: TimePoll) -> dict[str, str]:
    names = {f"m{m.pk}": m.display_name for m in invitee_members(poll)}
    names.update({f"g{g.pk}": g.name for g in poll.guests.all()})
    for a in live_answers(poll).select_related("member"):
        if a.member is not None:
            names.setdefault(a.voter, a.member.display_name)
    return names


def member_zone(member: Member | AnonymousUser | None, fallback: str) -> str:
    """A member's time zone: their city's, else ``fallback`` (the poll's)."""
    city = getattr(member, "city_geonameid", None)
    if city:
        place = gazetteer.place(city)
        if place is not None and place.timezone:
            return place.timezone
    return fallback
