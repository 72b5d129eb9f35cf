"""`onewindow registries load|load_catalogue|load_industries|generate_demo|index|check_name`.

load KIND FILE [--reason R]        CSV or Excel into a source's tables (KIND: see --help);
                                   progress on stderr, row errors listed, exit 1 if any
load_catalogue                     the shipped business-scope catalogue (data/scope_catalogue.csv)
load_industries FILE               GB/T 4754-2017 from a file, e.g.
                                   ../shared/data/industry_classification/gbt4754_2017_flat.csv
generate_demo --entities N [--seed S] [--batch B]   demo data at province scale
index                              build the names index and print its size and build time
check_name NAME                    the name check, as JSON
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onewindow.core.errors import DomainError
from onewindow.registries.loaders import KINDS, load_file

ACTOR = "system:cli"


class ProgressBar:
    def __init__(self, label: str) -> None:
        self.label, self.started, self.last = label, time.monotonic(), 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.5 and done < total:
            return
        self.last = now
        share = done / total if total else 1.0
        bar = "#" * int(share * 30)
        rate = done / max(now - self.started, 1e-9)
        sys.stderr.write(f"\r{self.label} [{bar:<30}] {done:,}/{total:,} {rate:,.0f}/s")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


class Command(BaseCommand):
    help = "Registries: load files, load industries, generate demo data, names index."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load a CSV or Excel file")
        load.add_argument("kind", choices=KINDS)
        load.add_argument("file")
        load.add_argument("--reason", default="管理员导入数据 administrator load")
        sub.add_parser("load_catalogue", help="load the shipped scope catalogue")
        industries = sub.add_parser("load_industries", help="load GB/T 4754-2017")
        industries.add_argument("file")
        demo = sub.add_parser("generate_demo", help="generate demo market entities")
        demo.add_argument("--entities", type=int, default=10_000)
        demo.add_argument("--seed", type=int, default=20260101)
        demo.add_argument("--batch", type=int, default=5000)
        sub.add_parser("index", help="build the names index")
        check = sub.add_parser("check_name", help="check an enterprise name")
        check.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"do_{options['action']}")(options)
        except DomainError as exc:
            raise CommandError(f"[{exc.code}] {exc.message_en}") from exc

    def _load(self, kind: str, file: str, reason: str) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        job = load_file(
            kind=kind, path=path, actor=ACTOR, reason=reason, progress=ProgressBar(kind)
        )
        self.stdout.write(
            f"{job.status}: {job.loaded_rows:,} rows loaded, {job.error_count:,} with errors "
            f"(load {job.pk}, sha256 {job.file_sha256[:16]}…)"
        )
        for error in job.errors:
            self.stdout.write(
                f"  row {error['row']} {error['column']}: [{error['code']}] "
                f"{error['message_zh']} / {error['message_en']}"
            )
        if job.error_count:
            raise SystemExit(1)

    def do_load(self, options: dict[str, Any]) -> None:
        self._load(options["kind"], options["file"], options["reason"])

    def do_load_catalogue(self, options: dict[str, Any]) -> None:
        from onewindow.registries.names.vocabulary import DATA_DIR

        self._load(
            "business_scope",
            str(DATA_DIR / "scope_catalogue.csv"),
            "加载平台经营范围目录 load the shipped scope catalogue",
        )

    def do_load_industries(self, options: dict[str, Any]) -> None:
        self._load("industries", options["file"], "加载国民经济行业分类 load GB/T 4754-2017")

    def do_generate_demo(self, options: dict[str, Any]) -> None:
        from onewindow.registries.demo.generate import generate_demo

        report = generate_demo(
            entities=options["entities"],
            seed=options["seed"],
            batch=options["batch"],
            actor=ACTOR,
            reason="生成演示数据 generate demo data",
            progress=ProgressBar("entities"),
        )
        extras = ", ".join(f"{k} {v:,}" for k, v in sorted(report.extras.items()))
        self.stdout.write(
            f"{report.entities:,} market entities in {report.seconds:.1f} s "
            f"({report.entities / max(report.seconds, 1e-9):,.0f}/s); {extras}"
        )

    def do_index(self, options: dict[str, Any]) -> None:
        from onewindow.registries.names import lookup

        started = time.perf_counter()
        index = lookup.get_index()
        self.stdout.write(
            f"{len(index):,} names indexed in {time.perf_counter() - started:.1f} s, "
            f"{index.memory_bytes / 2**20:.0f} MiB"
        )

    def do_check_name(self, options: dict[str, Any]) -> None:
        from onewindow.registries.checks import check_name
        from onewindow.registries.exchange import QueryContext

        context = QueryContext(
            requester=ACTOR,
            purpose="命令行名称查重 name check from the command line",
            legal_basis="《企业名称登记管理规定》",
        )
        result = check_name(name=options["name"], context=context)
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
