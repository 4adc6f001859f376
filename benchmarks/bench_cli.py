"""Start-up, whole-process planning and loading, each as a ratio measured in one run.

Three comparisons, every one side by side in this process's run (alternating the
two commands, best of ``--repeat`` each, so a busy machine slows both alike):

- start-up: ``parecon plan --help`` against ``python -c "import numpy"``
  (target: at most 2.5×), and ``parecon --help`` beside it;
- a whole ``parecon plan --rule pequod -q`` of a DEP-like economy in Pequod's format
  (``../shared/bench/gen_dep.py 15000 15000 20 SEED``: 30k councils, 100 goods)
  against the naive NumPy script ``../shared/bench/naive_plan.py`` on the same file
  (target: parecon at most 0.8× the naive script's time), and the CPU time of the
  imports alone that a plan needs against the naive script's whole run;
- loading a generated ``.npz`` economy of ``--councils`` councils (default 6M):
  uncompressed (the default) and compressed (``--compress``), in a fresh process
  each (target: at most 1 s uncompressed at 6M); the uncompressed one also with
  the plannability check that ``parecon plan`` runs (one response of every
  council, which also computes the populations' constants the first round uses).

The load average is printed before and after: on a shared machine only the
ratios of one run mean anything.

parecon's modules are byte-compiled first (``compileall``, as ``pip install`` does):
with ``PYTHONDONTWRITEBYTECODE`` set, as on this project's machines, a source tree
would otherwise compile some 150 modules from source in every process, a cost an
installed package never pays (the naive script, one file, is compiled each run).

Each comparison also prints the CPU seconds (user + system, best of the runs) of both
commands: on a shared machine they move far less with the other jobs than wall times.

Run:  python benchmarks/bench_cli.py [--repeat 5] [--councils 6000000] [--skip-load]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_BENCH = ROOT.parent / "shared" / "bench"
PY = sys.executable
PLAN_IMPORTS = (
    "numpy",
    "parecon.cli.app",
    "rich.console",
    "rich.table",
    "parecon.engine",
    "parecon.scenario",
    "parecon.cli.planning_commands",
)
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


CPU: dict[tuple[str, ...], list[float]] = {}
"""CPU seconds (user + system) of every command run, by command: on a shared machine
the wall clock measures the other jobs too, the CPU time far less so."""


def wall(cmd: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    CPU.setdefault(tuple(cmd), []).append(cpu)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    return seconds


def best_pair(a: list[str], b: list[str], repeat: int) -> tuple[float, float]:
    """Best wall time of ``a`` and of ``b``, run alternately ``repeat`` times each."""
    ta, tb = [], []
    for _ in range(repeat):
        ta.append(wall(a))
        tb.append(wall(b))
    return min(ta), min(tb)


def best_cpu(cmd: list[str]) -> float:
    """Least CPU seconds of the runs of ``cmd`` so far."""
    return min(CPU[tuple(cmd)])


def parecon(*args: str) -> list[str]:
    return [PY, "-m", "parecon.cli", *args]


def startup(repeat: int) -> None:
    numpy = [PY, "-c", "import numpy"]
    t_help, t_numpy = best_pair(parecon("plan", "--help"), numpy, repeat)
    t_root, _ = best_pair(parecon("--help"), numpy, 1)
    c_help, c_numpy = best_cpu(parecon("plan", "--help")), best_cpu(numpy)
    print(
        f"start-up: parecon plan --help {t_help:.3f} s, import numpy {t_numpy:.3f} s, "
        f"ratio {t_help / t_numpy:.2f} (target <= 2.5); parecon --help {t_root:.3f} s; "
        f"CPU {c_help:.3f} s against {c_numpy:.3f} s, ratio {c_help / c_numpy:.2f}"
    )


def whole_plan(repeat: int, folder: Path, seed: int) -> None:
    economy = folder / "dep-30k.json"
    with economy.open("w") as fh:
        subprocess.run(
            [PY, str(SHARED_BENCH / "gen_dep.py"), "15000", "15000", "20", str(seed)],
            stdout=fh,
            check=True,
        )
    naive = [PY, str(SHARED_BENCH / "naive_plan.py"), str(economy)]
    ours = parecon("plan", str(economy), "--rule", "pequod", "-q")
    t_ours, t_naive = best_pair(ours, naive, repeat)
    c_ours, c_naive = best_cpu(ours), best_cpu(naive)
    print(
        f"whole plan (30k councils, 100 goods, pequod rule): parecon {t_ours:.3f} s, "
        f"naive script {t_naive:.3f} s, ratio {t_ours / t_naive:.2f} (target <= 0.8); "
        f"CPU {c_ours:.3f} s against {c_naive:.3f} s, ratio {c_ours / c_naive:.2f}"
    )
    # What parecon pays before reading the file: every module a plan imports.
    imports = [PY, "-c", "import " + ", ".join(PLAN_IMPORTS)]
    for _ in range(repeat):
        wall(imports)
    c_imports = best_cpu(imports)
    print(
        f"  of which imports alone (numpy, Typer, Rich, the "
        f"plan's modules): CPU {c_imports:.3f} s, {c_imports / c_naive:.2f} of the naive "
        "script's whole run"
    )


_READ = """
import sys, time
from pathlib import Path
start = time.perf_counter()
data = Path(sys.argv[1]).read_bytes()
print(time.perf_counter() - start, len(data))
"""

_LOAD = """
import sys, time
from parecon.scenario import load_economy
start = time.perf_counter()
economy = load_economy(sys.argv[1], check=sys.argv[2] == "check")
print(time.perf_counter() - start, economy.n_councils)
"""


def load(repeat: int, folder: Path, councils: int) -> None:
    half = councils // 2
    paths = {}
    for compress in (False, True):
        path = folder / f"economy-{'z' if compress else 'raw'}.npz"
        args = ["generate", str(path), "--consumers", str(half), "--workers", str(half)]
        subprocess.run(
            parecon(*args, *(["--compress"] if compress else [])),
            env=ENV,
            check=True,
            capture_output=True,
        )
        paths[compress] = path
    for compress, path in paths.items():
        times: dict[str, list[float]] = {"check": [], "no-check": []}
        reads: list[float] = []
        for _ in range(repeat):
            runs = [([_READ, str(path)], reads)]
            for mode in ("no-check", "check") if not compress else ("no-check",):
                runs.append(([_LOAD, str(path), mode], times[mode]))
            for argv, into in runs:
                out = subprocess.run(
                    [PY, "-c", *argv],
                    env=ENV,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                into.append(float(out.stdout.split()[0]))
        size = path.stat().st_size / 1e6
        label = "compressed" if compress else "uncompressed"
        raw = min(times["no-check"])
        checked = ""
        if times["check"]:
            checked = (
                ", with the plannability check (as `parecon plan` loads) "
                f"{min(times['check']):.3f} s"
            )
        print(
            f"load {councils:,} councils, {label} .npz ({size:.0f} MB): {raw:.3f} s "
            f"(target <= 1 s uncompressed){checked}; "
            f"reading its bytes once: {min(reads):.3f} s, ratio {raw / min(reads):.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--councils", type=int, default=6_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-load", action="store_true")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    subprocess.run(
        [PY, "-m", "compileall", "-q", str(ROOT / "src" / "parecon")],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    startup(args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        whole_plan(args.repeat, Path(tmp), args.seed)
        if not args.skip_load:
            load(min(args.repeat, 3), Path(tmp), args.councils)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
