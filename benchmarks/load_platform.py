"""Load on the platform: members sign in, read pages and write, on loopback.

Starts a fresh instance (SQLite, or PostgreSQL by ``--database-url``) served by the
same gunicorn command as ``parecon serve`` (``launcher.server_command``), then
``--users`` virtual members sign in (staggered over the first 30 s) and for
``--seconds`` each, with 1–3 s of think time, act out a scenario:

- ``--scenario forum`` (issue 11): one chapter of ``--users`` members; read the
  chapter page, its member directory, its log, its threads and a thread (90%) or
  reply in the thread (10%).
- ``--scenario round`` (issue 12): a plan whose open round has one council per
  member (half households, half workplaces); each member reads the plan's round page
  (50%) or its live fragment (the page's poll, 20%), opens their council's draft
  page (10%), saves a figure in the draft through the API (15%) or submits it (5%).

The client is one asyncio process (standard library, one connection per request) so
that it costs little of the machine it measures; its CPU time is printed beside the
server's. For every page it prints client-observed p50/p95/p99, the server's own time
(gunicorn's access log, ``%(D)s``: from the request parsed to the response written)
and errors, with the load average at start and end so the figures can be judged.
Bounded in time and in requests; only 127.0.0.1 is contacted. On a shared machine the
latencies are noisy; ``profile_platform_pages.py`` measures the work per request of the
same pages on the same community (queries, CPU ms, Python calls), which noise does not.

``--councils N`` (round) adds N more councils to the plan, each with a submitted
proposal: a city's round, the members' councils among thousands.

    python benchmarks/load_platform.py --users 50 --seconds 120 [--scenario round]
        [--councils 10000] [--database-url postgres://...]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path

PASSWORD = "load-test-password-1"
BARCELONA = 3128760
#: method, path, status and the microseconds gunicorn spent serving the request.
ACCESS_LOG_FORMAT = "%(m)s %(U)s %(s)s %(D)s"

_SEED_MEMBERS = """
import django; django.setup()
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from parecon.web import gazetteer
from parecon.web.chapters.services import place_member
from parecon.web.members.models import Member
h = make_password({password!r})
place = gazetteer.place({place})
members = []
for i in range({users}):
    m = Member.objects.create_user(f"load{{i}}@example.org", None, name=f"Load {{i}}")
    m.password = h; m.save(update_fields=["password"])
    EmailAddress.objects.create(user=m, email=m.email, verified=True, primary=True)
    chapter = place_member(m, place)
    members.append(m)
"""

_SEED_FORUM = """
from parecon.web.discussion.services import reply, start_thread
first = members[0]
thread, _found = start_thread(first, chapter, title="Load", body="Read me, reply to me.")
for i in range(20):
    reply(first, thread, body=f"Earlier reply {{i}}")
print("SEED", chapter.slug, thread.pk)
"""

_SEED_ROUND = """
from datetime import timedelta
from django.utils import timezone
from parecon.web.councils import services as councils
from parecon.web.planning import services
from parecon.web.planning.catalogue import goods_from_economy, load_simulation, store_economy_file
from parecon.web.planning.demo import ECONOMY
from parecon.web.chapters.services import grant_role
first = members[0]
now = timezone.now()
grant_role(first, chapter, first, "facilitator", starts_at=now - timedelta(days=1),
           ends_at=now + timedelta(days=30))
made = []
for i, m in enumerate(members):
    level = "household" if i % 2 == 0 else "workplace"
    c = councils.create_council(first, chapter, name=f"Load council {{i}}", level=level)
    councils.join_council(m, c)
    made.append(c)
