"""Balancing a workplace on the platform: 1,000 members, 200 tasks, from the database.

Builds, in a throw-away data directory (SQLite by default, ``DATABASE_URL`` for
PostgreSQL), a worker council from the core's ``synthetic_workplace`` (its tasks,
hours owed and qualifications as rows), has each member rate ``--rated`` tasks,
then runs the background task's function (``jobs.balancing.run_balance``) and
splits its wall time into the core's ``balance`` (the result's own seconds) and the
platform's overhead (reading rows, aggregating ratings, building the Workplace,
writing complexes). Then publishes, and times the result page, the tasks page and
one member's complex page (median and p95 of ``--requests`` requests each).

Targets (issue 13): platform overhead < 5 s; pages < 100 ms p95.

    python benchmarks/bench_platform_balance.py [--people 1000] [--tasks 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import date


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--rated", type=int, default=10, help="tasks each member rates")
    parser.add_argument("--band", type=float, default=1.0)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("PARECON_DATA_DIR", tempfile.mkdtemp(prefix="parecon-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parecon.web.settings")
    import django

    django.setup()
    import numpy as np
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from parecon.web import gazetteer
    from parecon.web.chapters.models import Chapter, Membership
    from parecon.web.chapters.services import place_member
    from parecon.web.councils import services as councils
    from parecon.web.councils.models import CouncilMembership
    from parecon.web.jobs import balancing
    from parecon.web.jobs.inputs import build_inputs
    from parecon.web.jobs.models import (
        Balance,
        Holder,
        Qualification,
        Task,
        TaskRating,
        WeeklyHours,
    )
    from parecon.web.jobs.owners import Owner
    from parecon.web.members.models import Member
    from parecon.work import synthetic_workplace

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    wp = synthetic_workplace(args.people, args.tasks, seed=args.seed)
    admin = Member.objects.create_user("steward@example.org", None, name="Steward")
    place = gazetteer.place(3128760)
    assert place is not None
    place_member(admin, place)  # the chapter's founder: its admin
    chapter = Chapter.objects.get(geonameid=3128760)
    council = councils.create_council(admin, chapter, name="Big works", level="workplace")
    members = Member.objects.bulk_create(
        Member(email=f"w{i}@example.org", name=f"Worker {i}") for i in range(args.people - 1)
    )
    people = [admin, *members]
    Membership.objects.bulk_create(Membership(chapter=chapter, member=m) for m in members)
    CouncilMembership.objects.bulk_create(
        CouncilMembership(council=council, member=m, kind="worker") for m in people
    )
    owner = Owner(chapter, council)
    tasks = Task.objects.bulk_create(
        Task(
            chapter=chapter,
            council=council,
            kind="recurring",
            name=f"Task {t}",
            shift_hours=float(wp.shift_hours[t]),
            shifts_per_week=int(wp.shifts_per_week[t]),
            created_by=admin,
        )
        for t in range(wp.n_tasks)
    )
    quals = Qualification.objects.bulk_create(
        Qualification(chapter=chapter, council=council, name=f"for task {t}")
        for t in range(wp.n_tasks)
    )
    Task.qualifications.through.objects.bulk_create(
        Task.qualifications.through(task_id=tasks[t].pk, qualification_id=quals[t].pk)
        for t in range(wp.n_tasks)
    )
    Holder.objects.bulk_create(
        (
            Holder(qualification=quals[t], member=people[i], granted_by=admin)
            for i, t in zip(*np.nonzero(wp.qualified), strict=True)
        ),
        batch_size=5000,
    )
    WeeklyHours.objects.bulk_create(
        WeeklyHours(
            chapter=chapter, council=council, member=p, hours=wp.hours_owed[i], set_by=admin
        )
        for i, p in enumerate(people)
    )
    rng = np.random.default_rng(args.seed)
    ratings = []
    for p in people:
        for t in rng.choice(wp.n_tasks, size=min(args.rated, wp.n_tasks), replace=False):
            noise = int(rng.integers(-1, 2))
            e = int(np.clip(round(wp.empowerment[t]) + noise, 1, 20))
            d = int(np.clip(round(wp.desirability[t]) - noise, 1, 20))
            ratings.append(TaskRating(task=tasks[t], member=p, empowerment=e, desirability=d))
    TaskRating.objects.bulk_create(ratings, batch_size=5000)
    print(
        f"built {len(people)} members, {len(tasks)} tasks, {len(ratings)} ratings, "
        f"{int(wp.qualified.sum())} qualifications held in {time.perf_counter() - t0:.1f} s"
    )

    run = balancing.request_balance(admin, owner, starts_on=date(2027, 1, 4), band=args.band)
    start = time.perf_counter()
    inputs = build_inputs(run)
    read = time.perf_counter() - start
    start = time.perf_counter()
    done = balancing.run_balance(run.pk)
    total = time.perf_counter() - start
    core = float(done.summary.get("seconds") or 0.0)
    overhead = total - core
    print(f"status {done.status} ({done.summary.get('method')}); {done.message[:160]}")
    print(f"rows to Workplace alone: {read:.2f} s ({inputs.workplace.n_people} people)")
    print(
        f"run_balance {total:.2f} s = core balance {core:.2f} s + platform {overhead:.2f} s "
        f"(target < 5 s: ratio {overhead / 5.0:.2f})"
    )
    if done.status == "done":
        start = time.perf_counter()
        balancing.publish_balance(admin, Balance.objects.get(pk=run.pk))
        print(f"publish {time.perf_counter() - start:.2f} s")
    client = Client()
    client.force_login(people[1])
    for name, url in (
        ("result page", f"/work/balances/{run.pk}/"),
        ("tasks page", f"/work/council/{council.slug}/"),
        ("own complex page", f"/work/balances/{run.pk}/mine/"),
    ):
        times = []
        for _ in range(args.requests):
            s = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - s) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        p95 = sorted(times)[max(0, int(0.95 * len(times)) - 1)]
        print(
            f"{name}: median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms "
            f"(target < 100 ms: ratio {p95 / 100:.2f})"
        )


if __name__ == "__main__":
    main()
