"""Starting the platform: migrate, then a production server and the task worker.

``parecon serve`` and ``parecon demo`` call :func:`serve` and :func:`demo`; both
run gunicorn (the WSGI server) and django-tasks-db's worker as child processes and
stop the worker when the server stops.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

DEFAULT_DEMO_DIR = "parecon-demo"


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


#: gunicorn's processes and threads (the load benchmark's defaults too). Python runs
#: one thread of a process at a time, so two requests in one process share a core
#: while the other may idle: two processes per core with two threads each keep both
#: cores busy under load and still let a slow client hold only half a process.
SERVER_WORKERS = min(max(2 * _cores(), 2), 8)
SERVER_THREADS = 2


def _environ(data_dir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PARECON_DATA_DIR"] = str(data_dir.resolve())
    env.setdefault("DJANGO_SETTINGS_MODULE", "parecon.web.settings")
    env.update(extra or {})
    return env


def _manage(data_dir: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "parecon.web.manage", *args],
        env=_environ(data_dir),
        check=True,
    )


def prepare(data_dir: Path, *, load_demo: bool = False) -> None:
    """Create the data directory, bring its database up to date (loading the demo
    community if asked) and start the clock of digests and reminders, in one process."""
    data_dir.mkdir(parents=True, exist_ok=True)
    _manage(data_dir, "prepare_site", *(["--load-demo"] if load_demo else []))


def server_command(
    host: str,
    port: int,
    *,
    workers: int = SERVER_WORKERS,
    threads: int = SERVER_THREADS,
    access_log: str = "-",
    access_log_format: str | None = None,
) -> list[str]:
    """The gunicorn command ``serve`` runs (the load benchmark runs the same one)."""
    command = [
        *(sys.executable, "-m", "gunicorn", "parecon.web.wsgi:application"),
        *("--bind", f"{host}:{port}", "--workers", str(workers), "--threads", str(threads)),
        *("--access-logfile", access_log, "--graceful-timeout", "5"),
    ]
    if access_log_format:
        command += ["--access-logformat", access_log_format]
    return command


def run_server(data_dir: Path, host: str, port: int, workers: int = SERVER_WORKERS) -> int:
    """Run gunicorn and the task worker until interrupted; returns the exit status."""
    env = _environ(data_dir)
    env.setdefault("PARECON_SITE_URL", f"http://{host}:{port}")  # links in e-mails
    worker = subprocess.Popen(
        [sys.executable, "-m", "parecon.web.manage", "db_worker", "--interval", "2"], env=env
    )
    server = subprocess.Popen(server_command(host, port, workers=workers), env=env)

    def stop(signum: int, _frame: object) -> None:
        server.send_signal(signal.SIGTERM)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.send_signal(signal.SIGTERM)
        return server.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


def serve(data_dir: Path, host: str, port: int) -> int:
    prepare(data_dir)
    print(f"parecon is serving http://{host}:{port}/ (data in {data_dir.resolve()})", flush=True)
    return run_server(data_dir, host, port)


def demo(data_dir: Path, host: str, port: int) -> int:
    """Load the demo community into a fresh data directory (once) and serve it."""
    from parecon.web.site.demo_accounts import DEMO_PASSWORD, FACILITATOR_EMAIL

    marker = data_dir / "demo-loaded"
    loading = not marker.exists()
    prepare(data_dir, load_demo=loading)
    if loading:
        marker.write_text("the demo community is in this data directory\n")
    print(
        "\nThe demo community is ready.\n"
        f"  Open   http://{host}:{port}/\n"
        f"  Log in as {FACILITATOR_EMAIL} with the password {DEMO_PASSWORD}\n"
        "  (every demo member, e.g. bruno@demo.parecon.org, has the same password)\n"
        "  E-mails (verification links, reset codes) are printed in this log.\n",
        flush=True,
    )
    return run_server(data_dir, host, port)
