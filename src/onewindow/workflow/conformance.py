"""BPMN conformance: parse every model in the shared BPMN collections with the platform's
reader, and run each executable process on the platform's engine (sandbox, connectors, DMN,
state saved and restored between rounds). Generates docs/reference/bpmn-conformance.md.

    onewindow bpmn_conformance [--check | --write]

A run completes user tasks with the data listed in `conformance_inputs.yaml` (else with no
data), moves the clock past each waiting timer, delivers the messages listed there, and
stops when the process ends, or waits for something no one in the model sends, or fails.
Nothing is stubbed: a service task whose connector is not registered opens an incident and
the run reports it. Uses time-machine (a test dependency) to move the clock.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from lxml import etree

from onewindow.core.errors import DomainError
from onewindow.workflow import engine
from onewindow.workflow.constants import STATE_FORMAT
from onewindow.workflow.engine import serializer, view
from onewindow.workflow.engine.runtime import Run

SUITES = ("bpmn-miwg_reference", "camunda-bpm-examples", "spiffworkflow_tests/bpmn")
INPUTS = Path(__file__).resolve().parent / "conformance_inputs.yaml"
MAX_ROUNDS = 60
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


@dataclass(frozen=True)
class Row:
    suite: str
    model: str
    process: str
    parses: bool
    executes: str  # "yes", "waits", "no", "n/a"
    why: str


def _short(text: str, limit: int = 160) -> str:
    text = re.sub(r" at 0x[0-9a-f]+", "", " ".join(str(text).split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _processes(path: Path) -> dict[str, bool]:
    root = etree.parse(str(path)).getroot()
    return {
        p.get("id"): p.get("isExecutable", "false").lower() == "true"
        for p in root.iter(f"{{{BPMN_NS}}}process")
        if p.get("id")
    }


def _called(path: Path) -> set[str]:
    root = etree.parse(str(path)).getroot()
    return {
        c.get("calledElement")
        for c in root.iter(f"{{{BPMN_NS}}}callActivity")
        if c.get("calledElement")
    }


def _collaboration(path: Path, processes: dict[str, bool]) -> str | None:
    """The collaboration of a model whose pools are two or more executable processes."""
    root = etree.parse(str(path)).getroot()
    for collaboration in root.iter(f"{{{BPMN_NS}}}collaboration"):
        refs = [p.get("processRef") for p in collaboration.iter(f"{{{BPMN_NS}}}participant")]
        if len([r for r in refs if processes.get(r or "")]) >= 2:
            return str(collaboration.get("id"))
    return None


def _files_for(path: Path) -> dict[str, str]:
    """The model plus the files beside it that define the processes it calls, and DMN."""
    files = {path.name: path.read_text(encoding="utf-8")}
    wanted = _called(path) - set(_processes(path))
    for sibling in sorted(path.parent.iterdir()):
        if sibling == path or not wanted:
            continue
        if sibling.suffix == ".bpmn":
            defined = set(_processes(sibling))
            if defined & wanted:
                files[sibling.name] = sibling.read_text(encoding="utf-8")
                wanted -= defined
                wanted |= _called(sibling) - defined
    for dmn in sorted(path.parent.glob("*.dmn")):
        files[dmn.name] = dmn.read_text(encoding="utf-8")
    return files


def _why(error: BaseException) -> str:
    if isinstance(error, DomainError):
        step = error.details.get("step") if isinstance(error.details, dict) else None
        return _short(f"step {step}: {error.message_en}" if step else error.message_en)
    return _short(f"{type(error).__name__}: {error}")


class _Driver:
    def __init__(self, parsed: engine.ParsedDefinition, inputs: dict[str, Any]) -> None:
        self.parsed = parsed
        self.inputs = inputs
        self.messages = list(inputs.get("messages", []))
        self.workflow = engine.new_workflow(parsed, dict(inputs.get("data", {})), self._run())

    def _run(self) -> Run:
        return Run(decision_lookup=self.parsed.decision, subject="conformance")

    def _roundtrip(self) -> None:
        state = serializer.dump(self.workflow)
        self.workflow = engine.restore(self.parsed, state, STATE_FORMAT, self._run())

    def step(self, clock: Any) -> str | None:
        """One round; returns a final outcome or None to go on."""
        engine.run_steps(self.workflow)
        self._roundtrip()
        if self.workflow.completed:
            return "yes"
        failing = [p for p in view.pending_connectors(self.workflow) if p.incident_open]
        if failing:
            first = failing[0]
            return f"no|service task {view.step_id(first.task)}: {first.error.get('message', '')}"
        ready = view.ready_user_tasks(self.workflow)
        if ready:
            for task in ready:
                task.data.update(self.inputs.get("tasks", {}).get(view.step_id(task), {}))
                task.run()
            return None
        return self._wait(clock)

    def _wait(self, clock: Any) -> str | None:
        for wait in view.waiting_messages(self.workflow):
            for index, (name, payload) in enumerate(self.messages):
                if name == wait.message_name:
                    self.messages.pop(index)
                    event = view.BpmnEvent(wait.definition, payload=dict(payload or {}))
                    wait.task.task_spec.catch(wait.task, event)
                    wait.task.task_spec._update(wait.task)
                    return None
        timers = view.waiting_timers(self.workflow)
        if timers:
            clock.move_to(min(t.due_at for t in timers) + dt.timedelta(seconds=1))
            self.workflow.refresh_timers()
            return None
        waiting = [f"message '{w.message_name}'" for w in view.waiting_messages(self.workflow)]
        started = [view.step_id(t) for t in self.workflow.get_tasks(state=view.TaskState.STARTED)]
        if waiting:
            return f"waits|for {', '.join(sorted(set(waiting)))}, which nothing in the model sends"
        return f"waits|nothing can move (started: {', '.join(started) or '-'})"


def _execute(parsed: engine.ParsedDefinition, inputs: dict[str, Any]) -> tuple[str, str]:
    import time_machine

    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        try:
            driver = _Driver(parsed, inputs)
            for _ in range(MAX_ROUNDS):
                outcome = driver.step(clock)
                if outcome is not None:
                    kind, _, why = outcome.partition("|")
                    return kind, _short(why)
        except Exception as error:
            return "no", _why(error)
    return "waits", f"still running after {MAX_ROUNDS} rounds"


def _reader(files: dict[str, str]) -> Any:
    parser = engine.OneWindowParser()
    for name, text in files.items():
        if name.endswith(".bpmn"):
            try:
                parser.add_bpmn_str(text.encode("utf-8"), filename=name)
            except Exception as error:
                raise engine.parse_error(error, name) from error
    return parser


def _forced_build(parser: Any, pid: str) -> str:
    """Build a non-executable process as if it were executable; "" or the problem."""
    process_parser = parser.get_process_parser(pid)
    executable = process_parser.process_executable
    process_parser.process_executable = True
    try:
        parser.get_spec(pid)
        return ""
    except Exception as error:
        return _short(str(getattr(error, "msg", error)), 110)
    finally:
        process_parser.process_executable = executable


def _problem(error: DomainError) -> str:
    problem = error.details.get("problem") if isinstance(error.details, dict) else None
    return _short(problem or error.message_en)


def _rows_for(suite: str, path: Path, root: Path, inputs: dict[str, Any]) -> list[Row]:
    model = path.relative_to(root / suite).as_posix()
    processes = _processes(path)
    try:
        files = _files_for(path)
        parser = _reader(files)
    except DomainError as error:
        return [Row(suite, model, "", False, "n/a", _problem(error))]
    rows = []
    passive = [pid for pid, is_executable in processes.items() if not is_executable]
    if passive:
        problems = [p for p in (_forced_build(parser, pid) for pid in passive) if p]
        why = "isExecutable is not true (an interchange model): read, not run"
        if problems:
            why += f"; built as executable it would fail: {problems[0]}"
        rows.append(Row(suite, model, ", ".join(passive), True, "n/a", why))
    talking = _collaboration(path, processes)
    if talking:
        model_inputs = inputs.get(model, {})
        try:
            parsed = engine.parse_collaboration(files, talking)
            kind, why = _execute(parsed, model_inputs.get(talking, model_inputs))
            rows.append(Row(suite, model, f"{talking} (collaboration)", True, kind, why))
        except DomainError as error:
            rows.append(
                Row(suite, model, f"{talking} (collaboration)", False, "n/a", _problem(error))
            )
    for pid in (pid for pid, is_executable in processes.items() if is_executable):
        try:
            parsed = engine.parse_files(files, pid)
        except DomainError as error:
            rows.append(Row(suite, model, pid, False, "n/a", _problem(error)))
            continue
        model_inputs = inputs.get(model, {})
        kind, why = _execute(parsed, model_inputs.get(pid, model_inputs))
        rows.append(Row(suite, model, pid, True, kind, why))
    return rows


def run(shared: Path) -> list[Row]:
    root = shared / "bpmn_dmn"
    inputs = yaml.safe_load(INPUTS.read_text(encoding="utf-8")) or {}
    rows: list[Row] = []
    for suite in SUITES:
        for path in sorted((root / suite).glob("**/*.bpmn")):
            rows += _rows_for(suite, path, root, inputs.get(suite, {}))
    return rows


CATEGORIES = [
    (
        "no connector is registered as 'camunda:",
        "calls Java code (a Camunda class, bean or expression): would need a connector",
    ),
    ("no connector is registered as ''", "service task with no implementation in the model"),
    ("script cannot run", "script in another language (Groovy, JavaScript, XSLT)"),
    (
        "Expression refused",
        "refused by the sandbox (print, def, a function the platform does not offer)",
    ),
    ("is not defined", "needs process data the model does not provide"),
    ("was not found", "calls a process that is not in the collection"),
    ("which nothing in the model sends", "waits for a message from another process or participant"),
    (
        "ran more than",
        "loops without waiting (a call activity calling itself): stopped by the step limit",
    ),
    ("data store", "uses a data store the platform does not provide"),
]


def _category(row: Row) -> str:
    for needle, label in CATEGORIES:
        if needle in row.why:
            return label
    return "a SpiffWorkflow limit or an invalid-by-design test model (see the row)"


MARK = {"yes": "✔ runs to the end", "waits": "◐ runs, then waits", "no": "✘", "n/a": "—"}


def render(rows: list[Row]) -> str:
    parsed = sum(r.parses for r in rows)
    executable = [r for r in rows if r.executes != "n/a"]
    lines = [
        "# BPMN conformance (generated)",
        "",
        "Generated by `onewindow bpmn_conformance --write` from the models in "
        "`../shared/data/bpmn_dmn/` (see its PROVENANCE.md); `test_conformance.py` fails when "
        "this page and the engine disagree. The DMN half is `dmn-conformance.md`.",
        "",
        "Every file is parsed with the platform's reader; every executable process is run on "
        "the platform's engine (restricted expressions, connectors, DMN through "
        "`onewindow.workflow.dmn`, state saved and restored between rounds). User tasks are "
        "completed with the data in `src/onewindow/workflow/conformance_inputs.yaml` (else "
        "with none), the clock is moved past waiting timers, listed messages are delivered. "
        "No connector is registered for these models: a service task opens an incident.",
        "",
        f"**{len(rows)} rows: {parsed} parse; of {len(executable)} executable processes "
        "and collaborations, "
        f"{sum(r.executes == 'yes' for r in rows)} run to the end, "
        f"{sum(r.executes == 'waits' for r in rows)} run and then wait, "
        f"{sum(r.executes == 'no' for r in rows)} fail.**",
        "",
    ]
    counts: dict[str, int] = {}
    for row in rows:
        if row.executes in {"no", "waits"} or not row.parses:
            counts[_category(row)] = counts.get(_category(row), 0) + 1
    lines += ["## Why some do not run, in short", "", "| reason | rows |", "|---|---|"]
    lines += [f"| {label} | {n} |" for label, n in sorted(counts.items(), key=lambda i: -i[1])]
    lines.append("")
    for suite in SUITES:
        lines += [
            f"## {suite}",
            "",
            "| model | process | parses? | executes? | why / notes |",
            "|---|---|---|---|---|",
        ]
        for r in (r for r in rows if r.suite == suite):
            why = r.why.replace("|", "\\|")
            parses = "yes" if r.parses else "no"
            cells = [f"`{r.model}`", r.process or "—", parses, MARK[r.executes], why]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)
