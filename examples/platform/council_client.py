"""Play one council of a plan through the platform's JSON API.

Reads the open round's indicative prices, sets the council's figures in its draft
(merged good by good, like two members on the page) and submits it. Standard
library only, so it runs anywhere a council keeps its own figures::

    python council_client.py https://plan.example.org --token pc_... --plan 3 \
        --council north-neighbourhood bread=20 park=1 --submit

Figures are ``good=quantity`` (a consumer council's requests, or a worker
council's inputs) and ``+good=quantity`` (a worker council's outputs). Exits 0 on
success, 1 when the platform refuses the proposal (its message is printed).
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

#: ``transport(method, url, headers, body) -> (status, text)``
Transport = Callable[[str, str, dict[str, str], bytes | None], tuple[int, str]]


class Refused(Exception):
    """The platform answered with an error status (403, 404, 422)."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(f"refused ({status}): {text}")
        self.status = status


def urllib_transport(
    method: str, url: str, headers: dict[str, str], body: bytes | None
) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


class CouncilClient:
    """A council's view of the API: prices, its draft, submitting."""

    def __init__(self, base_url: str, token: str, transport: Transport = urllib_transport) -> None:
        self.base = base_url.rstrip("/") + "/api"
        self.token = token
        self.transport = transport

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        status, text = self.transport(method, self.base + path, headers, data)
        if status >= 400:
            raise Refused(status, text)
        return json.loads(text) if text else None

    def open_round(self, plan: int) -> tuple[dict[str, Any], dict[str, Any]]:
        """The plan and its open round (with the prices announced)."""
        document = self.call("GET", f"/plans/{plan}")
        if document["open_round"] is None:
            raise SystemExit(f"plan {plan} has no open round")
        return document, self.call("GET", f"/rounds/{document['open_round']}")

    def propose(
        self, round_id: int, council: str, figures: dict[tuple[str, int], float]
    ) -> dict[str, Any]:
        """Put the figures into the council's draft (versions read first, so nothing is lost)."""
        draft = self.call("GET", f"/proposals/{round_id}/{council}")
        versions = {(ln["side"], ln["good"]): ln["version"] for ln in draft["lines"]}
        lines = [
            {
                "side": side,
                "good": good,
                "quantity": str(q),
                "version": versions.get((side, good), 0),
            }
            for (side, good), q in figures.items()
        ]
        result: dict[str, Any] = self.call(
            "PUT", f"/proposals/{round_id}/{council}", {"lines": lines}
        )
        return result

    def submit(self, round_id: int, council: str) -> dict[str, Any]:
        result: dict[str, Any] = self.call("POST", f"/proposals/{round_id}/{council}/submit")
        return result


def parse_figures(args: list[str], goods: list[dict[str, Any]]) -> dict[tuple[str, int], float]:
    index = {g["name"]: g["index"] for g in goods}
    figures: dict[tuple[str, int], float] = {}
    for arg in args:
        name, sep, value = arg.partition("=")
        side = "supply" if name.startswith("+") else "demand"
        name = name.lstrip("+")
        if not sep or name not in index:
            raise SystemExit(f"{arg!r}: expected good=quantity with a good of the plan")
        figures[(side, index[name])] = float(value)
    return figures


def main(argv: list[str] | None = None, transport: Transport = urllib_transport) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--token", required=True)
    parser.add_argument("--plan", type=int, required=True)
    parser.add_argument("--council", required=True)
    parser.add_argument("--submit", action="store_true")
    parser.add_argument("figures", nargs="*")
    ns = parser.parse_intermixed_args(argv)
    client = CouncilClient(ns.url, ns.token, transport)
    plan, current = client.open_round(ns.plan)
    for good in plan["goods"]:
        print(f"{good['name']:>20} {current['prices'][good['index']]:12.4f}")
    try:
        draft = client.propose(current["id"], ns.council, parse_figures(ns.figures, plan["goods"]))
        for conflict in draft["conflicts"]:
            print(f"conflict on good {conflict['good']}: {conflict['by']} set {conflict['theirs']}")
        if ns.submit:
            draft = client.submit(current["id"], ns.council)
    except Refused as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{draft['status']}: cost {draft['cost']:.2f}, benefit {draft['benefit']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