stored = store_economy_file("barcelona-rest.toml", ECONOMY.encode())
simulation = {{"source": "file", "file": stored, "name": "barcelona-rest.toml"}}
goods = goods_from_economy(load_simulation(simulation))
plan = services.open_plan(first, chapter, services.PlanSettings(
    name="Load", period="2027", goods=goods,
    councils=[(c, 3000.0 if c.kind == "consumer" else None) for c in made],
    deadlines=[timezone.now() + timedelta(days=5)], simulation=simulation,
))
current = plan.rounds.get(number=1)
print("SEED", chapter.slug, plan.pk, current.pk, " ".join(c.slug for c in made))
"""

#: Inserted into the round's seed before the plan opens: ``{n}`` councils more, in bulk
#: (``--councils``: a city's plan, whose other councils have all submitted).
_MORE_COUNCILS = """
from parecon.web.councils.models import Council
Council.objects.bulk_create([Council(chapter=chapter, name=f"City council {{i}}",
    slug=f"city-{{i}}", kind="consumer" if i % 2 == 0 else "worker",
    level="household" if i % 2 == 0 else "workplace") for i in range({n})], batch_size=2000)
extra = list(Council.objects.filter(slug__startswith="city-").order_by("pk"))
made_by_members = list(made)
made = made + extra
"""

#: After the plan opens: each added council's submitted proposal, in bulk.
_MORE_PROPOSALS = """
from parecon.web.planning.models import Proposal, ProposalVersion
proposals = Proposal.objects.bulk_create(
    [Proposal(round=current, council=c, status="submitted") for c in extra], batch_size=2000)
versions = ProposalVersion.objects.bulk_create([ProposalVersion(
    proposal=p, council=p.council, round_number=1, kind="submitted",
    quantities={{"supply": {{}}, "demand": {{"0": 200.0, "1": 100.0}}}}
    if p.council.kind == "consumer" else {{"supply": {{"0": 300.0}}, "demand": {{"4": 110.0}}}})
    for p in proposals], batch_size=2000)
for p, v in zip(proposals, versions):
    p.counted = v
Proposal.objects.bulk_update(proposals, ["counted"], batch_size=2000)
made = made_by_members
"""


def round_seed(councils: int = 0) -> str:
    """The round scenario's seed, with ``councils`` more councils in the plan, each with
    a submitted proposal."""
    if not councils:
        return _SEED_ROUND
    before, after = "stored = store_economy_file", 'print("SEED"'
    more = _MORE_COUNCILS.replace("{n}", str(councils))
    return _SEED_ROUND.replace(before, more + before).replace(after, _MORE_PROPOSALS + after)


#: Figures a council puts into its draft: (side, good index, low, high); the demo
#: economy's goods are bread, beer, pizza, park, flour, hops, land, work (prices 1).
CONSUMER_LINES = [("demand", 0, 150, 300), ("demand", 1, 80, 180), ("demand", 2, 100, 250)]
WORKER_LINES = [("supply", 0, 280, 320), ("demand", 4, 100, 120), ("demand", 7, 120, 150)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(env: dict[str, str], users: int, scenario: str, councils: int = 0) -> list[str]:
    code = _SEED_MEMBERS + (round_seed(councils) if scenario == "round" else _SEED_FORUM)
    code = code.format(password=PASSWORD, place=BARCELONA, users=users)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"seeding the instance failed:\n{out.stderr[-3000:]}")
    line = next(x for x in reversed(out.stdout.splitlines()) if x.startswith("SEED "))
    return line.split()[1:]


def _server_command(port: int, access_log: Path, workers: int, threads: int) -> list[str]:
    """``parecon serve``'s gunicorn command, logging each request's time to a file."""
    try:
        from parecon.web.launcher import server_command
    except ImportError:  # an older tree: the command its launcher ran
        return [
            *(sys.executable, "-m", "gunicorn", "parecon.web.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
            *("--threads", str(threads), "--access-logfile", str(access_log)),
            *("--access-logformat", ACCESS_LOG_FORMAT),
        ]
    return server_command(
        "127.0.0.1",
        port,
        workers=workers,
        threads=threads,
        access_log=str(access_log),
        access_log_format=ACCESS_LOG_FORMAT,
    )


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of the given processes so far (0 for a gone one)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


class Client:
    """One member's browser: cookies, CSRF token, one connection per request."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    async def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        follow: bool = False,
    ) -> tuple[int, bytes]:
        for _hop in range(4):
            status, location, content = await self._once(method, path, body, headers or {})
            if not (follow and status in (301, 302, 303) and location):
                return status, content
            method, body, headers = "GET", None, {}
            path = urllib.parse.urlsplit(location)._replace(scheme="", netloc="").geturl()
        return status, content

    async def _once(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, str, bytes]:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: 127.0.0.1:{self.port}",
            "Connection: close",
            "Accept-Language: en",
        ]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body is not None:
            lines.append(f"Content-Length: {len(body)}")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b""))
        try:
            raw = await reader.read()
        finally:
            writer.close()
        head, _sep, content = raw.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split()[1])
        location = ""
        chunked = False
        for h in header_lines:
            name, _colon, value = h.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookie, _semi, attributes = value.partition(";")
                key, _eq, val = cookie.partition("=")
                if "max-age=0" in attributes.lower().replace(" ", ""):
                    self.cookies.pop(key.strip(), None)
                else:
                    self.cookies[key.strip()] = val.strip()
            elif name == "location":
                location = value
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
        if chunked:
            content = _unchunk(content)
        return status, location, content

    def form(self, data: dict[str, str]) -> tuple[bytes, dict[str, str]]:
        data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        return urllib.parse.urlencode(data).encode(), {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{self.port}/",
        }

    def json(self, data: object) -> tuple[bytes, dict[str, str]]:
        return json.dumps(data).encode(), {
            "Content-Type": "application/json",
            "X-CSRFToken": self.cookies.get("csrftoken", ""),
            "Referer": f"http://127.0.0.1:{self.port}/",
        }


