"""Process metrics computed from a definition alone (no instance, no database), for comparing
a process before and after a reform.

`process_metrics(definition) -> ProcessMetrics`, where `definition` is a `ProcessDefinition`
row, a parsed definition, or BPMN XML text (with `process_id` when the file has several).

What is counted, from the task properties (docs/reference/workflow.md):
* applicant-facing steps — user/manual tasks whose role is `applicant` (lane or `role`) or
  that carry `applicant_facing = true`;
* trips to a counter — steps with `in_person = true`;
* materials — the distinct codes listed in `materials` properties;
* critical-path working days — the longest chain of `time_limit_days` (and of timers
  written `working_days(n)`) from start to end.

How the graph is combined: after a parallel or inclusive split every branch runs (steps,
trips and materials add up; days take the longest branch); after an exclusive or
event-based split one branch runs, and the worst branch counts for each figure. Loops
(flows back to an earlier step, such as a return for correction) are not repeated, and the
branches of boundary events (exceptions) are not counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins import ExclusiveGatewayMixin
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import (
    BoundaryEvent,
    EventBasedGateway,
)

from onewindow.workflow import engine, policies
from onewindow.workflow.constants import APPLICANT_ROLE
from onewindow.workflow.engine.runtime import properties_of

_WORKING_DAYS = re.compile(r"^\s*working_days\(\s*(\d+)")
EXIT = "__exit__"


@dataclass(frozen=True)
class ProcessMetrics:
    process_id: str
    applicant_steps: int
    trips: int
    materials: tuple[str, ...]
    critical_path_days: int
    critical_path: tuple[str, ...]

    @property
    def material_count(self) -> int:
        return len(self.materials)


@dataclass(frozen=True)
class _Span:
    steps: int = 0
    trips: int = 0
    days: int = 0
    materials: frozenset[str] = field(default_factory=frozenset)
    path: tuple[str, ...] = ()

    def then(self, other: _Span) -> _Span:
        return _Span(
            self.steps + other.steps,
            self.trips + other.trips,
            self.days + other.days,
            self.materials | other.materials,
            self.path + other.path,
        )


def _all_of(branches: list[_Span]) -> _Span:
    longest = max(branches, key=lambda b: b.days)
    return _Span(
        sum(b.steps for b in branches),
        sum(b.trips for b in branches),
        longest.days,
        frozenset().union(*(b.materials for b in branches)),
        longest.path,
    )


def _worst_of(branches: list[_Span]) -> _Span:
    longest = max(branches, key=lambda b: b.days)
    return _Span(
        max(b.steps for b in branches),
        max(b.trips for b in branches),
        longest.days,
        frozenset().union(*(b.materials for b in branches)),
        longest.path,
    )


def _own(spec: Any) -> _Span:
    bpmn_id = getattr(spec, "bpmn_id", None)
    if not bpmn_id:
        return _Span()
    props = properties_of(spec)
    days = int(props["time_limit_days"]) if props.get("time_limit_days", "").isdigit() else 0
    definition = getattr(spec, "event_definition", None)
    if isinstance(definition, TimerEventDefinition):
        match = _WORKING_DAYS.match(definition.expression or "")
        days += int(match.group(1)) if match else 0
    role = policies.task_role(getattr(spec, "lane", None), props.get("role"))
    facing = getattr(spec, "manual", False) and (
        role == APPLICANT_ROLE or props.get("applicant_facing", "").lower() == "true"
    )
    return _Span(
        steps=1 if facing else 0,
        trips=1 if props.get("in_person", "").lower() == "true" else 0,
        days=days,
        materials=frozenset(policies.split_list(props.get("materials"))),
        path=(bpmn_id,) if days else (),
    )


class _Graph:
    """The spec as an acyclic graph: back edges dropped, boundary branches dropped."""

    def __init__(self, spec: Any) -> None:
        self.specs = spec.task_specs
        self.start = spec.start.name
        self.succ: dict[str, list[str]] = {}
        self._build(self.start, set())
        self.ipdom = self._post_dominators()

    def _outputs(self, name: str) -> list[str]:
        spec = self.specs[name]
        outputs = [o.name for o in spec.outputs]
        if isinstance(spec, BoundaryEventSplit):
            outputs = [o for o in outputs if not isinstance(self.specs[o], BoundaryEvent)]
        return outputs

    def _build(self, root: str, _unused: set[str]) -> None:
        on_stack: set[str] = set()
        done: set[str] = set()
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(self._outputs(root)))]
        on_stack.add(root)
        self.succ[root] = []
        while stack:
            name, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                on_stack.discard(name)
                done.add(name)
                continue
            if child in on_stack:
                continue  # a loop back: not repeated
            self.succ[name].append(child)
            if child not in done and child not in self.succ:
                self.succ[child] = []
                on_stack.add(child)
                stack.append((child, iter(self._outputs(child))))

    def _topological(self) -> list[str]:
        order: list[str] = []
        seen: set[str] = set()

        def visit(node: str) -> None:
            seen.add(node)
            for child in self.succ.get(node, []):
                if child not in seen:
                    visit(child)
            order.append(node)

        visit(self.start)
        return order  # children before parents

    def _post_dominators(self) -> dict[str, str]:
        postdom: dict[str, frozenset[str]] = {EXIT: frozenset({EXIT})}
        for node in self._topological():
            children = self.succ.get(node) or [EXIT]
            common = frozenset.intersection(*(postdom[c] for c in children))
            postdom[node] = common | {node}
        return {
            node: max(doms - {node}, key=lambda d: len(postdom[d]))
            for node, doms in postdom.items()
            if node != EXIT
        }

    def walk(self, node: str, stop: str) -> _Span:
        total = _Span()
        while node not in (stop, EXIT):
            spec = self.specs[node]
            total = total.then(_own(spec))
            children = self.succ.get(node, [])
            if not children:
                return total
            if len(children) == 1:
                node = children[0]
                continue
            join = self.ipdom[node]
            branches = [self.walk(child, join) for child in children]
            choose = isinstance(spec, (ExclusiveGatewayMixin, EventBasedGateway))
            total = total.then(_worst_of(branches) if choose else _all_of(branches))
            node = join
        return total


def _parsed(definition: Any, process_id: str | None) -> engine.ParsedDefinition:
    if isinstance(definition, engine.ParsedDefinition):
        return definition
    if isinstance(definition, (str, bytes)):
        text = definition.decode("utf-8") if isinstance(definition, bytes) else definition
        files = {"process.bpmn": text}
        if process_id is None:
            from onewindow.workflow.definitions import executable_process_ids

            process_id = executable_process_ids(files)[0]
        return engine.parse_files(files, process_id)
    return engine.parse_files(definition.files, process_id or definition.process_id)


def process_metrics(definition: Any, process_id: str | None = None) -> ProcessMetrics:
    """Applicant-facing steps, trips, materials and critical-path working days."""
    parsed = _parsed(definition, process_id)
    span = _Graph(parsed.spec).walk(parsed.spec.start.name, EXIT)
    return ProcessMetrics(
        process_id=parsed.process_id,
        applicant_steps=span.steps,
        trips=span.trips,
        materials=tuple(sorted(span.materials)),
        critical_path_days=span.days,
        critical_path=span.path,
    )
