"""Effort pages at scale: a workplace of ``--members`` coworkers rating each other.

Builds, in a throw-away data directory (SQLite; ``DATABASE_URL`` for PostgreSQL), one
workplace whose members each rated ``--per-rater`` coworkers and logged confirmed
hours, computes the allowances once, then times ``--requests`` loads of the period
page (a member's, the facilitator's, searches, later pages), the HTMX coworker search
and the API's period detail. Prints per page the queries and server CPU per request
(counts the machine's load does not change) and p50/p95 against the target (100 ms),
and the time to compute the allowances.

    python benchmarks/bench_effort_pages.py [--members 1000] [--per-rater 10]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

try:  # run from the repository root, or as a script (this folder on the path)
    from benchmarks.bench_platform_balance import measure_page
except ImportError:
    from bench_platform_balance import measure_page  # type: ignore[no-redef]


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
    # Time the page as members see it while rating: computing closed the period, so
    # reopen it (allowances stay, and the rating form with its coworker list shows).
    type(period).objects.filter(pk=period.pk).update(status="open")
    if args.profile:
        import cProfile
        import pstats

        client = Client()
        client.force_login(people[0])
        client.get(f"/effort/periods/{period.pk}/")
        with cProfile.Profile() as prof:
            client.get(f"/effort/periods/{period.pk}/")
        pstats.Stats(prof).sort_stats("cumulative").print_stats("parecon|query.py", 30)
    member, facilitator = Client(), Client()
    member.force_login(people[0])
    facilitator.force_login(fac)
    at = f"/effort/periods/{period.pk}/"
    pages = (
        ("period page (member)", member, at, False),
        ("period page (facilitator)", facilitator, at, False),
        ("period page, a search", member, f"{at}?q=Worker+12", False),
        ("period page, page 3", member, f"{at}?q=Worker&page=3", False),
        ("coworker search (HTMX)", member, f"{at}coworkers/?q=Worker+3", True),
        ("period API", member, f"/api/effort/periods/{period.pk}", False),
        ("hours API", member, f"/api/effort/periods/{period.pk}/hours", False),
    )
    print(f"{n} members, {len(rows)} ratings; computing the allowances: {compute_s:.2f} s")
    for name, client, url, hx in pages:
        load = measure_page(client, url, {"HX-Request": "true"} if hx else {}, args.requests)
        print(f"{name}: {load}" if load else f"{name}: no such page in this version")
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
