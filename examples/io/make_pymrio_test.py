"""Write ``examples/io/pymrio-test``: pymrio's test system, balanced, with its emissions.

``pymrio.load_test()`` (6 regions, 8 sectors, two emission accounts in kg) ships
a value-added row that covers about 1 % of each industry's costs; this script
replaces it by what balances each column (gross output less intermediate
inputs from every region), keeps the emissions, and saves the system in
pymrio's text format with only the tables parecon reads. Needs pymrio
(``pip install pymrio``); the tests use the saved folder.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pymrio  # type: ignore[import-untyped]

OUT = Path(__file__).resolve().parent / "pymrio-test"


def main() -> None:
    io = pymrio.load_test()
    io.calc_all()
    value_added = io.x["indout"] - io.Z.sum(axis=0)
    factor_inputs = io.factor_inputs.F.astype(float)
    factor_inputs.loc["Value Added"] = value_added.to_numpy()
    io.factor_inputs.F = factor_inputs
    if OUT.exists():
        shutil.rmtree(OUT)
    io.save(OUT, table_format="txt")
    for ext in io.get_extensions(data=True):
        ext.reset_full()
        ext.save(OUT / ext.name.lower().replace(" ", "_"), table_format="txt")
    para_path = OUT / "file_parameters.json"
    para = json.loads(para_path.read_text())
    for key in ("A", "L"):  # derived; parecon reads flows only
        (OUT / para["files"].pop(key)["name"]).unlink()
    para_path.write_text(json.dumps(para, indent=4))


if __name__ == "__main__":
    main()