def _unchunk(data: bytes) -> bytes:
    out = bytearray()
    while data:
        size_line, _sep, rest = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        data = rest[size + 2 :]
    return bytes(out)


class Recorder:
    def __init__(self) -> None:
        self.timings: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.examples: list[str] = []

    async def timed(self, name: str, call: Callable[[], Awaitable[bool]]) -> None:
        start = time.perf_counter()
        try:
            ok = await call()
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError) as exc:
            ok = False
            if len(self.examples) < 5:
                self.examples.append(f"{name}: {exc!r}")
        self.timings[name].append(time.perf_counter() - start)
        if not ok:
            self.errors[name] += 1


async def _sign_in(c: Client, rec: Recorder, email: str) -> None:
    await c.request("GET", "/accounts/login/")

    async def login() -> bool:
        body, headers = c.form({"login": email, "password": PASSWORD})
        status, _content = await c.request("POST", "/accounts/login/", body, headers, follow=True)
        return status == 200 and "sessionid" in c.cookies

    await rec.timed("login", login)


def _get(c: Client, path: str, rec: Recorder, name: str) -> Callable[[], Awaitable[bool]]:
    async def call() -> bool:
        status, _content = await c.request("GET", path)
        if status != 200 and len(rec.examples) < 5:
            rec.examples.append(f"{name}: GET {path} -> {status}")
        return status == 200

    return call


async def forum_member(
    i: int, c: Client, rec: Recorder, seed: list[str], end_at: float, users: int
) -> None:
    slug, thread = seed[0], seed[1]
    pages = {
        "chapter": f"/chapters/{slug}/",
        "directory": f"/chapters/{slug}/members/",
        "log": f"/chapters/{slug}/log/",
        "threads": f"/threads/in/{slug}/",
        "thread": f"/threads/{thread}/",
    }
    rng = random.Random(i)

    async def reply() -> bool:
        body, headers = c.form({"body": f"reply {rng.random()}"})
        status, _ = await c.request("POST", f"/threads/{thread}/reply/", body, headers, True)
        return status == 200

    requests = 0
    while time.monotonic() < end_at and requests < 500:
        await asyncio.sleep(rng.uniform(1, 3))
        if rng.random() < 0.9:
            name = rng.choice(list(pages))
            await rec.timed(name, _get(c, pages[name], rec, name))
        else:
            await rec.timed("reply", reply)
        requests += 1


