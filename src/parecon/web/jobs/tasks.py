"""Background work of shared work (django-tasks): balancing a workplace's complexes.

The database backend's worker (started by ``parecon serve``) runs it; the tests use
the immediate backend, which runs it at once.
"""

from __future__ import annotations

from django_tasks import task


@task()
def balance_in_background(balance_id: int) -> str:
    from parecon.web.jobs.balancing import fail_balance, run_balance

    try:
        return run_balance(balance_id).status
    except Exception as exc:  # an unexpected error must not leave the page "balancing"
        fail_balance(balance_id, f"{type(exc).__name__}: {exc}")
        raise
