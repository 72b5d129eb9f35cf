from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onewindow.catalog.services import default_packs_root, discover_packs, load_pack
from onewindow.core.errors import DomainError


class Command(BaseCommand):
    help = "Load the catalogue of every pack under packs/ (or the given pack folders)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path)

    def handle(self, *args: object, **options: object) -> None:
        paths: list[Path] = options["paths"] or discover_packs(default_packs_root())  # type: ignore[assignment]
        for path in paths:
            try:
                pack = load_pack(path, actor="system:cli", reason="onewindow load_packs")
            except DomainError as exc:
                raise CommandError(f"{exc.code}: {exc.message_zh} / {exc.message_en}") from exc
            self.stdout.write(f"{pack.code} {pack.version} {pack.content_hash[:12]}")
