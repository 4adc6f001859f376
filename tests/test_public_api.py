"""The public names of each package, pinned: changing them is a decision, not an accident."""

from __future__ import annotations

import importlib

import pytest

PUBLIC = {
    "parecon.engine": {
        "AffectedConsumers",
        "BoardState",
        "CESConsumers",
        "Community",
        "CobbDouglasConsumers",
        "CobbDouglasWorkers",
        "Economy",
        "FacilitationBoard",
        "FixedSupply",
        "GoodCategory",
        "Goods",
        "PlanResult",
        "PlanningProcedure",
        "Population",
        "PriceRule",
        "Proposals",
        "Response",
        "RoundRecord",
        "SubmittedProposals",
        "ValueFlows",
        "available_rules",
        "gaps",
        "get_rule",
        "plan",
        "play_round",
        "register_rule",
        "signed_gaps",
    },
    "parecon.scenario": {
        "economy_document",
        "economy_from_document",
        "economy_from_pequod",
        "load_economy",
        "save_economy",
        "schema",
    },
    "parecon.exceptions": {
        "ConvergenceWarning",
        "InfeasibleError",
        "InputError",
        "InvalidValueError",
        "PareconError",
        "ValidationError",
    },
}


@pytest.mark.parametrize("module", sorted(PUBLIC))
def test_public_names_are_pinned(module: str) -> None:
    mod = importlib.import_module(module)
    assert PUBLIC[module] <= set(mod.__all__), "a public name disappeared"
    for name in mod.__all__:
        assert hasattr(mod, name), f"{module}.__all__ lists missing {name}"


def test_the_core_value_error_has_its_own_name_and_the_old_one_is_an_alias() -> None:
    """The web platform also meets Django's and Pydantic's ``ValidationError``."""
    from parecon import exceptions

    assert exceptions.InvalidValueError.__name__ == "InvalidValueError"
    assert exceptions.ValidationError is exceptions.InvalidValueError
    assert issubclass(exceptions.InputError, exceptions.InvalidValueError)
    assert issubclass(exceptions.InvalidValueError, exceptions.PareconError)
