"""The examples in docs/format.md and examples/economies load and plan."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from parecon.engine import PlanningProcedure
from parecon.engine.plan_accounts import pollution_accounts
from parecon.scenario import load_economy

ROOT = Path(__file__).resolve().parents[2]


def test_the_minimal_economy_in_the_docs_plans(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "format.md").read_text()
    (block,) = re.findall(r"```toml\n(.*?)```", text, flags=re.S)
    path = tmp_path / "minimal.toml"
    path.write_text(block)
    result = PlanningProcedure(tolerance=0.001).run(load_economy(path))
    assert result.converged


@pytest.mark.parametrize("name", ["village.toml", "river-valley.toml"])
def test_shipped_examples_plan(name: str) -> None:
    economy = load_economy(ROOT / "examples" / "economies" / name)
    result = PlanningProcedure(tolerance=0.01).run(economy)
    assert result.converged


def test_river_valley_credits_the_communities_what_polluters_pay() -> None:
    economy = load_economy(ROOT / "examples" / "economies" / "river-valley.toml")
    result = PlanningProcedure(tolerance=1e-4).run(economy)
    accounts = pollution_accounts(economy, result.prices)
    assert set(accounts.community_credits) == {"valley", "national federation"}
    assert accounts.charges == pytest.approx(accounts.credits, rel=1e-3)
    co2 = next(p for p in accounts.pollutants if p.good == "co2")
    assert co2.permitted == pytest.approx(40.0)  # the cap


def test_capital_is_a_resource(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "format.md").read_text()
    (block,) = re.findall(r"```toml\n(.*?)```", text, flags=re.S)
    block = block.replace(
        '{ name = "labour", category = "labour" },',
        '{ name = "labour", category = "labour" },\n  { name = "ovens", category = "capital" },',
    )
    block = block.replace("labour = 100", "labour = 100\novens = 10")
    block = block.replace("inputs = { labour = 0.8 }", "inputs = { labour = 0.6, ovens = 0.2 }")
    path = tmp_path / "capital.toml"
    path.write_text(block)
    economy = load_economy(path)
    assert economy.goods.categories[economy.goods.index("ovens")] == 2  # RESOURCE
    assert PlanningProcedure(tolerance=0.01).run(economy).converged
