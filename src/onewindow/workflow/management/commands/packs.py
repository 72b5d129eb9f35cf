"""`onewindow packs list | validate | load | test [PACK_DIR ...]` — the pack tooling.

* list      — each pack: id, version, its executable processes and the loaded definition.
* validate  — check diagrams, decisions and task forms; prints `file:line: problem`, exits 1.
* load      — validate, then load the catalogue and import the processes (one transaction).
* test      — run the unit tests beside each pack's diagrams (`processes/**/test_*.py`);
              `--promise` also runs the pack's `tests/` (its promise).
Without PACK_DIR: every pack under packs/ (or $ONEWINDOW_PACKS).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from onewindow.catalog.services import default_packs_root, discover_packs, load_pack
from onewindow.core.errors import DomainError
from onewindow.workflow import definitions, selectors, services, validation


class Command(BaseCommand):
    help = "Pack tooling: list, validate, load or test reform packs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["list", "validate", "load", "test"])
        parser.add_argument("paths", nargs="*", type=Path)
        parser.add_argument("--promise", action="store_true", help="test: also run tests/")

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[Path] = options["paths"] or discover_packs(default_packs_root())
        missing = [str(p) for p in paths if not (p / "pack.yaml").is_file()]
        if missing:
            raise CommandError(f"not a pack (no pack.yaml): {', '.join(missing)}")
        action = options["action"]
        if action == "list":
            self._list(paths)
        elif action == "validate":
            self._validate(paths)
        elif action == "load":
            self._load(paths)
        else:
            self._test(paths, promise=options["promise"])

    def _list(self, paths: list[Path]) -> None:
        loaded = {d.process_id: d.content_hash[:12] for d in selectors.current_definitions()}
        for path in paths:
            code = validation.pack_code(path)
            try:
                processes = definitions.executable_process_ids(definitions.pack_files(path))
            except DomainError as error:
                processes = [f"<{error.code}>"]
            shown = ", ".join(f"{p}@{loaded.get(p, 'not loaded')}" for p in processes) or "-"
            self.stdout.write(f"{code}\t{path}\tprocesses: {shown}")

    def _problems(self, path: Path) -> list[validation.Problem]:
        try:
            return validation.validate_pack(path)
        except DomainError as error:
            return [validation.Problem(str(path), None, f"{error.code}: {error.message_en}")]

    def _validate(self, paths: list[Path]) -> None:
        failed = 0
        for path in paths:
            problems = self._problems(path)
            for problem in problems:
                self.stdout.write(f"{path.name}/{problem}")
            self.stdout.write(
                f"{path.name}: {'ok' if not problems else f'{len(problems)} problem(s)'}"
            )
            failed += len(problems)
        if failed:
            raise CommandError(f"{failed} problem(s)")

    def _load(self, paths: list[Path]) -> None:
        for path in paths:
            try:
                with transaction.atomic():
                    pack = load_pack(path, actor="system:cli", reason="onewindow packs load")
                    loaded = services.load_pack_processes(
                        pack_dir=path, actor="system:cli", reason="onewindow packs load"
                    )
            except DomainError as error:
                details = error.details if isinstance(error.details, dict) else {}
                for problem in details.get("problems", []):
                    self.stderr.write(
                        f"{path.name}/{problem['file']}:{problem['line']}: {problem['problem']}"
                    )
                raise CommandError(f"{error.code}: {error.message_en}") from error
            shown = ", ".join(f"{d.process_id}@{d.content_hash[:12]}" for d in loaded) or "-"
            self.stdout.write(f"{pack.code} {pack.version}\tprocesses: {shown}")

    def _test(self, paths: list[Path], *, promise: bool) -> None:
        targets: list[str] = []
        for path in paths:
            targets += [str(p) for p in sorted((path / "processes").glob("**/test_*.py"))]
            if promise and (path / "tests").is_dir():
                targets.append(str(path / "tests"))
        if not targets:
            self.stdout.write("no diagram tests found")
            return
        # The operator names the pack folders; pytest runs this interpreter on their files.
        result = subprocess.run([sys.executable, "-m", "pytest", *targets], check=False)  # noqa: S603
        if result.returncode:
            raise CommandError(f"pack tests failed (pytest exit {result.returncode})")
