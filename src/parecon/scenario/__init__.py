"""Economy files: parecon's own format (JSON/TOML with a JSON Schema) and Pequod's."""

from parecon.scenario.economy_file import economy_from_document, load_economy, schema
from parecon.scenario.economy_writer import economy_document, save_economy
from parecon.scenario.pequod import economy_from_pequod

__all__ = [
    "economy_document",
    "economy_from_document",
    "economy_from_pequod",
    "load_economy",
    "save_economy",
    "schema",
]
