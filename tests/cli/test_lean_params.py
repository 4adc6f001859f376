"""Plain command-line values converted without Pydantic, exactly as Typer converts them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer import _coercion
from typer._click import Context
from typer._click.exceptions import BadParameter
from typer.core import TyperCommand, TyperOption
from typer.models import OptionInfo

from parecon.cli import lean_params

ROOT = Path(__file__).resolve().parents[2]


def _option(annotation: type, **info: Any) -> TyperOption:
    descriptor = _coercion.resolve_type_descriptor(annotation, OptionInfo(**info))
    return TyperOption(param_decls=["--value"], type_descriptor=descriptor)


def _convert(param: TyperOption, value: Any, lean: bool) -> tuple[str, str]:
    """What the parameter makes of ``value``: ("ok", its repr) or ("error", message)."""
    param._runtime_param = None
    if lean:
        runtime = param.get_runtime_param()
        assert type(runtime).__name__ == "LeanParam"
    else:
        runtime = _coercion.build_runtime_param(param.type_descriptor)
    ctx = Context(TyperCommand("x"))
    try:
        return "ok", repr(runtime.coerce(value, param=param, ctx=ctx))
    except BadParameter as exc:
        return "error", exc.format_message()


def test_installed_by_the_command_line() -> None:
    import parecon.cli.app  # noqa: F401  (installs it)

    assert lean_params.install()
    assert getattr(TyperOption.get_runtime_param, "lean", False)


NUMBERS = st.one_of(
    st.from_regex(r"\A[-+ ]?[0-9_]{0,6}(\.[0-9]{0,4})?([eE][-+]?[0-9]{0,4})?\s?\Z"),
    st.sampled_from(["inf", "-inf", "nan", "1e400", "", " 3", "0x10", "1.5", "007", "-0"]),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=False).map(repr),
)


@settings(max_examples=300, deadline=None)
@given(value=NUMBERS, bounds=st.sampled_from([{}, {"min": 1}, {"min": 0, "max": 1}]))
def test_numbers_as_typer_reads_them(value: str, bounds: dict[str, float]) -> None:
    lean_params.install()
    for kind in (int, float):
        param = _option(kind, **bounds)
        assert _convert(param, value, lean=True) == _convert(param, value, lean=False), kind


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (str, "x</script>"),
        (str, ""),
        (bool, True),
        (bool, "yes"),
        (int, 5),
        (int, True),
        (float, 0.03),
        (float, 2),
        (Path, "some/where.json"),
        (Path, ""),
        (Path, Path("a")),
    ],
)
def test_other_values_as_typer_reads_them(kind: type, value: Any) -> None:
    lean_params.install()
    param = _option(kind)
    assert _convert(param, value, lean=True) == _convert(param, value, lean=False)


def test_path_checks_stay_typers(tmp_path: Path) -> None:
    lean_params.install()
    param = _option(Path, exists=True, dir_okay=False)
    missing, folder = str(tmp_path / "missing"), str(tmp_path)
    for value in (missing, folder):
        got = _convert(param, value, lean=True)
        assert got[0] == "error" and got == _convert(param, value, lean=False)


def test_a_plan_imports_no_pydantic(tmp_path: Path) -> None:
    """The whole of ``parecon plan`` of a small economy, in a fresh interpreter."""
    economy = ROOT.parent / "shared" / "data" / "pequod" / "dep1ex01.json.gz"
    script = (
        "import sys\n"
        "from parecon.cli.app import main\n"
        f"sys.argv = ['parecon', 'plan', {str(economy)!r}, '--rule', 'pequod', '-q',"
        " '--max-rounds', '3', '--tolerance', '0.05']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('pydantic' in sys.modules, 'typer._adapters' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": ""},
        cwd=tmp_path,
    )
    assert done.stdout.strip().splitlines()[-1] == "False False"
