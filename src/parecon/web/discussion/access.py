"""Who may read a chapter's threads.

A city chapter is where members meet face to face and talk about their neighbours, so
its threads are for its members only. Threads of a region, country or the
international chapter are readable by every member of the organisation (logged in),
so that a city's members can follow the wider discussion before joining it; anonymous
visitors read none. Posting anywhere needs membership of the thread's chapter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from parecon.web.chapters.models import Level
from parecon.web.chapters.permissions import is_member, require_login

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from parecon.web.chapters.models import Chapter
    from parecon.web.members.models import Member


def can_read(member: Member | AnonymousUser | None, chapter: Chapter) -> bool:
    if member is None or not member.is_authenticated or not member.is_active:
        return False
    if chapter.level == Level.CITY:
        return is_member(member, chapter)
    return True


def require_reader(member: Member | AnonymousUser | None, chapter: Chapter) -> Member:
    reader = require_login(member)
    if not can_read(reader, chapter):
        raise PermissionDenied(
            _("The threads of %(chapter)s are for its members.") % {"chapter": chapter}
        )
    return reader
