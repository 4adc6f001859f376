"""Double-entry arithmetic of a chapter's books, in Decimal, with no Django.

An entry is a set of lines (account, amount); debits are positive, credits negative,
and every entry sums to zero, so the books as a whole always balance. Asset accounts
(cash, bank, a project's fund) hold money; income and expense accounts say where it
came from and went; equity holds the opening balance. A correction is a new entry
that reverses another, never an edit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["CENT", "LedgerError", "Line", "balances", "check_entry", "money", "reversal"]

CENT = Decimal("0.01")
KINDS = ("asset", "income", "expense", "equity")


class LedgerError(ValueError):
    """An entry that would unbalance the books, or an amount that is not money."""


@dataclass(frozen=True)
class Line:
    account: str
    amount: Decimal


def money(text: object, field: str = "amount") -> Decimal:
    """Parse an amount (``12.50``, ``-3``, ``1,250.00``) as Decimal cents, exactly."""
    if isinstance(text, float):
        raise LedgerError(f"{field}: money is never a float ({text!r}); pass text or Decimal")
    raw = str(text).strip().replace(",", "") if not isinstance(text, Decimal) else text
    try:
        value = Decimal(raw)
    except (InvalidOperation, ValueError) as exc:
        raise LedgerError(f"{field}: not an amount of money: {text!r}") from exc
    if not value.is_finite():
        raise LedgerError(f"{field}: not an amount of money: {text!r}")
    if value != value.quantize(CENT):
        raise LedgerError(f"{field}: {text!r} has more than two decimals")
    if abs(value) >= Decimal("1e12"):
        raise LedgerError(f"{field}: {text!r} is too large")
    return value.quantize(CENT)


def check_entry(lines: Sequence[Line]) -> None:
    """Refuse an entry that does not balance, or is empty or one-sided."""
    if len(lines) < 2:
        raise LedgerError("an entry needs at least two lines (from and to)")
    if any(line.amount == 0 for line in lines):
        raise LedgerError("a line of zero moves nothing")
    total = sum((line.amount for line in lines), Decimal(0))
    if total != 0:
        raise LedgerError(f"the entry does not balance: debits and credits differ by {total}")


def reversal(lines: Sequence[Line]) -> list[Line]:
    """The lines of the entry that undoes ``lines``."""
    return [Line(line.account, -line.amount) for line in lines]


def balances(entries: Iterable[Sequence[Line]], kinds: Mapping[str, str]) -> dict[str, Decimal]:
    """Each account's balance, in its natural sign (income and equity as positive)."""
    totals: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for lines in entries:
        for line in lines:
            totals[line.account] += line.amount
    return {
        account: (-total if kinds.get(account) in ("income", "equity") else total)
        for account, total in totals.items()
    }
