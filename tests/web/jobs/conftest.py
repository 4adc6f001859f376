"""A small workplace: a bakery of four with three rated duties, its steward Ada."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

START = date(2027, 1, 4)  # a Monday


@pytest.fixture
def bakery(chapter: Any, make_member: Any) -> SimpleNamespace:
    from parecon.web.councils import services as councils
    from parecon.web.jobs import services
    from parecon.web.jobs.owners import Owner

    ada = chapter.founder  # the chapter's admin: a steward of its councils
    council = councils.create_council(ada, chapter, name="Bakery", level="workplace")
    people = [ada, *(make_member(n) for n in ("Bo", "Cy", "Di"))]
    for p in people:
        councils.join_council(p, council)
    owner = Owner(chapter, council)
    # 4 people × 8 h = 32 h: bake 4×4 h, books 2×4 h, clean 2×4 h (all 4 h shifts)
    bake = services.create_task(
        ada, owner, kind="recurring", name="Bake", shift_hours=4, shifts_per_week=4
    )
    books = services.create_task(
        ada, owner, kind="recurring", name="Books", shift_hours=4, shifts_per_week=2
    )
    clean = services.create_task(
        ada, owner, kind="recurring", name="Clean", shift_hours=4, shifts_per_week=2
    )
    scores = {bake.pk: (10, 10), books.pk: (16, 12), clean.pk: (4, 6)}
    for k, p in enumerate(people):
        for task in (bake, books, clean):
            e, d = scores[task.pk]
            services.rate_task(p, task, empowerment=e + k % 2, desirability=d - k % 2)
    return SimpleNamespace(
        chapter=chapter, council=council, owner=owner, people=people, ada=ada,
        bake=bake, books=books, clean=clean,
    )  # fmt: skip
