"""The ``parecon`` command line (Typer + Rich): a thin layer over the core."""
