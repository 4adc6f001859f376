"""pymrio's text format, read and written without pymrio or pandas.

``pymrio.IOSystem.save_all(path)`` writes a folder with ``file_parameters.json``
(``systemtype`` "IOSystem", and for each table its file name and numbers of
index columns and header rows), tab-separated ``Z``, ``Y``, ``x`` and
``unit`` tables indexed by (region, sector), and one sub-folder per extension
(``systemtype`` "Extension": ``F``, ``F_Y``, ``unit``). Here a region of such
a system becomes a national :class:`IOTable`: trade with other regions turns
into imports and exports. Extension rows in the monetary unit are value added
(compensation, rents, surplus, imports), rows counting people or hours are
employment, and emission rows (CO2, CH4, ...) are pollutants.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np

from parecon.exceptions import InputError
from parecon.scenario.io_tables.table import FloatArray, IOTable, final_demand_kind

__all__ = ["read_pymrio", "write_pymrio"]

_EMISSION = re.compile(r"co2|ch4|n2o|ghg|so2|sox|nox|nh3|pm10|pm2|emission|carbon", re.I)
_EMPLOYMENT = re.compile(r"employ|persons|people|hours|jobs|ocupa", re.I)


def _classify_value_added(name: str) -> str:
    key = name.lower()
    if "import" in key:
        return "imports"
    if re.search(r"compensation|wage|salar|remunera|labou?r", key):
        return "labour"
    if re.search(r"rent|land|royalt|resource", key):
        return "resources"
    return "surplus"


class _Table:
    """One tab-separated table: row labels, column labels, values."""

    def __init__(self, path: Path, n_index: int, n_header: int) -> None:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            raise InputError("file listed in file_parameters.json is missing", str(path)) from None
        rows = [line.split("\t") for line in lines if line.strip()]
        if len(rows) <= n_header:
            raise InputError(
                f"{len(rows)} non-empty lines but {n_header} header line(s) and at least one "
                "row expected (a truncated file?)",
                str(path),
            )
        headers = rows[:n_header]
        body = rows[n_header:]
        if body and n_header > 1 and not any(c.strip() for c in body[0][n_index:]):
            body = body[1:]  # the line naming the index levels
        width = len(headers[0])
        short = next((k for k, h in enumerate(headers) if len(h) != width), None)
        if short is not None or width <= n_index:
            raise InputError(
                "header lines of different lengths, or no columns after the index",
                f"{path}, line {(short or 0) + 1}",
            )
        self.columns = [tuple(h[c] for h in headers) for c in range(n_index, width)]
        self.rows: list[tuple[str, ...]] = []
        values = np.zeros((len(body), len(self.columns)))
        for r, cells in enumerate(body):
            if len(cells) < n_index:
                raise InputError(
                    f"{len(cells)} cells, fewer than the {n_index} index columns",
                    f"{path}, line {r + n_header + 1}",
                )
            self.rows.append(tuple(cells[:n_index]))
            data = cells[n_index:]
            if len(data) != len(self.columns):
                raise InputError(
                    f"{len(data)} values for {len(self.columns)} columns",
                    f"{path}, line {r + n_header + 1}",
                )
            for c, cell in enumerate(data):
                try:
                    values[r, c] = float(cell) if cell.strip() else 0.0
                except ValueError:
                    raise InputError(
                        f"not a number: {cell!r}",
                        f"{path}: row {self.rows[-1]}, column {self.columns[c]}",
                    ) from None
        self.values = values
        self.path = path


def _load(folder: Path, key: str, required: bool = True) -> _Table | None:
    para = _parameters(folder)
    files = para.get("files", {})
    if key not in files:
        if required:
            raise InputError(f"no table {key!r} in file_parameters.json", str(folder))
        return None
    entry = files[key]
    return _Table(folder / entry["name"], int(entry["nr_index_col"]), int(entry["nr_header"]))


def _parameters(folder: Path) -> dict[str, Any]:
    path = folder / "file_parameters.json"
    try:
        result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("not a pymrio folder (no file_parameters.json)", str(folder)) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", str(path)) from None
    return result


def _units(folder: Path) -> dict[tuple[str, ...], str]:
    entry = _parameters(folder).get("files", {}).get("unit")
    if entry is None:
        return {}
    text = (folder / entry["name"]).read_text(encoding="utf-8")
    n = int(entry["nr_index_col"])
    lines = [ln.split("\t") for ln in text.splitlines()[int(entry["nr_header"]) :] if ln.strip()]
    return {tuple(cells[:n]): cells[n].strip() for cells in lines if len(cells) > n}


def read_pymrio(path: str | Path, region: str | None = None) -> IOTable:
    """One region of a pymrio system saved as text, as a national table."""
    folder = Path(path)
    if _parameters(folder).get("systemtype") != "IOSystem":
        raise InputError("file_parameters.json is not an IOSystem's", str(folder))
    z = _load(folder, "Z")
    y = _load(folder, "Y")
    assert z is not None and y is not None
    if z.rows != z.columns:
        missing = next(iter(set(z.rows) ^ set(z.columns)))
        side = "row" if missing in z.rows else "column"
        raise InputError(
            f"sector {missing} is a {side} of Z but not a {'column' if side == 'row' else 'row'}",
            str(z.path),
        )
    if y.rows != z.rows:
        missing = sorted(set(y.rows) ^ set(z.rows))[0]
        raise InputError(f"Y and Z list different sectors (first: {missing})", str(y.path))
    regions = list(dict.fromkeys(r[0] for r in z.rows)) if len(z.rows[0]) > 1 else [""]
    if region is None:
        if len(regions) > 1:
            raise InputError(
                f"{len(regions)} regions ({', '.join(regions)}); choose one with --region",
                str(folder),
            )
        region = regions[0]
    if region not in regions:
        raise InputError(f"no region {region!r} (regions: {', '.join(regions)})", str(folder))
    home = np.array([not regions[0] or r[0] == region for r in z.rows])
    sectors = tuple(r[-1] for r, h in zip(z.rows, home, strict=True) if h)
    units = _units(folder)
    unit = _one_unit(units, folder)
    zz = z.values
    final: dict[str, FloatArray] = {}
    final_imports: dict[str, float] = {}
    exports = zz[np.ix_(home, ~home)].sum(axis=1)
    for c, col in enumerate(y.columns):
        col_home = not regions[0] or col[0] == region
        values = y.values[:, c]
        if not col_home:
            exports = exports + values[home]
            continue
        kind = final_demand_kind(col[-1], f"{y.path}: column {col}")
        final[kind] = final.get(kind, np.zeros(len(sectors))) + values[home]
        final_imports[kind] = final_imports.get(kind, 0.0) + float(values[~home].sum())
    if exports.any():
        final["exports"] = final.get("exports", np.zeros(len(sectors))) + exports
    x_table = _load(folder, "x", required=False)
    if x_table is not None:
        if x_table.rows != z.rows:
            raise InputError(
                f"x lists {len(x_table.rows)} sectors but Z {len(z.rows)} (a truncated file?)",
                str(x_table.path),
            )
        output = x_table.values[home, 0]
    else:
        output = zz[home].sum(axis=1) + y.values[home].sum(axis=1)
    imports = zz[np.ix_(~home, home)].sum(axis=0)
    value_added: dict[str, tuple[str, FloatArray]] = {}
    emissions: dict[str, tuple[str, FloatArray]] = {}
    employment: FloatArray | None = None
    for sub in sorted(p for p in folder.iterdir() if (p / "file_parameters.json").is_file()):
        f = _load(sub, "F")
        assert f is not None
        ext_units = _units(sub)
        cols = [f.columns.index(r) if r in f.columns else -1 for r in z.rows]
        if min(cols) < 0:
            raise InputError(f"lacks sector {z.rows[cols.index(-1)]}", f"{f.path}: columns")
        for r, row in enumerate(f.rows):
            values = f.values[r, cols][home]
            name = " - ".join(row)
            row_unit = ext_units.get(row, "")
            where = f"{sub / 'unit.txt'}: row {name!r}"
            if row_unit == unit:
                kind = _classify_value_added(name)
                if kind == "imports":
                    imports = imports + values
                else:
                    value_added[name] = (kind, values)
            elif re.search(r"factor|value.?added", sub.name, re.I):
                raise InputError(
                    f"value added in {row_unit!r} but the table is in {unit!r} (units differ)",
                    where,
                )
            elif _EMPLOYMENT.search(name) or _EMPLOYMENT.search(row_unit):
                employment = values if employment is None else employment + values
            elif _EMISSION.search(name) or _EMISSION.search(sub.name):
                emissions[name] = (row_unit or "units", values)
    return IOTable(
        sectors,
        zz[np.ix_(home, home)],
        final,
        imports,
        value_added,
        output,
        unit,
        final_imports,
        employment,
        emissions,
        f"{folder}" + (f" (region {region})" if regions[0] else ""),
    ).check()


def _one_unit(units: dict[tuple[str, ...], str], folder: Path) -> str:
    if not units:
        return "currency"
    first_row, first = next(iter(units.items()))
    for row, u in units.items():
        if u != first:
            raise InputError(
                f"unit {u!r} but {first!r} for {first_row} (units differ)",
                f"{folder / 'unit.txt'}: row {row}",
            )
    return first


def _write_table(path: Path, header: list[list[str]], rows: list[list[str]], values: Any) -> None:
    lines = ["\t".join(h) for h in header]
    for labels, vals in zip(rows, np.atleast_2d(values), strict=True):
        lines.append("\t".join(labels + [repr(float(v)) for v in vals]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_pymrio(table: IOTable, path: str | Path, region: str = "home") -> None:
    """Write ``table`` as a one-region pymrio system (imports as a value-added row)."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    idx = [[region, s] for s in table.sectors]
    two = {"nr_index_col": "2", "nr_header": "2"}
    cols_header = [["region", ""] + [region] * table.n, ["sector", "", *list(table.sectors)]]
    _write_table(folder / "Z.txt", [*cols_header, ["region", "sector"]], idx, table.intermediate)
    kinds = list(table.final_demand)
    y_header = [["region", ""] + [region] * len(kinds), ["category", "", *kinds]]
    y = np.column_stack([table.final_demand[k] for k in kinds])
    _write_table(folder / "Y.txt", [*y_header, ["region", "sector"]], idx, y)
    _write_table(folder / "x.txt", [["region", "sector", "indout"]], idx, table.output[:, None])
    (folder / "unit.txt").write_text(
        "region\tsector\tunit\n" + "".join(f"{region}\t{s}\t{table.unit}\n" for s in table.sectors)
    )
    files = {
        "Z": {"name": "Z.txt", **two},
        "Y": {"name": "Y.txt", **two},
        "x": {"name": "x.txt", "nr_index_col": "2", "nr_header": "1"},
        "unit": {"name": "unit.txt", "nr_index_col": "2", "nr_header": "1"},
    }
    (folder / "file_parameters.json").write_text(
        json.dumps({"systemtype": "IOSystem", "files": files}, indent=4)
    )
    extensions: dict[str, list[tuple[str, str, FloatArray]]] = {
        "factor_inputs": [(n, table.unit, v) for n, (_, v) in table.value_added.items()]
        + [("Imports", table.unit, table.imports)],
        "emissions": [(n, u, v) for n, (u, v) in table.emissions.items()],
        "employment": [("Employment", "persons", table.employment)]
        if table.employment is not None
        else [],
    }
    for name, rows in extensions.items():
        if not rows:
            continue
        sub = folder / name
        sub.mkdir(exist_ok=True)
        f_header = [["region"] + [region] * table.n, ["sector", *list(table.sectors)]]
        values = np.vstack([v for _, _, v in rows])
        _write_table(sub / "F.txt", [*f_header, ["stressor"]], [[r] for r, _, _ in rows], values)
        (sub / "unit.txt").write_text(
            "stressor\tunit\n" + "".join(f"{r}\t{u}\n" for r, u, _ in rows)
        )
        para = {
            "systemtype": "Extension",
            "name": name,
            "files": {
                "F": {"name": "F.txt", "nr_index_col": "1", "nr_header": "2"},
                "unit": {"name": "unit.txt", "nr_index_col": "1", "nr_header": "1"},
            },
        }
        (sub / "file_parameters.json").write_text(json.dumps(para, indent=4))
