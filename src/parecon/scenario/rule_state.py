"""The board's memory as JSON (moved to :mod:`parecon.engine.rule_state`; re-exported)."""

from parecon.engine.rule_state import state_from_json, state_to_json

__all__ = ["state_from_json", "state_to_json"]
