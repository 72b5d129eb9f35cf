#!/usr/bin/env python3
"""Fresh-machine entry point (standard library only).

    python3 dev.py run     install, migrate, load reference + demo data, serve on 127.0.0.1:8000
    python3 dev.py test    install (incl. test tools and Debian's chromium), run the whole suite

Everything goes into ./.venv from the lock files in requirements/. Extra arguments after
`test` go to pytest; after `run` to `onewindow demo` (e.g. --port 8080).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
CHROMIUM = Path("/usr/bin/chromium")


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, env=env)


def ensure_venv(lock: str) -> None:
    stamp = VENV / f".installed-{lock}"
    wanted = hashlib.sha256(
        (ROOT / "requirements" / lock).read_bytes() + (ROOT / "pyproject.toml").read_bytes()
    ).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        say(f"creating {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    say(f"installing requirements/{lock} (pinned)")
    run(
        BIN / "python",
        "-m",
        "pip",
        "install",
        "-q",
        "--disable-pip-version-check",
        "-r",
        ROOT / "requirements" / lock,
    )
    run(
        BIN / "python",
        "-m",
        "pip",
        "install",
        "-q",
        "--disable-pip-version-check",
        "--no-deps",
        "-e",
        ROOT,
    )
    stamp.write_text(wanted)


def ensure_system_packages() -> None:
    """Debian's chromium (browser tests) and Noto CJK fonts (Chinese pages and PDFs)."""
    missing = [
        p
        for p, probe in (
            ("chromium", CHROMIUM),
            ("fonts-noto-cjk", Path("/usr/share/fonts/opentype/noto")),
        )
        if not probe.exists()
    ]
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit(
            f"[dev] please install the Debian packages {' '.join(missing)} "
            "(sudo apt-get install ...), then run again"
        )
    say(f"installing Debian packages: {' '.join(missing)}")
    quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run("apt-get", "update", "-qq", env=quiet)
    run("apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, env=quiet)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "run":
        ensure_venv("base.lock")
        os.execv(str(BIN / "onewindow"), [str(BIN / "onewindow"), "demo", *rest])
    ensure_venv("dev.lock")
    ensure_system_packages()
    env = {**os.environ, "ONEWINDOW_PROFILE": "test"}
    return subprocess.call([str(BIN / "pytest"), *rest], cwd=ROOT, env=env)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
