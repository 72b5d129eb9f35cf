"""The checks a registration makes against shared data — each a function returning a
`CheckResult` whose issues carry a stable reason code, a message and a remedy.

Every check queries its source through the connector seam and is recorded in the
data-exchange log with the caller's `QueryContext`. These are what the reform 3 pack calls
as service tasks (docs/reference/registries.md):

- `check_name(name=…)`                      name structure, words, conflicts
- `check_business_scope(entries=…)`         standard wording; permits needed
- `check_address(address=…, premises_type=…, certificate_number=…)`  hosted or housing
- `check_restrictions(resident_ids=…, usccs=…)`  blacklist, dishonest debtors, restricted
- `check_credit(identifier=…)`              credit grade
- `verify_identity(name=…, resident_id=…, photo=…)`  identity + photo match
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from onewindow.registries import policies
from onewindow.registries.address_checks import check_address
from onewindow.registries.constants import ScopeKind, Source
from onewindow.registries.exchange import QueryContext, query
from onewindow.registries.names import rules
from onewindow.registries.names.parse import parse_name
from onewindow.registries.names.rules import Existing
from onewindow.registries.names.vocabulary import get_vocabulary
from onewindow.registries.person_checks import check_credit, check_restrictions, verify_identity
from onewindow.registries.results import WARNING, CheckResult, Issue

__all__ = [
    "QueryContext",
    "check_address",
    "check_business_scope",
    "check_credit",
    "check_name",
    "check_restrictions",
    "verify_identity",
]


def check_name(*, name: str, context: QueryContext, fresh: bool = False) -> CheckResult:
    """Structure (region + trade name + industry + form), prohibited and restricted words,
    and conflicts with names in use; every conflict names the existing name."""
    vocab = get_vocabulary()
    parsed = parse_name(name, vocab)
    issues = rules.structure_issues(parsed, vocab) + rules.word_issues(parsed.name, vocab)
    candidates = query(
        Source.ENTERPRISE_NAMES,
        "check_name",
        context=context,
        subject=f"name:{parsed.name}",
        call=lambda c: c.candidates(parsed) if not fresh else _fresh(c, parsed),
    )
    for candidate in candidates:
        existing = Existing(
            candidate.name,
            candidate.trade_name,
            candidate.region_key,
            candidate.industry_key,
            candidate.record_id,
        )
        code = rules.conflict(parsed, existing)
        if code is not None:
            issues.append(rules.conflict_issue(code, parsed, existing, candidate.status))
    return CheckResult("name", tuple(issues), _parsed_data(parsed))


def _fresh(connector: Any, parsed: Any) -> Any:
    from onewindow.registries.names import lookup

    lookup.get_index(fresh=True)
    return connector.candidates(parsed)


def _parsed_data(parsed: Any) -> dict[str, Any]:
    return {
        "name": parsed.name,
        "region_word": parsed.region_word,
        "region_key": parsed.region_key,
        "trade_name": parsed.trade_name,
        "industry_wording": parsed.industry_wording,
        "industry_key": parsed.industry_key,
        "organisational_form": parsed.organisational_form,
    }


def check_business_scope(*, entries: str | Sequence[str], context: QueryContext) -> CheckResult:
    """Each entry must be a standard wording; licensed entries list the permit needed and
    the approving department (the business may start those activities only with it)."""
    wordings = policies.split_scope(entries)
    if not wordings:
        issue = Issue(
            "scope.empty",
            "未填写经营范围",
            "No business scope was given",
            "从经营范围规范表述目录中选择至少一项",
            "Choose at least one entry of the standard wording catalogue",
        )
        return CheckResult("business_scope", (issue,))

    def lookup_all(connector: Any) -> list[tuple[str, Any, list[Any]]]:
        out = []
        for wording in wordings:
            record = connector.lookup(wording)
            out.append((wording, record, [] if record else connector.suggest(wording)))
        return out

    answers = query(
        Source.BUSINESS_SCOPE,
        "check_scope",
        context=context,
        subject=f"scope:{'；'.join(wordings)[:180]}",
        call=lookup_all,
        found=lambda rows: all(r[1] for r in rows),
    )
    return _scope_result(answers)


def _scope_result(answers: Iterable[tuple[str, Any, list[Any]]]) -> CheckResult:
    issues, general, permits = [], [], []
    for wording, record, suggestions in answers:
        if record is None:
            names = [s.wording for s in suggestions]
            hint = "、".join(f"“{n}”" for n in names) or "目录中的规范表述"
            issues.append(
                Issue(
                    "scope.unknown_wording",
                    f"“{wording}”不是经营范围规范表述",
                    f"{wording} is not a standard business-scope wording",
                    f"请改用规范表述，例如：{hint}",
                    f"Use a standard wording instead, e.g. {', '.join(names) or '(see catalogue)'}",
                    details={"wording": wording, "suggestions": names},
                )
            )
        elif record.kind == ScopeKind.LICENSED:
            permit = {
                "wording": record.wording,
                "code": record.code,
                "permit_name": record.permit_name,
                "approving_department": record.approving_department,
                "department_code": record.department_code,
            }
            permits.append(permit)
            issues.append(
                Issue(
                    "scope.permit_required",
                    f"“{record.wording}”为许可项目，须取得{record.permit_name}后方可经营",
                    f"{record.wording} is licensed: {record.permit_name} is needed before trading",
                    f"营业执照核发后向{record.approving_department}申请{record.permit_name}",
                    f"After registration apply to {record.approving_department} for the permit",
                    severity=WARNING,
                    details=permit,
                )
            )
        else:
            general.append(record.wording)
    return CheckResult("business_scope", tuple(issues), {"general": general, "permits": permits})
