"""One guard against CSV injection for every writer of CSV files."""

from __future__ import annotations

import pytest

from parecon.csv_cells import FORMULA_START, formula_safe


@pytest.mark.parametrize("start", FORMULA_START)
def test_a_cell_a_spreadsheet_would_run_gets_a_quote(start: str) -> None:
    assert formula_safe(start + "HYPERLINK(x)") == "'" + start + "HYPERLINK(x)"


def test_other_cells_are_left_alone() -> None:
    assert formula_safe("bread = good") == "bread = good" and formula_safe("") == ""


def test_the_writers_share_it() -> None:
    from parecon.scenario import proposals_file, work_tables
    from parecon.web.decisions import selectors as decisions
    from parecon.web.treasury import selectors as treasury

    assert proposals_file.csv_text is formula_safe
    assert work_tables.FORMULA_START is FORMULA_START
    assert decisions.formula_safe is formula_safe
    assert treasury._cell is formula_safe
