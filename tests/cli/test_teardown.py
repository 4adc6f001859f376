"""A plan leaves without the interpreter's teardown, and loses nothing by it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _plan(tmp_path: Path, pequod_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('teardown ran', file=sys.stderr))\n"
        "sys.argv = ['parecon', *sys.argv[1:]]\n"
        "from parecon.cli.app import run\n"
        "run()\n"
    )
    economy = pequod_dir / "dep1ex01.json.gz"
    args = ["plan", str(economy), "--rule", "pequod", "-q", "--json", str(tmp_path / "p.json")]
    return subprocess.run(
        [sys.executable, "-c", script, *args, *extra],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": ""},
        cwd=tmp_path,
    )


@pytest.mark.parametrize(("extra", "code"), [((), 0), (("--max-rounds", "2"), 1)])
def test_in_process_plan_skips_teardown_with_every_output_written(
    tmp_path: Path, pequod_dir: Path, extra: tuple[str, ...], code: int
) -> None:
    done = _plan(tmp_path, pequod_dir, *extra)
    assert done.returncode == code, done.stderr
    assert "teardown ran" not in done.stderr
    assert "plan written to" in done.stdout.replace("\n", " ")
    assert json.loads((tmp_path / "p.json").read_text())["rounds"] > 0


def test_a_plan_with_worker_processes_exits_as_usual(tmp_path: Path, pequod_dir: Path) -> None:
    done = _plan(tmp_path, pequod_dir, "--executor", "processes", "--workers", "2")
    assert done.returncode == 0, done.stderr
    assert "teardown ran" in done.stderr


def test_main_still_raises_system_exit() -> None:
    from parecon.cli.app import main

    saved = sys.argv
    sys.argv = ["parecon", "--help"]
    try:
        with pytest.raises(SystemExit):
            main()
    finally:
        sys.argv = saved
