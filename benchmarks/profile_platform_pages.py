"""Work per request of the load benchmark's pages, in process: queries and CPU time.

Timing under load on a shared machine is noisy; the work a request does is not. This
seeds the very community ``load_platform.py`` seeds (same code), then drives each page
of a scenario through Django's test client in one process, ``--repeat`` times per page,
and prints per request: the database queries, the CPU milliseconds
(``time.process_time``, the server's share of a request without the network and
gunicorn), the thousands of Python function calls (cProfile; a count the machine's load does not
change), and with ``--profile`` the functions that took most of the time.

``--councils N`` (round) adds N more councils to the plan (half households, half
workplaces, made in bulk), each with a submitted proposal: a city's round page.

    python benchmarks/profile_platform_pages.py [--scenario forum|round] [--repeat 30]
        [--posts 60] [--councils 10000] [--profile] [--database-url postgres://...]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load_platform  # the benchmark whose community this measures

USERS = 50


def _setup(database_url: str) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="parecon-profile-"))
    os.environ.update(
        PARECON_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="parecon.web.settings",
        PARECON_ALLOWED_HOSTS="testserver",
    )
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _seed(scenario: str, posts: int, councils: int = 0) -> list[str]:
    """The load benchmark's seed, run here; ``posts`` replies in the forum's thread,
    ``councils`` more councils in the round's plan."""
    round_seed = load_platform.round_seed(councils)
    code = load_platform._SEED_MEMBERS + (
        round_seed if scenario == "round" else load_platform._SEED_FORUM
    )
    code = code.format(password=load_platform.PASSWORD, place=load_platform.BARCELONA, users=USERS)
    code = code.replace("range(20)", f"range({posts})")
    out = io.StringIO()
    stdout, sys.stdout = sys.stdout, out
    try:
        exec(compile(code, "<seed>", "exec"), {})
    finally:
        sys.stdout = stdout
    line = next(x for x in reversed(out.getvalue().splitlines()) if x.startswith("SEED "))
    return line.split()[1:]


_HANDLER: list[Any] = []


def _client(i: int) -> Any:
    """Member ``i``'s logged-in client; every client shares one handler, as a server's
    process loads its middleware once (WhiteNoise's scan of the static files)."""
    from django.test import Client

    from parecon.web.members.models import Member

    client = Client()
    if _HANDLER:
        client.handler = _HANDLER[0]
    else:
        _HANDLER.append(client.handler)
    client.force_login(Member.objects.get(email=f"load{i}@example.org"))
    return client


#: Given the request's number, does what must come first (unmeasured) and returns the
#: measured request.
Request = Callable[[int], Callable[[], Any]]


def _forum(seed: list[str], submitted: bool = False) -> dict[str, Request]:
    slug, thread = seed[0], seed[1]
    clients = [_client(i) for i in range(5)]

    def get(path: str) -> Request:
        return lambda n: lambda: clients[n % 5].get(path)

    def reply(n: int) -> Callable[[], Any]:
        """The POST only; the load benchmark's client then follows the redirect (thread page)."""
        return lambda: clients[n % 5].post(f"/threads/{thread}/reply/", {"body": f"reply {n}"})

    return {
        "chapter": get(f"/chapters/{slug}/"),
        "directory": get(f"/chapters/{slug}/members/"),
        "log": get(f"/chapters/{slug}/log/"),
        "threads": get(f"/threads/in/{slug}/"),
        "thread": get(f"/threads/{thread}/"),
        "reply": reply,
    }


