"""The working-day notation of timers, as functions callable from diagrams.

* `working_days(n)` — the due instant of a timer that runs for `n` working days: 24:00
  (China time) at the end of the n-th working day after today, today not counted. Use it as
  a date timer: `<bpmn:timeDate>working_days(20)</bpmn:timeDate>`. Optional `start`
  (an ISO date or datetime held in process data) counts from that day instead of today:
  `working_days(5, start=committed_on)`.
* `working_day(n, start=None)` — the date (ISO `YYYY-MM-DD`) of that n-th working day, for
  data shown to people ("supply the documents by ...").

Durations (`timeDuration`) and cycles (`timeCycle`) stay ISO 8601 calendar time.
Registered into the sandbox by `WorkflowConfig.ready()`.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from onewindow.core.calendar import get_calendar
from onewindow.workflow import policies


def _start(start: object) -> dt.date | None:
    if start is None or start == "":
        return None
    if isinstance(start, dt.datetime):
        return start.astimezone(policies.CHINA).date()
    if isinstance(start, dt.date):
        return start
    text = str(start)
    if "T" in text:
        return dt.datetime.fromisoformat(text).astimezone(policies.CHINA).date()
    return dt.date.fromisoformat(text[:10])


def _days(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"working days must be a non-negative whole number, not {n!r}")
    return n


def working_days(n: int, start: object = None) -> str:
    due = policies.working_days_due(get_calendar(), timezone.now(), _days(n), _start(start))
    return due.isoformat()


def working_day(n: int, start: object = None) -> str:
    first = _start(start) or timezone.now().astimezone(policies.CHINA).date()
    return get_calendar().add_working_days(first, _days(n)).isoformat()


def register() -> None:
    from onewindow.workflow import sandbox

    sandbox.register_function("working_days", working_days)
    sandbox.register_function("working_day", working_day)
