"""Reading a small text file (a CSV table) with one-line errors that name it."""

from __future__ import annotations

from pathlib import Path

from parecon.exceptions import InputError

__all__ = ["read_text"]


def read_text(path: Path) -> str:
    """``path`` as UTF-8 text (a byte-order mark dropped); a missing, unreadable or
    non-UTF-8 file is an :class:`InputError` naming it."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read file ({exc})", str(path)) from None
