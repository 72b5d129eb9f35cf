"""The `onewindow` console script.

onewindow demo [--host H] [--port P]   prepare the embedded platform with demo data and serve
onewindow serve [--host H] [--port P] [--workers N]   serve with granian (WSGI)
onewindow worker                       run the job worker (huey) on the configured store
onewindow setup [--demo]               migrate and load reference data, packs (and demo data)
onewindow <django command> ...         any management command (migrate, ledger, load_packs...)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.conf.settings")
    import django

    django.setup()


def _serve(host: str, port: int, workers: int) -> int:
    from django.conf import settings
    from granian import Granian
    from granian.constants import Interfaces

    worker = None
    if settings.JOB_BACKEND == "sqlite":
        worker = subprocess.Popen([sys.executable, "-m", "onewindow.cli", "worker"])
    try:
        Granian(
            "onewindow.conf.wsgi:application",
            address=host,
            port=port,
            interface=Interfaces.WSGI,
            workers=workers,
            blocking_threads=4,
        ).serve()
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=10)
    return 0


def _ensure_ledger_key() -> None:
    """The embedded platform signs its own checkpoints: create its key on first start."""
    from onewindow.ledger import conf, keys

    if not keys.has_key(conf.origin()):
        keys.generate_key(conf.origin())
        print(f"created the ledger signing key in {conf.key_dir()}")


def _setup(demo: bool) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    _ensure_ledger_key()
    call_command("load_reference")
    call_command("registries", "load_catalogue")
    call_command("packs", "load")  # catalogue, processes and decisions of every pack
    if demo:
        call_command("load_demo")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        return 0
    command = argv[0]
    if command in {"demo", "serve", "setup"}:
        parser = argparse.ArgumentParser(prog=f"onewindow {command}")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument("--demo", action="store_true")
        args = parser.parse_args(argv[1:])
        if command == "demo":
            os.environ.setdefault("JOB_BACKEND", "sqlite")
        _django()
        if command in {"demo", "setup"}:
            _setup(demo=command == "demo" or args.demo)
        if command == "setup":
            return 0
        if command == "demo":
            from onewindow.accounts.demo import print_welcome

            print_welcome(f"http://{args.host}:{args.port}/")
        return _serve(args.host, args.port, args.workers)
    if command == "worker":
        _django()
        from django.core.management import call_command

        call_command("run_huey", workers=1)
        return 0
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["onewindow", *argv])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
