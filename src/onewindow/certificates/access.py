"""Who may read or manage a certificate, for the API and the pages (rules in `policies`).

Readers: the holder's account (owner of the applicant), staff of the issuing department,
supervisors and administrators. Managers (suspend, reinstate, revoke): approvers and
supervisors of the issuing department, administrators. A certificate the user may not read
is reported as not found, so numbers cannot be probed.
"""

from __future__ import annotations

from onewindow.accounts.models import User
from onewindow.certificates import policies, selectors
from onewindow.certificates.models import Certificate
from onewindow.core.errors import NotFound, PermissionDenied, ValidationFailed


def _assignments(user: User) -> list[tuple[str, str | None]]:
    return list(user.assignments.values_list("role", "department__code"))


def _not_found(number: str) -> NotFound:
    return NotFound(
        "certificates.not_found", f"没有证照 {number[:40]}", f"no certificate {number[:40]}"
    )


def may_read(user: User, certificate: Certificate) -> bool:
    applicant = certificate.applicant
    if applicant is not None and applicant.owner_id == user.pk:
        return True
    department = certificate.issuing_department.code
    for role, code in _assignments(user):
        if role in {"supervisor", "administrator"} or code == department:
            return True
    return False


def certificate_for_reader(user: User, number: str, *, printable: bool = False) -> Certificate:
    certificate = selectors.certificate_by_number(number)
    if certificate is None or not may_read(user, certificate):
        raise _not_found(number)
    if printable and not certificate.payload:
        raise ValidationFailed(
            "certificates.print_the_licence",
            "该许可载于营业执照，请打印营业执照",
            "this permit is carried on a licence; print the licence",
            details={"licence": certificate.licence.number if certificate.licence else None},
        )
    return certificate


def certificate_for_manager(user: User, number: str) -> Certificate:
    certificate = certificate_for_reader(user, number)
    if not policies.may_manage(_assignments(user), certificate.issuing_department.code):
        raise PermissionDenied(
            "certificates.not_allowed",
            "只有发证部门的审批或督查人员可以变更证照状态",
            "only approvers or supervisors of the issuing department may change this certificate",
        )
    return certificate
