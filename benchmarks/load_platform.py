"""Load on the platform: members sign in, read pages and write, on loopback.

Starts a fresh instance (``--database sqlite`` or a PostgreSQL ``DATABASE_URL`` given
with ``--database-url``) with one chapter of ``--users`` members, runs gunicorn as
``parecon serve`` does, then ``--users`` virtual members sign in (staggered over the
first 30 s) and for ``--seconds`` each, with 1–3 s of think time, read the chapter
page, its member directory, its log, its threads and a thread (90%) or reply in the
thread (10%). Prints p50/p95/p99 per page and the number of errors. Bounded in time and in
requests; only 127.0.0.1 is contacted.

    python benchmarks/load_platform.py --users 50 --seconds 120
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

PASSWORD = "load-test-password-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(env: dict[str, str], users: int) -> tuple[str, int]:
    code = f"""
import django; django.setup()
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from parecon.web import gazetteer
from parecon.web.chapters.services import place_member
from parecon.web.members.models import Member
h = make_password({PASSWORD!r})
place = gazetteer.place(3128760)
for i in range({users}):
    m = Member.objects.create_user(f"load{{i}}@example.org", None, name=f"Load {{i}}")
    m.password = h; m.save(update_fields=["password"])
    EmailAddress.objects.create(user=m, email=m.email, verified=True, primary=True)
    chapter = place_member(m, place)
from parecon.web.discussion.services import reply, start_thread
first = Member.objects.get(email="load0@example.org")
thread, _found = start_thread(first, chapter, title="Load", body="Read me, reply to me.")
for i in range(20):
    reply(first, thread, body=f"Earlier reply {{i}}")
print(chapter.slug, thread.pk)
"""
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    )
    slug, thread = out.stdout.strip().splitlines()[-1].split()
    return slug, int(thread)


class Member:
    def __init__(self, base: str, email: str) -> None:
        self.base = base
        self.email = email
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _csrf(self) -> str:
        for c in self.jar:
            if c.name == "csrftoken":
                return str(c.value)
        return ""

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base + path, timeout=30) as r:
            return r.status, r.read().decode()

    def post(self, path: str, data: dict[str, str]) -> int:
        data = {**data, "csrfmiddlewaretoken": self._csrf()}
        req = urllib.request.Request(
            self.base + path,
            data=urllib.parse.urlencode(data).encode(),
            headers={"Referer": self.base + path},
        )
        with self.opener.open(req, timeout=30) as r:
            return r.status


def run(args: argparse.Namespace) -> int:
    data_dir = Path(tempfile.mkdtemp(prefix="parecon-load-"))
    env = dict(
        os.environ, PARECON_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="parecon.web.settings"
    )
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    subprocess.run(
        [sys.executable, "-m", "parecon.web.manage", "migrate", "-v", "0"], env=env, check=True
    )
    subprocess.run(
        [sys.executable, "-m", "parecon.web.manage", "collectstatic", "--no-input", "-v", "0"],
        env=env,
        check=True,
    )
    slug, thread = _seed(env, args.users)
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "parecon.web.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/health", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    end_at = time.monotonic() + 30 + args.seconds
    pages = {
        "chapter": f"/chapters/{slug}/",
        "directory": f"/chapters/{slug}/members/",
        "log": f"/chapters/{slug}/log/",
        "threads": f"/threads/in/{slug}/",
        "thread": f"/threads/{thread}/",
    }

    def timed(name: str, call: object) -> None:
        start = time.perf_counter()
        try:
            status = call()  # type: ignore[operator]
            ok = status < 400 if isinstance(status, int) else status[0] < 400
        except (urllib.error.URLError, OSError):
            ok = False
        elapsed = time.perf_counter() - start
        with lock:
            timings[name].append(elapsed)
            if not ok:
                errors[name] += 1

    def member(i: int) -> None:
        rng = random.Random(i)
        time.sleep(30 * i / args.users)
        m = Member(base, f"load{i}@example.org")
        m.get("/accounts/login/")
        timed("login", lambda: m.post("/accounts/login/", {"login": m.email, "password": PASSWORD}))
        requests = 0
        while time.monotonic() < end_at and requests < 500:
            time.sleep(rng.uniform(1, 3))
            if rng.random() < 0.9:
                name = rng.choice(list(pages))
                timed(name, lambda n=name: m.get(pages[n]))
            else:
                timed(
                    "reply",
                    lambda: m.post(f"/threads/{thread}/reply/", {"body": f"reply {rng.random()}"}),
                )
            requests += 1

    threads = [threading.Thread(target=member, args=(i,)) for i in range(args.users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    server.terminate()
    server.wait(timeout=20)
    db = "postgresql" if args.database_url else "sqlite"
    print(
        f"load: {args.users} members, {args.seconds} s after a 30 s staggered sign-in, "
        f"{db}, {args.workers} workers"
    )
    print(f"{'page':<10} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    worst = 0.0
    for name in ("login", *pages, "reply"):
        values = sorted(timings.get(name, []))
        if not values:
            continue
        q = statistics.quantiles(values, n=100) if len(values) > 1 else [values[0]] * 99
        p50, p95, p99 = (1000 * q[i] for i in (49, 94, 98))
        if name != "login":
            worst = max(worst, p95)
        print(
            f"{name:<10} {len(values):>8} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f} "
            f"{errors.get(name, 0):>7}"
        )
    total_errors = sum(errors.values())
    print(f"worst p95 of the pages: {worst:.1f} ms (target < 100 ms); errors: {total_errors}")
    return 0 if total_errors == 0 else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL; SQLite if empty")
    sys.exit(run(parser.parse_args()))


if __name__ == "__main__":
    main()
