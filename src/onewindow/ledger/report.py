"""A verification report: problems with their locations, counts of what was checked, notes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, location: str, message: str) -> None:
        self.problems.append(Problem(location, message))

    def count(self, what: str, n: int = 1) -> None:
        self.checked[what] = self.checked.get(what, 0) + n

    def merge(self, other: Report) -> Report:
        self.problems += other.problems
        self.notes += other.notes
        for what, n in other.checked.items():
            self.count(what, n)
        return self

    def lines(self) -> list[str]:
        counts = ", ".join(f"{n} {what}" for what, n in self.checked.items())
        out = [f"note: {note}" for note in self.notes]
        if self.ok:
            return [*out, f"OK: {counts or 'nothing to check'}"]
        out += [f"PROBLEM {problem}" for problem in self.problems]
        return [*out, f"FAILED: {len(self.problems)} problem(s); checked {counts}"]
