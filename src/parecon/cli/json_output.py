"""``--json PATH`` or ``--json -``: a command's result as JSON, to a file or standard output."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

__all__ = ["write_json_output"]


def write_json_output(document: Any, target: str) -> None:
    """Write ``document`` as indented JSON to the file ``target`` (``-``: standard output)."""
    text = json.dumps(document, indent=1) + "\n"
    if target == "-":
        sys.stdout.write(text)
    else:
        Path(target).write_text(text)
