"""The case lifecycle as a BPMN process.

Every case runs the process its service item names (`ServiceItem.process_id`, e.g.
`r01_case_lifecycle` in packs/r01_company_setup_anywhere/processes/). `submit_case` starts
it in its own transaction, pinning the definition hash; each decision on the case completes
the open user task that offers it (`accept`, `return`, `reject`, `approve`, `resubmit`,
`deliver` — the task's `actions` property) and the case status is what the process sets
in `case_status`. Who may act is still `policies.can` (same error codes); what may be done
now is whatever the process offers.

`CaseProcessHandler` lets the engine lock the case and bring it up to date when a process
advances on its own (timer, message, retry), and keeps inbox completions of case steps on
the case services. Decisions taken by DMN tables appear on the case timeline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone

from onewindow.accounts.models import User
from onewindow.cases.constants import CaseEventName, CaseStatus
from onewindow.cases.events import log_event
from onewindow.cases.models import Case, CaseEvent
from onewindow.catalog.models import ServiceItem
from onewindow.catalog.services import default_packs_root, discover_packs
from onewindow.core.errors import PermissionDenied, ValidationFailed
from onewindow.workflow import selectors as workflow_selectors
from onewindow.workflow import services as workflow_services
from onewindow.workflow.models import ProcessInstance, TaskItem

CASE_ACTIONS = frozenset({"accept", "return", "reject", "approve", "resubmit", "deliver"})


def subject_of(case: Case) -> str:
    return f"case:{case.number}"


def _pack_dir(item: ServiceItem) -> Path | None:
    if item.pack is None:
        return None
    root = default_packs_root()
    if (root / item.pack.code / "pack.yaml").is_file():
        return root / item.pack.code
    for candidate in discover_packs(root):
        if candidate.name == item.pack.code:
            return candidate
    return None


def start(case: Case, actor: User, reason: str) -> ProcessInstance:
    """Start the item's process for a new case (inside submit_case's transaction, before
    the submission is logged); the case takes the status the process sets."""
    item = case.service_item
    if not item.process_id:
        raise ValidationFailed(
            "case.no_process",
            f"事项 {item.code} 未指定办理流程",
            f"Service item {item.code} names no process",
            details={"item": item.code},
        )
    instance = workflow_services.start_process(
        process_id=item.process_id,
        actor=actor,
        reason=reason,
        subject=subject_of(case),
        business_key=case.number,
        data={
            # The applicant's answers, by field name, so gateways and decisions can use them;
            # the platform's own variables below win over a form field of the same name.
            **case.form_data,
            "form": case.form_data,
            "case_number": case.number,
            "item": item.code,
            "home_jurisdiction": case.home_jurisdiction,
            "intake_centre": case.intake_centre.code if case.intake_centre else None,
            "applicant_user": case.applicant.owner_id,
            "delivery_method": case.delivery_method,
            "case_status": case.status,
        },
        pack_dir=_pack_dir(item),
    )
    status = instance.variables.get("case_status")
    if status in CaseStatus.values and status != case.status:
        case.status = status
        case.save(update_fields=["status"])
    return instance


def open_step(case: Case, action: str) -> TaskItem | None:
    return workflow_selectors.open_item_for_action(subject_of(case), action)


def offered_actions(case: Case) -> list[str]:
    return workflow_selectors.open_actions(subject_of(case))


def complete_step(
    case: Case, actor: User, step: TaskItem, reason: str, data: dict[str, Any]
) -> None:
    """Complete the step and take the case status the process sets (case row locked)."""
    instance = workflow_services.complete_task(
        item_id=step.pk, actor=actor, reason=reason, data=data, via_subject=True
    )
    _follow(case, instance)
    decisions_to_timeline(case, actor, _label(actor))


def _label(user: User) -> str:
    return f"{user.get_full_name() or user.username} ({user.username})"


def _follow(case: Case, instance: ProcessInstance) -> None:
    status = instance.variables.get("case_status")
    if status in CaseStatus.values:
        case.status = status
    case.version += 1


def decisions_to_timeline(case: Case, actor: User | None, label: str) -> None:
    """A timeline entry for each DMN decision of the case's process not shown yet."""
    shown = {
        e.data.get("decision_record") for e in case.events.filter(name=CaseEventName.DECISION_MADE)
    }
    for record in workflow_selectors.decisions_of(subject_of(case)):
        if record.pk in shown:
            continue
        CaseEvent.objects.create(
            case=case,
            name=CaseEventName.DECISION_MADE,
            actor=actor,
            actor_label=label,
            reason=f"决策表 {record.decision_id} Decision table",
            data={
                "decision_record": record.pk,
                "decision": record.decision_id,
                "step": record.spec_id,
                "inputs": record.inputs,
                "matched_rules": record.matched_rules,
                "outputs": record.outputs,
            },
            status_after=case.status,
            created_at=timezone.now(),
            ledger_sequence=record.ledger_sequence,
        )


class CaseProcessHandler:
    """The cases app's part when the engine advances a case process itself."""

    def lock(self, subject_id: str) -> None:
        Case.objects.select_for_update().filter(number=subject_id).first()

    def check_item(self, subject_id: str, item: TaskItem, actor: Any) -> None:
        if CASE_ACTIONS & set(item.actions):
            raise PermissionDenied(
                "case.use_case_service",
                "此环节会改变办件状态，请在办件页面办理",
                "This step changes the case; do it from the case page",
                details={"case": subject_id, "actions": item.actions},
            )

    def after_advance(
        self, subject_id: str, instance: ProcessInstance, *, actor: str, reason: str, cause: str
    ) -> None:
        case = Case.objects.filter(number=subject_id).first()
        if case is None:
            return
        label = f"系统 System ({actor})"
        decisions_to_timeline(case, None, label)
        before = case.status
        _follow(case, instance)
        if case.status == before:
            return
        case.save(update_fields=["status", "version"])
        log_system_event(
            case,
            actor=actor,
            name=CaseEventName.STATUS_CHANGED,
            reason=reason,
            data={
                "cause": cause,
                "from": before,
                "to": case.status,
                "at": timezone.now().isoformat(),
            },
        )


def log_system_event(
    case: Case, *, actor: str, name: str, reason: str, data: dict[str, Any]
) -> CaseEvent:
    """A timeline entry (and ledger entry) for a change the process made on its own."""
    return log_event(
        case,
        actor=None,
        ledger_actor=actor,
        actor_label=f"系统 System ({actor})",
        name=name,
        reason=reason,
        data=data,
    )
