"""Swaps: accepted when both stay in the band and are qualified; refused with the reason."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from parecon.web.jobs import balancing, services, swapping
from parecon.web.jobs.complexes import effective
from parecon.web.jobs.models import Balance
from tests.web.jobs.conftest import START

pytestmark = pytest.mark.django_db


def _published(bakery: Any, band: float) -> Balance:
    run = balancing.request_balance(bakery.ada, bakery.owner, starts_on=START, band=band)
    run = Balance.objects.get(pk=run.pk)
    assert run.status == "done", run.message
    return balancing.publish_balance(bakery.ada, run)


def _baker_and_other(bakery: Any, run: Balance) -> tuple[Any, Any]:
    """One who bakes twice, one who keeps the books and cleans (the optimal structure)."""
    eff = effective(run)
    baker = next(p for p in bakery.people if eff.of_member(p.pk) == {bakery.bake.pk: 2.0})
    other = next(p for p in bakery.people if bakery.clean.pk in eff.of_member(p.pk))
    return baker, other


def test_a_swap_within_the_band_is_made_when_accepted(bakery: Any) -> None:
    run = _published(bakery, 3)
    baker, other = _baker_and_other(bakery, run)
    swap = swapping.request_swap(
        baker, run, partner=other, give_task=bakery.bake, give_shifts=1,
        take_task=bakery.clean, take_shifts=1,
    )  # fmt: skip
    bystander = next(p for p in bakery.people if p not in (baker, other))
    with pytest.raises(PermissionDenied):
        swapping.answer_swap(bystander, swap, accept=True)
    swapping.answer_swap(other, swap, accept=True)
    eff = effective(run)
    assert eff.of_member(baker.pk) == {bakery.bake.pk: 1.0, bakery.clean.pk: 1.0}
    assert bakery.bake.pk in eff.of_member(other.pk)


def test_a_swap_outside_the_band_is_refused_with_the_reason(bakery: Any) -> None:
    run = _published(bakery, 1)
    baker, other = _baker_and_other(bakery, run)
    with pytest.raises(ValidationError, match="outside the band on empowerment"):
        swapping.request_swap(
            baker, run, partner=other, give_task=bakery.bake, give_shifts=1,
            take_task=bakery.clean, take_shifts=1,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="do not hold 2 shifts"):
        swapping.request_swap(
            other, run, partner=baker, give_task=bakery.clean, give_shifts=2,
            take_task=bakery.bake, take_shifts=2,
        )  # fmt: skip
    assert not run.swaps.exists()


def test_a_swap_needs_both_qualified_and_even_hours(bakery: Any) -> None:
    run = _published(bakery, 3)
    baker, other = _baker_and_other(bakery, run)
    with pytest.raises(ValidationError, match="hours differ"):
        swapping.request_swap(
            baker, run, partner=other, give_task=bakery.bake, give_shifts=2,
            take_task=bakery.clean, take_shifts=1,
        )  # fmt: skip
    licence = services.add_qualification(bakery.ada, bakery.owner, "Oven licence")
    bakery.clean.qualifications.add(licence)
    with pytest.raises(ValidationError, match="not qualified"):
        swapping.request_swap(
            baker, run, partner=other, give_task=bakery.bake, give_shifts=1,
            take_task=bakery.clean, take_shifts=1,
        )  # fmt: skip
