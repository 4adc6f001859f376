"""Parecon's values as data: what members rate an institution against, and how.

Each value has guiding questions that the rating form shows; scores are 0–10.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MIN_SCORE, MAX_SCORE = 0, 10


@dataclass(frozen=True)
class Value:
    key: str
    label: Promise
    questions: tuple[Promise, ...]


VALUES: tuple[Value, ...] = (
    Value(
        "self_management",
        _("self-management"),
        (
            _("Do people have a say in decisions in proportion to how much they affect them?"),
            _("Who sets the agenda, and can workers and users change it?"),
        ),
    ),
    Value(
        "equity",
        _("equity"),
        (
            _("Is pay by effort and sacrifice, with additions for need, not by power or property?"),
            _("How large is the gap between the best and the worst paid?"),
        ),
    ),
    Value(
        "solidarity",
        _("solidarity"),
        (
            _("Does the institution gain at others' expense, or with them?"),
            _("Does it share information and help with those who depend on it?"),
        ),
    ),
    Value(
        "diversity",
        _("diversity"),
        (
            _("Are many ways of working and living respected, or one imposed?"),
            _("Who is missing from its members and its decisions?"),
        ),
    ),
    Value(
        "ecological_balance",
        _("ecological balance"),
        (
            _("Does it account for the harm it does to land, air and water, and pay for it?"),
            _("Would its way of working last for generations?"),
        ),
    ),
    Value(
        "efficiency",
        _("efficiency"),
        (
            _("Does it meet needs without wasting people's time, skills and resources?"),
            _("Are tasks balanced so that no one only does the empowering work?"),
        ),
    ),
)
KEYS = tuple(v.key for v in VALUES)
