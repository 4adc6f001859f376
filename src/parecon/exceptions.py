"""One error hierarchy for the whole project.

Front ends render these (the CLI as a one-line message and a non-zero exit,
the web platform as an HTTP status); the core never knows how.

Naming: the core's value error is :class:`InvalidValueError`, so that it is
never mistaken for Django's or Pydantic's ``ValidationError`` in the web
platform (catch those where forms and schemas are parsed, this one where the
core is called). ``ValidationError`` is kept as an alias of the same class
for code written before the rename; new code uses ``InvalidValueError``.
"""

from __future__ import annotations

__all__ = [
    "ConvergenceWarning",
    "InfeasibleError",
    "InputError",
    "InvalidValueError",
    "PareconError",
    "UnusedGoodsWarning",
    "ValidationError",
]


class PareconError(Exception):
    """Base of every error parecon raises on purpose."""


class InvalidValueError(PareconError, ValueError):
    """A value is out of range or inconsistent; the message names where.

    ``where`` locates the problem (a file, a council, a field); ``problem``
    says what is wrong. ``str()`` joins them into one line for a person.
    """

    def __init__(self, problem: str, where: str | None = None) -> None:
        self.problem = problem
        self.where = where
        super().__init__(f"{where}: {problem}" if where else problem)


ValidationError = InvalidValueError
"""The former name of :class:`InvalidValueError` (the same class, kept as an alias)."""


class InputError(InvalidValueError):
    """A file or a table could not be read as what it claims to be."""


class InfeasibleError(PareconError):
    """No solution meets the constraints; the message says which ones bind."""


class ConvergenceWarning(UserWarning):
    """An iterative procedure stopped before meeting its tolerance."""


class UnusedGoodsWarning(UserWarning):
    """Goods that no council supplies or uses were left out of a plan."""
