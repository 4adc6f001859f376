"""The ledger's arithmetic: Decimal money, balanced entries, books that always balance."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parecon.web.treasury.ledger import LedgerError, Line, balances, check_entry, money, reversal

cents = (
    st.integers(min_value=-(10**9), max_value=10**9).filter(bool).map(lambda c: Decimal(c) / 100)
)
accounts = st.sampled_from(["cash", "bank", "dues", "room", "opening"])
KINDS = {"cash": "asset", "bank": "asset", "dues": "income", "room": "expense", "opening": "equity"}


@st.composite
def entries(draw: st.DrawFn) -> list[Line]:
    """A balanced entry: some lines and one that balances them."""
    lines = [Line(draw(accounts), draw(cents)) for _ in range(draw(st.integers(1, 4)))]
    rest = -sum((line.amount for line in lines), Decimal(0))
    if rest == 0:
        lines.append(Line(draw(accounts), Decimal("0.01")))
        rest = Decimal("-0.01")
    lines.append(Line(draw(accounts), rest))
    return lines


@given(st.lists(entries(), max_size=20))
def test_books_of_balanced_entries_always_balance(books: list[list[Line]]) -> None:
    for e in books:
        check_entry(e)
    result = balances(books, KINDS)
    signed = sum(
        (-v if KINDS[a] in ("income", "equity") else v for a, v in result.items()), Decimal(0)
    )
    assert signed == 0


@given(entries())
def test_a_reversal_cancels_its_entry(entry: list[Line]) -> None:
    check_entry(reversal(entry))
    assert all(v == 0 for v in balances([entry, reversal(entry)], KINDS).values())


@given(entries(), cents)
def test_an_unbalanced_entry_is_refused(entry: list[Line], extra: Decimal) -> None:
    with pytest.raises(LedgerError, match="does not balance"):
        check_entry([*entry, Line("cash", extra)])


def test_money_is_decimal_cents_never_float() -> None:
    assert money("1,250.50") == Decimal("1250.50")
    assert money("-3") == Decimal("-3.00")
    for bad in ("12.345", "abc", "NaN", "Infinity", "1e20", ""):
        with pytest.raises(LedgerError):
            money(bad)
    with pytest.raises(LedgerError, match="float"):
        money(0.1)
    with pytest.raises(LedgerError, match="two lines"):
        check_entry([Line("cash", Decimal(0))])