def _round(seed: list[str], submitted: bool = False) -> dict[str, Request]:
    plan, round_id, slugs = seed[1], seed[2], seed[3:]
    members = list(range(0, 20))
    clients = {i: _client(i) for i in members}

    def member(n: int) -> tuple[int, Any, str]:
        i = members[n % len(members)]
        return i, clients[i], f"/api/proposals/{round_id}/{slugs[i]}"

    def get(path: Callable[[int], str]) -> Request:
        def prepared(n: int) -> Callable[[], Any]:
            i, client, _draft = member(n)
            return lambda: client.get(path(i))

        return prepared

    def lines_of(i: int) -> list[tuple[str, int, int, int]]:
        return load_platform.CONSUMER_LINES if i % 2 == 0 else load_platform.WORKER_LINES

    def versions(client: Any, draft: str) -> dict[tuple[str, int], int]:
        lines = json.loads(client.get(draft).content)["lines"]
        return {(ln["side"], ln["good"]): ln["version"] for ln in lines}

    def save(n: int) -> Callable[[], Any]:
        """One figure with the version last seen, as the load benchmark's members save."""
        i, client, draft = member(n)
        side, good, low, high = lines_of(i)[n % 3]
        version = versions(client, draft).get((side, good), 0)
        line = {
            "side": side,
            "good": good,
            "quantity": str(low + n % (high - low)),
            "version": version,
        }
        return lambda: client.put(draft, {"lines": [line]}, content_type="application/json")

    def submit(n: int) -> Callable[[], Any]:
        """The submit call only, every line filled first (unmeasured)."""
        return filled(*member(n))

    def filled(i: int, client: Any, draft: str) -> Callable[[], Any]:
        have = versions(client, draft)
        missing = [
            {"side": s, "good": g, "quantity": str(high), "version": 0}
            for s, g, _low, high in lines_of(i)
            if (s, g) not in have
        ]
        if missing:
            client.put(draft, {"lines": missing}, content_type="application/json")
        return lambda: client.post(draft + "/submit", {}, content_type="application/json")

    if submitted:  # late in the load run: every council has submitted once
        for i in range(len(slugs)):
            client = clients.get(i) or _client(i)
            filled(i, client, f"/api/proposals/{round_id}/{slugs[i]}")()
    return {
        "plan": get(lambda i: f"/plans/{plan}/"),
        "live": get(lambda i: f"/plans/{plan}/live/"),
        "councils": get(lambda i: f"/plans/{plan}/councils/?kind=worker&round=submitted&page=3"),
        "draft": get(lambda i: f"/plans/{plan}/councils/{slugs[i]}/"),
        "save": save,
        "submit": submit,
    }


def _measure(name: str, call: Request, repeat: int, profile: bool) -> None:
    """Queries, CPU ms (median and least of ``repeat``) and Python function calls."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(3):  # warm: templates compiled, caches filled
        call(10_000 + n)()
    queries = 0
    times = []
    for n in range(repeat):
        measured = call(n)
        with CaptureQueriesContext(connection) as captured:
            start = time.process_time()
            response = measured()
            times.append(time.process_time() - start)
        if response.status_code not in (200, 302):
            sys.exit(f"{name}: status {response.status_code}: {response.content[:300]!r}")
        queries += len(captured.captured_queries)
    # Function calls: a count of the Python work that the machine's load does not change.
    profiler = cProfile.Profile()
    profiled = 5
    for n in range(profiled):
        measured = call(repeat + n)
        profiler.enable()
        measured()
        profiler.disable()
    stats = pstats.Stats(profiler)
    calls = stats.total_calls / profiled  # type: ignore[attr-defined]
    print(
        f"{name:<10} {queries / repeat:>8.1f} {1000 * statistics.median(times):>10.1f} "
        f"{1000 * min(times):>8.1f} {calls / 1000:>9.1f}"
    )
    if profile:
        out = io.StringIO()
        stats.stream = out  # type: ignore[attr-defined]
        stats.sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(
            int(os.environ.get("PROFILE_N", "30"))
        )
        print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", choices=("forum", "round"), default="forum")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--posts", type=int, default=60, help="replies in the forum's thread")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--submitted", action="store_true", help="round: every council submits before measuring"
    )
    parser.add_argument(
        "--councils", type=int, default=0, help="round: councils more in the plan, submitted"
    )
    parser.add_argument("--only", default="", help="comma-separated pages to measure")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    _setup(args.database_url)
    seed = _seed(args.scenario, args.posts, args.councils)
    pages = (_round if args.scenario == "round" else _forum)(seed, args.submitted)
    only = {p for p in args.only.split(",") if p}
    load = os.getloadavg()
    print(f"{args.scenario}: {args.repeat} requests per page; load {load[0]:.2f}")
    print(f"{'page':<10} {'queries':>8} {'CPU ms p50':>10} {'least':>8} {'k calls':>9}")
    for name, call in pages.items():
        if not only or name in only:
            _measure(name, call, args.repeat, args.profile)


if __name__ == "__main__":
    main()
