"""The entry point: commands registered by name, imported only when they run."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest
import typer

from parecon.cli.app import COMMANDS, CommandEntry, register

_HEAVY = (
    "numpy",
    "scipy",
    "altair",
    "vl_convert",
    "parecon.engine",
    "parecon.scenario",
    "parecon.work",
    "distributed",
    "highspy",
    "ortools",
)


def _modules_after(*args: str) -> set[str]:
    code = (
        "import sys\n"
        "from parecon.cli.app import main\n"
        f"sys.argv = ['parecon', *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('MODULES', ' '.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    line = next(x for x in out.stdout.splitlines() if x.startswith("MODULES "))
    return set(line.split()[1:])


def _loaded(modules: set[str], prefix: str) -> bool:
    return any(m == prefix or m.startswith(prefix + ".") for m in modules)


def test_every_registered_command_exists_with_its_summary() -> None:
    by_module: dict[str, list[str]] = {}
    for name, entry in COMMANDS.items():
        by_module.setdefault(entry.module, []).append(name)
    for module_name, names in by_module.items():
        group = typer.main.get_group(importlib.import_module(module_name).app)
        assert set(group.commands) == set(names), module_name
        for name in names:
            command = group.commands[name]
            first_line = (command.help or "").strip().splitlines()[0]
            assert COMMANDS[name].summary == first_line, name


def test_plan_help_imports_no_engine_numpy_or_charts() -> None:
    modules = _modules_after("plan", "--help")
    assert "parecon.cli.planning_commands" in modules
    for heavy in _HEAVY:
        assert not _loaded(modules, heavy), heavy


def test_root_help_imports_no_command_module() -> None:
    modules = _modules_after("--help")
    assert not any(m.endswith("_commands") for m in modules)
    for heavy in _HEAVY:
        assert not _loaded(modules, heavy), heavy


def test_importing_the_entry_point_imports_no_command_module() -> None:
    code = "import sys, parecon.cli.app; print([m for m in sys.modules if m.endswith('_commands')])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_rules_documented_in_help_are_the_engines() -> None:
    from parecon.cli import planning_commands
    from parecon.engine.price_rules import DEFAULT_RULE, available_rules

    assert planning_commands.DEFAULT_RULE_DOCUMENTED == DEFAULT_RULE
    assert set(planning_commands.RULES_DOCUMENTED) <= set(available_rules())


def test_registering_a_name_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        register("parecon.cli.elsewhere", {"plan": "Another plan."})
    assert COMMANDS["plan"] == CommandEntry(
        "parecon.cli.planning_commands", COMMANDS["plan"].summary
    )


def test_unknown_command_suggests_a_registered_one() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "parecon.cli", "plna"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "No such command 'plna'" in result.stderr and "'plan'" in result.stderr