async def round_member(
    i: int, c: Client, rec: Recorder, seed: list[str], end_at: float, users: int
) -> None:
    plan, round_id, slugs = seed[1], seed[2], seed[3:]
    council = slugs[i]
    lines = CONSUMER_LINES if i % 2 == 0 else WORKER_LINES
    rng = random.Random(i)
    versions: dict[tuple[str, int], int] = {}

    draft = f"/api/proposals/{round_id}/{council}"

    async def put(side: str, good: int, quantity: int) -> bool:
        """Save one figure, with the version last seen (as the draft page does)."""
        line = {"side": side, "good": good, "quantity": str(quantity)}
        body, headers = c.json({"lines": [{**line, "version": versions.get((side, good), 0)}]})
        status, content = await c.request("PUT", draft, body, headers)
        if status != 200:
            return False
        for ln in json.loads(content)["lines"]:
            versions[(ln["side"], ln["good"])] = ln["version"]
        return True

    async def save() -> bool:
        if not versions:
            status, content = await c.request("GET", draft)
            if status != 200:
                return False
            for ln in json.loads(content)["lines"]:
                versions[(ln["side"], ln["good"])] = ln["version"]
        side, good, low, high = rng.choice(lines)
        return await put(side, good, rng.randint(low, high))

    async def submit() -> bool:
        for side, good, _low, high in lines:  # every line filled first, as a member would
            if (side, good) not in versions and not await put(side, good, high):
                return False
        body, headers = c.json({})
        status, content = await c.request("POST", draft + "/submit", body, headers)
        if status != 200 and len(rec.examples) < 5:
            rec.examples.append(f"submit: {status} {content[:200]!r}")
        return status == 200

    pages = [
        ("plan", f"/plans/{plan}/", 0.5),
        ("live", f"/plans/{plan}/live/", 0.2),
        ("draft", f"/plans/{plan}/councils/{council}/", 0.1),
    ]
    requests = 0
    while time.monotonic() < end_at and requests < 500:
        await asyncio.sleep(rng.uniform(1, 3))
        x = rng.random()
        for name, path, share in pages:
            if x < share:
                await rec.timed(name, _get(c, path, rec, name))
                break
            x -= share
        else:
            await rec.timed("save", save) if x < 0.15 else await rec.timed("submit", submit)
        requests += 1


SCENARIOS = {
    "forum": (forum_member, ("chapter", "directory", "log", "threads", "thread", "reply")),
    "round": (round_member, ("plan", "live", "draft", "save", "submit")),
}


def _server_name(scenario: str, method: str, path: str) -> str:
    """Which page a logged request was, for the server-side figures."""
    if path.startswith("/accounts/login/") or path == "/":
        return "login"
    if scenario == "forum":
        for pattern, name in (
            (r"^/chapters/[^/]+/$", "chapter"),
            (r"^/chapters/[^/]+/members/$", "directory"),
            (r"^/chapters/[^/]+/log/$", "log"),
            (r"^/threads/in/", "threads"),
            (r"^/threads/\d+/reply/$", "reply"),
            (r"^/threads/\d+/$", "thread"),
        ):
            if re.match(pattern, path):
                return name
    else:
        if path.startswith("/api/proposals/"):
            return "submit" if path.endswith("/submit") else "save"
        for pattern, name in (
            (r"^/plans/\d+/$", "plan"),
            (r"^/plans/\d+/live/$", "live"),
            (r"^/plans/\d+/councils/", "draft"),
        ):
            if re.match(pattern, path):
                return name
    return "other"


def _server_times(log: Path, scenario: str) -> dict[str, list[float]]:
    found: dict[str, list[float]] = defaultdict(list)
    if not log.exists():
        return found
    for line in log.read_text().splitlines():
        parts = line.split()
        if len(parts) != 4 or not parts[3].isdigit():
            continue
        method, path, _status, micros = parts
        found[_server_name(scenario, method, path)].append(int(micros) / 1e6)
    return found


def _quantiles(values: list[float]) -> tuple[float, float, float]:
    values = sorted(values)
    q = statistics.quantiles(values, n=100) if len(values) > 1 else [values[0]] * 99
    return 1000 * q[49], 1000 * q[94], 1000 * q[98]


async def _drive(args: argparse.Namespace, port: int, seed: list[str], rec: Recorder) -> None:
    member, _names = SCENARIOS[args.scenario]
    end_at = time.monotonic() + 30 + args.seconds

    async def one(i: int) -> None:
        await asyncio.sleep(30 * i / args.users)
        c = Client(port)
        await _sign_in(c, rec, f"load{i}@example.org")
        await member(i, c, rec, seed, end_at, args.users)

    await asyncio.gather(*(one(i) for i in range(args.users)))


