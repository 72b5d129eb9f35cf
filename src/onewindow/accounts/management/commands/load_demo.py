from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from onewindow.accounts.demo import load_demo
from onewindow.catalog.services import default_packs_root


class Command(BaseCommand):
    help = "Load demo staff and applicants from packs/*/demo/*.yaml (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--packs", type=Path, default=None)

    def handle(self, *args: object, **options: object) -> None:
        root = options["packs"] or default_packs_root()
        load_demo(root)  # type: ignore[arg-type]
        self.stdout.write("demo data loaded")
