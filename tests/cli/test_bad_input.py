"""Inputs that used to break the command line: each is now one located line, or works.

Every case runs ``python -m parecon.cli`` as a new user would and checks the exit
code, that standard error is one ``error:`` line naming the file or option, and
that no traceback is printed.
"""

from __future__ import annotations

import copy
import csv
import gzip
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from parecon.engine.generate import EconomySpec, generate_economy
from parecon.scenario import economy_document, save_economy

ROOT = Path(__file__).resolve().parents[2]
VILLAGE = ROOT / "examples" / "economies" / "village.toml"


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "parecon.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def one_error(result: subprocess.CompletedProcess[str], *parts: str) -> str:
    """The single ``error:`` line of a failed run, checked to contain ``parts``."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    for part in parts:
        assert part in lines[0], (part, lines[0])
    return lines[0]


def village_doc() -> dict:  # type: ignore[type-arg]
    import tomllib

    return tomllib.loads(VILLAGE.read_text())


def write_json(path: Path, doc: object) -> Path:
    path.write_text(json.dumps(doc))
    return path


def pequod_doc(pequod_dir: Path, n_cc: int = 40, n_wc: int = 600) -> dict:  # type: ignore[type-arg]
    doc = json.loads(gzip.decompress((pequod_dir / "dep1ex01.json.gz").read_bytes()))
    return {"ccs": doc["ccs"][:n_cc], "wcs": doc["wcs"][:n_wc]}


# --- script injection and escaping -------------------------------------------------

EVIL = "x</script><script>alert(1)</script>"


def test_chart_html_escapes_the_economy_name(tmp_path: Path) -> None:
    doc = village_doc()
    doc["name"] = EVIL
    economy = write_json(tmp_path / "evil.json", doc)
    chart = tmp_path / "gaps.html"
    result = run("plan", str(economy), "-q", "--chart", str(chart))
    assert result.returncode == 0, result.stderr
    page = chart.read_text()
    assert "<script>alert(1)" not in page
    assert "</script><script>" not in page.split("vegaEmbed", 1)[1]
    assert "x\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in page  # the name, as data
    assert "<title>x&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert EVIL in result.stdout  # the console shows it literally, not as markup


def test_chart_svg_escapes_the_economy_name(tmp_path: Path) -> None:
    doc = village_doc()
    doc["name"] = EVIL
    chart = tmp_path / "gaps.svg"
    result = run("plan", str(write_json(tmp_path / "evil.json", doc)), "-q", "--chart", str(chart))
    assert result.returncode == 0, result.stderr
    svg = chart.read_text()
    assert "<script" not in svg
    assert "&lt;/script&gt;" in svg


def test_proposals_csv_neutralises_formulas_in_names(tmp_path: Path) -> None:
    doc = village_doc()
    doc["consumers"][0]["name"] = '=HYPERLINK("http://x")'
    doc["goods"][0]["name"] = "+bread"
    for key in ("consumers", "workers"):
        for entry in doc[key]:
            entry["exponents" if key == "consumers" else "inputs"] = {
                ("+bread" if g == "bread" else g): v
                for g, v in entry["exponents" if key == "consumers" else "inputs"].items()
            }
            if key == "workers" and entry["output"] == "bread":
                entry["output"] = "+bread"
    out = tmp_path / "props"
    result = run("plan", str(write_json(tmp_path / "v.json", doc)), "-q", "--proposals", str(out))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader((out / "councils.csv").read_text().splitlines()))
    assert rows[0]["name"] == '\'=HYPERLINK("http://x")'
    goods = {r["good"] for r in csv.DictReader((out / "quantities.csv").read_text().splitlines())}
    assert "'+bread" in goods and "+bread" not in goods


# --- Dask addresses ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("dask://", "no host in executor address 'dask://'"),
        ("dask://host:notaport", "port 'notaport' in executor address"),
        ("dask://host:99999", "not a number from 1 to 65535"),
    ],
)
def test_bad_dask_addresses_are_one_line(address: str, message: str) -> None:
    one_error(run("plan", str(VILLAGE), "--executor", address), message)


def test_dask_address_where_a_foreign_service_answers(tmp_path: Path) -> None:
    import socket
    import threading

    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def answer() -> None:
        conn, _ = server.accept()
        with conn:
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        line = one_error(
            run("plan", str(VILLAGE), "--executor", f"dask://127.0.0.1:{port}", timeout=60),
            f"executor dask://127.0.0.1:{port}",
            "does not speak Dask's protocol",
        )
        assert "EiB" not in line
    finally:
        server.close()


def test_dask_address_where_nothing_listens() -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    one_error(
        run("plan", str(VILLAGE), "--executor", f"dask://127.0.0.1:{port}"),
        "cannot connect",
        "is a Dask scheduler running there?",
    )


# --- economies that cannot plan -----------------------------------------------------


def test_no_consumer_councils(tmp_path: Path) -> None:
    doc = village_doc()
    del doc["consumers"]
    path = write_json(tmp_path / "e.json", doc)
    one_error(run("plan", str(path)), "e.json: consumers: the economy has no consumer councils")
    one_error(run("equilibrium", str(path)), "no consumer councils")


def test_no_worker_councils(tmp_path: Path) -> None:
    doc = village_doc()
    del doc["workers"]
    path = write_json(tmp_path / "e.json", doc)
    one_error(run("plan", str(path)), "e.json: good 'bread'", "no council supplies it")
    one_error(run("equilibrium", str(path)), "no council supplies it")


def test_pequod_without_worker_councils(tmp_path: Path, pequod_dir: Path) -> None:
    doc = pequod_doc(pequod_dir)
    doc["wcs"] = []
    one_error(run("plan", str(write_json(tmp_path / "p.json", doc))), "p.json: wcs: no worker")


def test_no_councils_at_all(tmp_path: Path) -> None:
    doc = village_doc()
    for key in ("consumers", "workers", "supplies"):
        del doc[key]
    one_error(run("plan", str(write_json(tmp_path / "e.json", doc))), "e.json: ", "no councils")


def test_toml_cut_at_a_line_boundary(tmp_path: Path) -> None:
    lines = VILLAGE.read_text().splitlines(keepends=True)
    cut = next(i for i, line in enumerate(lines) if line.startswith("[[workers]]"))
    path = tmp_path / "cut.toml"
    path.write_text("".join(lines[:cut]))
    one_error(run("plan", str(path)), "cut.toml: good 'bread'", "no council supplies it")


def test_sole_consumer_with_income_zero(tmp_path: Path, pequod_dir: Path) -> None:
    doc = village_doc()
    doc["consumers"] = doc["consumers"][:1]
    doc["consumers"][0]["income"] = 0
    path = write_json(tmp_path / "e.json", doc)
    one_error(run("plan", str(path)), "e.json: consumers[0].income", "income is 0")
    one_error(run("equilibrium", str(path)), "income is 0")
    pequod = pequod_doc(pequod_dir, n_cc=1)
    pequod["ccs"][0]["income"] = 0
    one_error(run("plan", str(write_json(tmp_path / "p.json", pequod))), "p.json: ccs[0]")


def test_a_million_goods_without_councils_are_refused_quickly(tmp_path: Path) -> None:
    import time

    doc = {
        "format": "parecon-economy",
        "version": 1,
        "prices": 1.0,
        "goods": [{"name": f"g{i}", "category": "private"} for i in range(1_000_000)],
    }
    path = write_json(tmp_path / "million.json", doc)
    start = time.perf_counter()
    one_error(run("plan", str(path)), "million.json: the economy has no councils")
    # 37 s before; reading and refusing is now a few seconds even on a busy machine
    assert time.perf_counter() - start < 30


# --- values and options that need another option ------------------------------------


@pytest.mark.parametrize("tolerance", ["1", "1.5", "2.5"])
def test_tolerance_of_one_or_more_is_refused(tolerance: str) -> None:
    one_error(
        run("plan", str(VILLAGE), "--tolerance", tolerance), "--tolerance: tolerance must be < 1"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--limit-toward", "0.3"], "--limit-toward: applies only with --revision-limits"),
        (["--limit-away", "0.3"], "--limit-away: applies only with --revision-limits"),
        (["--workers", "2"], "--workers: applies to --executor processes or dask, not local"),
        (
            ["--executor", "dask://127.0.0.1:1", "--workers", "2"],
            "--workers: applies to --executor processes or dask",
        ),
    ],
)
def test_options_that_need_another_are_refused(args: list[str], message: str) -> None:
    one_error(run("plan", str(VILLAGE), *args), message)


def test_chart_with_an_unknown_extension_is_refused_before_planning(tmp_path: Path) -> None:
    chart = tmp_path / "gaps.xyz"
    one_error(run("plan", str(VILLAGE), "--chart", str(chart)), "--chart", "gaps.xyz", ".svg")
    assert not chart.exists()


def test_generate_refuses_a_name_it_cannot_write(tmp_path: Path) -> None:
    target = tmp_path / "x.csv"
    one_error(run("generate", str(target), "--consumers", "10", "--workers", "30"), "x.csv")
    assert not target.exists()


# --- tracebacks that are now errors ---------------------------------------------------


def test_proposals_naming_an_existing_file(tmp_path: Path) -> None:
    existing = tmp_path / "taken"
    existing.write_text("mine")
    one_error(run("plan", str(VILLAGE), "--proposals", str(existing)), "--proposals", "taken")
    assert existing.read_text() == "mine"


def test_json_nested_100000_deep(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    one_error(run("plan", str(path)), "deep.json", "nested too deeply")


def test_empty_npz(tmp_path: Path) -> None:
    path = tmp_path / "empty.npz"
    path.write_bytes(b"")
    one_error(run("plan", str(path)), "empty.npz", "0 bytes")


# --- errors that used to mislead ----------------------------------------------------


def test_npz_that_is_json(tmp_path: Path) -> None:
    path = tmp_path / "e.npz"
    path.write_text(json.dumps(village_doc()))
    line = one_error(run("plan", str(path)), "e.npz", "looks like JSON: name it .json")
    assert "allow_pickle" not in line


def _columns_doc() -> dict:  # type: ignore[type-arg]
    return economy_document(generate_economy(EconomySpec(20, 30, 2), seed=1), arrays=True)


def _save_npz(path: Path, doc: dict) -> Path:  # type: ignore[type-arg]
    from parecon.scenario.files import NPZ_ARRAY

    columns: dict[str, np.ndarray] = {}

    def detach(node: object) -> object:
        if isinstance(node, np.ndarray):
            columns[f"a{len(columns)}"] = node
            return {NPZ_ARRAY: f"a{len(columns) - 1}"}
        if isinstance(node, dict):
            return {k: detach(v) for k, v in node.items()}
        if isinstance(node, list):
            return [detach(v) for v in node]
        return node

    header = detach(doc)
    np.savez(path, header=np.array(json.dumps(header)), **columns)  # type: ignore[arg-type]
    return path


def test_npz_worker_column_one_short(tmp_path: Path) -> None:
    doc = _columns_doc()
    doc["worker_blocks"][0]["c"] = doc["worker_blocks"][0]["c"][:-1]
    line = one_error(
        run("plan", str(_save_npz(tmp_path / "e.npz", doc))),
        "e.npz: worker_blocks[0].c: has 29 values for 30 councils (the length of 'a')",
    )
    assert "CSR" not in line
    doc = _columns_doc()
    doc["worker_blocks"][0]["a"] = doc["worker_blocks"][0]["a"][:-1]
    line = one_error(
        run("plan", str(_save_npz(tmp_path / "f.npz", doc))), "f.npz: worker_blocks[0]"
    )
    assert "indptr" in line and "29 councils (the length of 'a')" in line


def test_income_column_five_short(tmp_path: Path) -> None:
    doc = economy_document(generate_economy(EconomySpec(20, 30, 2), seed=1))
    doc["consumer_blocks"][0]["income"] = doc["consumer_blocks"][0]["income"][:-5]
    line = one_error(
        run("plan", str(write_json(tmp_path / "e.json", doc))),
        "e.json: consumer_blocks[0].exponents: has 20 rows for 15 councils "
        "(the length of 'income')",
    )
    assert "field 'exponents' has shape" not in line


def test_pequod_input_index_99(tmp_path: Path, pequod_dir: Path) -> None:
    doc = pequod_doc(pequod_dir)
    doc = copy.deepcopy(doc)
    doc["wcs"][4]["production-inputs"][1][0] = 99
    one_error(
        run("plan", str(write_json(tmp_path / "p.json", doc))),
        "p.json: wcs[4]: field 'production-inputs' refers to resource good 99",
        "no council uses or makes resource good",
    )


def test_returns_pequod_applies_to_parecon_files(tmp_path: Path) -> None:
    economy = generate_economy(EconomySpec(30, 30, 2, near_constant_share=1.0, returns="pequod"))
    doc = economy_document(economy)
    del doc["returns"]
    path = write_json(tmp_path / "e.json", doc)
    refused = run("plan", str(path), "-q")
    assert refused.returncode == 2 and "pequod" in refused.stderr
    accepted = run("plan", str(path), "-q", "--returns", "pequod", "--max-rounds", "3")
    assert accepted.returncode in (0, 1), accepted.stderr


# --- names ------------------------------------------------------------------------------


def test_council_names_in_proposals_and_json(tmp_path: Path) -> None:
    out, plan = tmp_path / "props", tmp_path / "plan.json"
    result = run("plan", str(VILLAGE), "-q", "--proposals", str(out), "--json", str(plan))
    assert result.returncode == 0, result.stderr
    councils = list(csv.DictReader((out / "councils.csv").read_text().splitlines()))
    assert [r["name"] for r in councils if r["kind"].endswith("consumers")][:2] == [
        "riverside-households",
        "hillside-households",
    ]
    assert "bakery" in {
        r["name"] for r in csv.DictReader((out / "quantities.csv").read_text().splitlines())
    }
    populations = json.loads(plan.read_text())["populations"]
    named = [p["names"] for p in populations if "names" in p]
    assert ["riverside-households", "hillside-households", "old-town-households"] in named
    assert any("bakery" in n for n in named)


def test_budgets_csv_sets_consumer_incomes(tmp_path: Path) -> None:
    budgets = tmp_path / "budgets.csv"
    budgets.write_text(
        "council,income\nriverside-households,1000\nhillside-households,1000\n"
        "old-town-households,6000\n"
    )
    plan = tmp_path / "plan.json"
    result = run("plan", str(VILLAGE), "-q", "--budgets", str(budgets), "--json", str(plan))
    assert result.returncode == 0, result.stderr
    with_budgets = json.loads(plan.read_text())["accounts"]["balance"]["budgets"]
    result = run("plan", str(VILLAGE), "-q", "--json", str(plan))
    assert json.loads(plan.read_text())["accounts"]["balance"]["budgets"] != with_budgets
    assert with_budgets == pytest.approx(8000.0, rel=1e-9)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("council,income\nriverside-households,1\n", "no income for consumer council"),
        (
            "council,income\nriverside-households,1\nhillside-households,1\n"
            "old-town-households,1\nbakery,5\n",
            "budgets.csv, line 5, column 'council': council 'bakery' is not a named consumer",
        ),
        (
            "council,income\nriverside-households,1\nriverside-households,2\n",
            "budgets.csv, line 3, column 'council': council 'riverside-households' appears twice",
        ),
        ("council,income\nriverside-households,-1\n", "line 2, column 'income'"),
        ("who,income\nx,1\n", "budgets.csv, line 1: missing column 'council'"),
        # A decimal comma was read as an income of 472 with the rest dropped.
        ("council,income\nriverside-households,472,3\n", "budgets.csv, line 2: 3 cells but 2"),
        ("council,income\n\nriverside-households,x\n", "budgets.csv, line 3, column 'income'"),
    ],
)
def test_bad_budgets_are_located(tmp_path: Path, table: str, message: str) -> None:
    budgets = tmp_path / "budgets.csv"
    budgets.write_text(table)
    one_error(run("plan", str(VILLAGE), "--budgets", str(budgets)), message)


def test_budgets_need_named_consumers(tmp_path: Path) -> None:
    economy = tmp_path / "e.json"
    save_economy(generate_economy(EconomySpec(20, 30, 2), seed=1), economy)
    budgets = tmp_path / "budgets.csv"
    budgets.write_text("council,income\na,1\n")
    one_error(run("plan", str(economy), "--budgets", str(budgets)), "names no consumer councils")


# --- goods that no council supplies or uses ----------------------------------------------


def test_good_supplied_that_no_council_uses(tmp_path: Path) -> None:
    doc = village_doc()
    doc["goods"].append({"name": "clay", "category": "resource"})
    doc["supplies"]["clay"] = 10
    one_error(
        run("plan", str(write_json(tmp_path / "e.json", doc))),
        "e.json: good 'clay': is supplied but no council uses it",
    )


def test_good_nobody_supplies_or_uses_is_left_out_with_a_warning(tmp_path: Path) -> None:
    doc = village_doc()
    doc["goods"].append({"name": "clay", "category": "resource"})
    result = run("plan", str(write_json(tmp_path / "e.json", doc)), "-q")
    assert result.returncode == 0, result.stderr
    # Rich wraps a warning at the terminal's width (a long temporary path can push it over)
    assert "no council supplies or uses 'clay'; left out of the plan" in " ".join(
        result.stdout.split()
    )
