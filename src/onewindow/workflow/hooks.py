"""How the app that owns a process's subject (e.g. `cases` for `case:WH...`) takes part when
the engine advances an instance on its own (timer, message, retry) or through the inbox.

A handler, registered per subject type in the owning app's `ready()`:
* `lock(subject_id)` — lock the subject row first (lock order: subject, then instance);
* `check_item(subject_id, item, actor)` — may refuse an inbox completion that must go
  through the subject's own service (raise a DomainError);
* `after_advance(subject_id, instance, actor, reason, cause)` — bring the subject up to date
  in the same transaction (status, timeline, ledger).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from onewindow.workflow.models import ProcessInstance, TaskItem


class SubjectHandler(Protocol):
    def lock(self, subject_id: str) -> None: ...

    def check_item(self, subject_id: str, item: TaskItem, actor: Any) -> None: ...

    def after_advance(
        self, subject_id: str, instance: ProcessInstance, *, actor: str, reason: str, cause: str
    ) -> None: ...


_HANDLERS: dict[str, SubjectHandler] = {}


def register_subject_handler(subject_type: str, handler: SubjectHandler) -> None:
    _HANDLERS[subject_type] = handler


def handler_for(subject: str) -> tuple[SubjectHandler, str] | None:
    kind, _, subject_id = subject.partition(":")
    handler = _HANDLERS.get(kind)
    return (handler, subject_id) if handler is not None and subject_id else None
