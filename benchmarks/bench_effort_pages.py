"""Effort pages at scale: a workplace of ``--members`` coworkers rating each other.

Builds, in a throw-away data directory (SQLite; ``DATABASE_URL`` for PostgreSQL), one
workplace whose members each rated ``--per-rater`` coworkers and logged confirmed
hours, computes the allowances once, then times ``--requests`` loads of the period
page and of the API's period detail by different members. Prints p50/p95 per page,
the time to compute the allowances, and the p95's ratio to the target (100 ms).

    python benchmarks/bench_effort_pages.py [--members 1000] [--per-rater 10]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--per-rater", type=int, default=10)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--profile", action="store_true", help="cProfile one page load")
    args = parser.parse_args()
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    os.environ.setdefault("PARECON_DATA_DIR", tempfile.mkdtemp(prefix="parecon-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parecon.web.settings")
    import django

    django.setup()
    from datetime import timedelta

    import numpy as np
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from parecon.web import gazetteer
    from parecon.web.chapters.models import Chapter, Membership
    from parecon.web.chapters.services import grant_role, place_member
    from parecon.web.councils import services as councils
    from parecon.web.councils.models import CouncilMembership
    from parecon.web.effort import services
    from parecon.web.effort.models import EffortRating, HoursLog
    from parecon.web.members.models import Member

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    fac = Member.objects.create_user("fac@example.org", None, name="Facilitator")
    place = gazetteer.place(3128760)
    assert place is not None
    place_member(fac, place)
    chapter = Chapter.objects.get(geonameid=3128760)
    now = timezone.now()
    grant_role(
        fac,
        chapter,
        fac,
        "facilitator",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=9),
    )
    works = councils.create_council(fac, chapter, name="Big works", level="workplace")
    city = councils.create_council(fac, chapter, name="City", level="city")
    people = Member.objects.bulk_create(
        Member(email=f"w{i}@example.org", name=f"Worker {i}") for i in range(args.members)
    )
    Membership.objects.bulk_create(Membership(chapter=chapter, member=m) for m in people)
    CouncilMembership.objects.bulk_create(
        CouncilMembership(council=works, member=m, kind="worker") for m in people
    )
    today = timezone.localdate()
    period = services.open_period(
        fac, works, name="Big", plan_period="2030", starts_on=today, ends_on=today
    )
    rng = np.random.default_rng(1)
    n = len(people)
    rows = []
    for i, rater in enumerate(people):
        for j in rng.choice(n - 1, size=min(args.per_rater, n - 1), replace=False):
            ratee = people[int(j) + (j >= i)]
            rows.append(
                EffortRating(
                    period=period, rater=rater, ratee=ratee, score=float(rng.integers(8, 16))
                )
            )
    EffortRating.objects.bulk_create(rows, batch_size=5000)
    HoursLog.objects.bulk_create(
        (
            HoursLog(
                period=period,
                member=m,
                worked_on=today,
                hours=float(rng.integers(4, 9)),
                status="confirmed",
                confirmed_by=people[(i + 1) % n],
            )
            for i, m in enumerate(people)
        ),
        batch_size=5000,
    )
    services.set_pool_by_federation(fac, period, city, 1000.0 * n)
    t = time.perf_counter()
    services.compute_allowances(fac, period)
    compute_s = time.perf_counter() - t
    if args.profile:
        import cProfile
        import pstats

        client = Client()
        client.force_login(people[0])
        client.get(f"/effort/periods/{period.pk}/")
        with cProfile.Profile() as prof:
            client.get(f"/effort/periods/{period.pk}/")
        pstats.Stats(prof).sort_stats("cumulative").print_stats("parecon|query.py", 30)
    pages = (
        ("period page", f"/effort/periods/{period.pk}/", {}),
        ("period page, a search", f"/effort/periods/{period.pk}/?q=Worker+12", {}),
        ("coworker search (HTMX)", f"/effort/periods/{period.pk}/coworkers/?q=Worker+3", True),
        ("period API", f"/api/effort/periods/{period.pk}", {}),
        ("hours API", f"/api/effort/periods/{period.pk}/hours", {}),
    )
    results: dict[str, list[float]] = {name: [] for name, _u, _h in pages}
    for k in range(args.requests):
        client = Client()
        client.force_login(people[k % n])
        for name, url, hx in pages:
            t = time.perf_counter()
            r = client.get(url, headers={"HX-Request": "true"} if hx else {})
            if r.status_code == 404:  # a route the code under test lacks
                continue
            results[name].append(time.perf_counter() - t)
            assert r.status_code == 200, (url, r.status_code)
    print(f"{n} members, {len(rows)} ratings; computing the allowances: {compute_s:.2f} s")
    for name, times in results.items():
        if len(times) < 2:
            print(f"{name}: no such page in this version")
            continue
        ms = np.array(times[1:]) * 1000  # the first request warms the process
        p95 = float(np.percentile(ms, 95))
        print(
            f"{name}: p50 {np.percentile(ms, 50):.1f} ms, p95 {p95:.1f} ms "
            f"({p95 / 100:.2f}× the 100 ms target)"
        )
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
