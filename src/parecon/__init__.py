"""parecon: participatory economics as a library, a command line and a platform.

The pure core lives in :mod:`parecon.engine` (participatory planning) and
:mod:`parecon.work` (balanced job complexes, effort ratings and allowances);
:mod:`parecon.scenario` reads and writes economies as files and
:mod:`parecon.cli` is the command line on top.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
