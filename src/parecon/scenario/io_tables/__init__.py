"""Input-output tables: readers (pymrio's text format, IBGE's supply-use tables)
and the calibration that turns a national table into an economy of councils."""

from parecon.scenario.io_tables.table import IOTable

__all__ = ["IOTable"]