def run(args: argparse.Namespace) -> int:
    data_dir = Path(tempfile.mkdtemp(prefix="parecon-load-"))
    env = dict(
        os.environ, PARECON_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="parecon.web.settings"
    )
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    for command in (["migrate", "-v", "0"], ["collectstatic", "--no-input", "-v", "0"]):
        subprocess.run([sys.executable, "-m", "parecon.web.manage", *command], env=env, check=True)
    seed = _seed(env, args.users, args.scenario, args.councils)
    port = _free_port()
    access_log = data_dir / "access.log"
    server = subprocess.Popen(
        _server_command(port, access_log, args.workers, args.threads), env=env
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/health", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    access_log.write_text("")  # the figures start with the members
    pids = [server.pid, *_children(server.pid)]
    load_start = os.getloadavg()
    server_cpu, client_cpu, wall = _cpu_seconds(pids), time.process_time(), time.monotonic()
    rec = Recorder()
    asyncio.run(_drive(args, port, seed, rec))
    server_cpu = _cpu_seconds(pids) - server_cpu
    client_cpu, wall = time.process_time() - client_cpu, time.monotonic() - wall
    load_end = os.getloadavg()
    server.terminate()
    server.wait(timeout=20)
    served = _server_times(access_log, args.scenario)
    n_served = sum(len(v) for v in served.values())
    db = "postgresql" if args.database_url else "sqlite"
    print(
        f"load ({args.scenario}): {args.users} members"
        f"{f' among {args.councils} councils more' if args.councils else ''}, "
        f"{args.seconds} s after a 30 s "
        f"staggered sign-in, {db}, gunicorn {args.workers} workers x {args.threads} threads"
    )
    print(
        f"load average at start {load_start[0]:.2f} {load_start[1]:.2f} {load_start[2]:.2f}, "
        f"at end {load_end[0]:.2f} {load_end[1]:.2f} {load_end[2]:.2f} "
        f"({os.cpu_count()} cores)"
    )
    print(
        f"{'page':<10} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'server p50':>10} {'server p95':>10} {'errors':>7}"
    )
    worst = 0.0
    names = ("login", *SCENARIOS[args.scenario][1])
    for name in names:
        values = rec.timings.get(name, [])
        if not values:
            continue
        p50, p95, p99 = _quantiles(values)
        s50, s95, _s99 = _quantiles(served[name]) if served.get(name) else (0.0, 0.0, 0.0)
        if name != "login":
            worst = max(worst, p95)
        print(
            f"{name:<10} {len(values):>8} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f} "
            f"{s50:>10.1f} {s95:>10.1f} {rec.errors.get(name, 0):>7}"
        )
    print(
        f"server CPU {server_cpu:.1f} s for {n_served} requests "
        f"({1000 * server_cpu / max(n_served, 1):.1f} ms each, "
        f"{100 * server_cpu / wall:.0f}% of one core); "
        f"client CPU {client_cpu:.1f} s ({100 * client_cpu / wall:.0f}% of one core)"
    )
    for example in rec.examples:
        print("  error:", example)
    total_errors = sum(rec.errors.values())
    print(f"worst p95 of the pages: {worst:.1f} ms (target < 100 ms); errors: {total_errors}")
    return 0 if total_errors == 0 else 1


def _defaults() -> tuple[int, int]:
    try:
        from parecon.web.launcher import SERVER_THREADS, SERVER_WORKERS
    except ImportError:  # an older tree: what its launcher ran
        return 2, 4
    return SERVER_WORKERS, SERVER_THREADS


def main() -> None:
    workers, threads = _defaults()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), default="forum")
    parser.add_argument("--workers", type=int, default=workers)
    parser.add_argument("--threads", type=int, default=threads)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL; SQLite if empty")
    parser.add_argument(
        "--councils", type=int, default=0, help="round: councils more in the plan, submitted"
    )
    sys.exit(run(parser.parse_args()))


if __name__ == "__main__":
    main()
