"""Bots that fill empty seats of a room planning game, through the platform's JSON API.

Each bot joins the game by its code (no account), then, every time a round is
open and it has not proposed yet, reads its council's view (prices, its budget or
technology, the weights of its goods) and proposes its council's best plan at
those prices, optionally off by a random factor (``--noise``), as a person
might. Standard library only, so it runs anywhere::

    python examples/game_bot.py http://127.0.0.1:8000 K7QF2M --bots 20 --noise 0.2

The formulas are the councils' own (the reference data's README): a Cobb-Douglas
consumer council spends each good's weight as a share of its budget; a worker
council with technology ``z = a e^c Π x_i^{b_i}`` and effort cost ``S e^k`` at output
price ``λ`` proposes ``ln z = [ln a + (c/k)(ln λ + ln c − ln S − ln k) +
Σ b_i (ln λ + ln b_i − ln p_i)] / (1 − θ)``, ``θ = Σ b + c/k``, and ``x_i = λ b_i z / p_i``.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
import urllib.error
import urllib.request
from typing import Any


class Api:
    """The few calls a bot makes; ``send`` is replaceable (the tests use Django's client)."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")

    def send(
        self, method: str, path: str, body: Any = None, token: str | None = None
    ) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("X-Player-Token", token)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")


def best_plan(view: dict[str, Any]) -> tuple[dict[str, float], dict[str, float]]:
    """The council's best proposal at the view's prices: (supply, demand) by good index."""
    goods = view["goods"]
    if view["kind"] == "consumer":
        total = sum(g["weight"] for g in goods if g["side"] == "demand")
        return {}, {
            str(g["index"]): view["budget"] * g["weight"] / total / g["cost_share"]
            for g in goods
            if g["side"] == "demand"
        }
    tech = view["technology"]
    a, c, k, s = tech["a"], tech["c"], tech["k"], tech["s"]
    output = next(g for g in goods if g["side"] == "supply")
    inputs = [g for g in goods if g["side"] == "demand"]
    lam = output["price"]
    theta = sum(g["weight"] for g in inputs) + c / k
    log_z = math.log(a) + (c / k) * (math.log(lam) + math.log(c) - math.log(s) - math.log(k))
    for g in inputs:
        log_z += g["weight"] * (math.log(lam) + math.log(g["weight"]) - math.log(g["price"]))
    z = math.exp(log_z / (1.0 - theta))
    return {str(output["index"]): z}, {
        str(g["index"]): lam * g["weight"] * z / g["price"] for g in inputs
    }


def noisy(quantities: dict[str, float], noise: float, rng: random.Random) -> dict[str, float]:
    return {g: q * math.exp(rng.gauss(0.0, noise)) for g, q in quantities.items()}


class Bot:
    def __init__(self, api: Api, code: str, name: str, noise: float, seed: int) -> None:
        self.api, self.code, self.name, self.noise = api, code, name, noise
        self.rng = random.Random(seed)
        status, joined = api.send("POST", f"/api/games/{code}/players", {"name": name, "bot": True})
        if status != 201:
            raise RuntimeError(f"{name} could not join {code}: {status} {joined}")
        self.token: str = joined["token"]
        self.kind: str = joined["kind"]

    def step(self) -> str:
        """Propose if a round is open and this bot has not; return the game's status."""
        status, view = self.api.send("GET", f"/api/games/{self.code}/me", token=self.token)
        if status != 200:
            raise RuntimeError(f"{self.name}: {status} {view}")
        if view["status"] == "playing" and view["round"] is not None and not view["moved"]:
            supply, demand = best_plan(view)
            body = {
                "supply": noisy(supply, self.noise, self.rng),
                "demand": noisy(demand, self.noise, self.rng),
            }
            sent, answer = self.api.send(
                "POST", f"/api/games/{self.code}/moves", body, token=self.token
            )
            if sent != 201 and sent != 422:  # 422: the round closed meanwhile
                raise RuntimeError(f"{self.name}: {sent} {answer}")
        return str(view["status"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the platform's address, e.g. http://127.0.0.1:8000")
    parser.add_argument("code", help="the game's code")
    parser.add_argument("--bots", type=int, default=5)
    parser.add_argument("--noise", type=float, default=0.0, help="log-normal noise (0: best)")
    parser.add_argument("--every", type=float, default=2.0, help="seconds between looks")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    api = Api(args.base)
    bots = [
        Bot(api, args.code, f"bot {i + 1}", args.noise, args.seed + i) for i in range(args.bots)
    ]
    print(f"{len(bots)} bots joined {args.code}", file=sys.stderr)
    while True:
        statuses = {bot.step() for bot in bots}
        if statuses == {"finished"}:
            return 0
        time.sleep(args.every)


if __name__ == "__main__":
    raise SystemExit(main())
