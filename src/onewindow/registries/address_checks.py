"""The registered-address check: a hosted address must be in the host directory with a
valid host signature and room left; an owned or leased one must match a housing record
whose use allows business."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.utils import timezone

from onewindow.registries import policies
from onewindow.registries.connectors.hosted_addresses import HostedAddressRecord
from onewindow.registries.connectors.housing import PropertyRecordData
from onewindow.registries.constants import Source
from onewindow.registries.exchange import QueryContext, query
from onewindow.registries.results import CheckResult, Issue

HOSTED = "hosted"
PREMISES_TYPES = ("owned", "leased", HOSTED)


def _issue(code: str, zh: str, en: str, rzh: str, ren: str, **details: Any) -> Issue:
    return Issue(code, zh, en, rzh, ren, details=details)


def check_address(
    *,
    address: str,
    premises_type: str,
    context: QueryContext,
    certificate_number: str = "",
    owner_names: tuple[str, ...] = (),
) -> CheckResult:
    """`premises_type` is "hosted" (cluster registration) or "owned"/"leased" (housing
    record `certificate_number`). `owner_names`, for owned premises: who must own it."""
    key = policies.normalise_address(address)
    if premises_type not in PREMISES_TYPES:
        issue = _issue(
            "address.bad_premises_type",
            "住所类型应为自有、租赁或托管",
            "The premises type must be owned, leased or hosted",
            "选择住所类型后重新提交",
            "Choose the premises type and submit again",
            premises_type=premises_type,
        )
        return CheckResult("address", (issue,))
    if premises_type == HOSTED:
        record = query(
            Source.HOSTED_ADDRESSES,
            "lookup_hosted_address",
            context=context,
            subject=f"address:{key[:180]}",
            call=lambda c: c.lookup(key),
        )
        return CheckResult("address", tuple(hosted_issues(record, key)), {"address_key": key})
    if not certificate_number.strip():
        issue = _issue(
            "address.certificate_required",
            "自有或租赁住所须提供不动产权证号",
            "Owned or leased premises need the property certificate number",
            "填写住所的不动产权证号",
            "Give the property certificate number of the premises",
        )
        return CheckResult("address", (issue,), {"address_key": key})
    record = query(
        Source.HOUSING,
        "lookup_property",
        context=context,
        subject=f"property:{certificate_number.strip()[:60]}",
        call=lambda c: c.lookup(certificate_number.strip()),
    )
    issues = property_issues(record, key, premises_type, owner_names)
    return CheckResult("address", tuple(issues), {"address_key": key})


def _signature_valid(record: HostedAddressRecord, key: str) -> bool:
    try:
        public_key = Ed25519PublicKey.from_public_bytes(base64.b64decode(record.host_public_key))
        message = policies.hosted_address_message(
            host_uscc=record.host_uscc,
            address_key=key,
            valid_until=date.fromisoformat(record.valid_until),
        )
        public_key.verify(base64.b64decode(record.signature), message)
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def hosted_issues(record: HostedAddressRecord | None, key: str) -> list[Issue]:
    if record is None:
        return [
            _issue(
                "address.not_in_hosted_directory",
                "该地址不在托管住所名录中",
                "The address is not in the hosted-address directory",
                "选择名录中的托管地址，或改用自有、租赁住所",
                "Pick an address from the directory, or use owned or leased premises",
            )
        ]
    host = {"host": record.host_name, "host_uscc": record.host_uscc}
    if not record.host_active:
        return [
            _issue(
                "address.host_inactive",
                f"托管企业“{record.host_name}”已停止托管",
                f"The host {record.host_name} no longer hosts addresses",
                "选择其他托管企业的地址",
                "Pick an address of another host",
                **host,
            )
        ]
    if not _signature_valid(record, key):
        return [
            _issue(
                "address.host_signature_invalid",
                "托管企业对该地址的电子签名无效",
                "The host's electronic signature of this address does not verify",
                "请托管企业重新确认该地址，或选择其他地址",
                "Ask the host to confirm the address again, or pick another",
                **host,
            )
        ]
    issues = []
    if date.fromisoformat(record.valid_until) < timezone.localdate():
        issues.append(
            _issue(
                "address.hosting_expired",
                f"托管地址有效期已于{record.valid_until}届满",
                f"The hosting of this address ended on {record.valid_until}",
                "请托管企业续期确认，或选择其他地址",
                "Ask the host to renew the confirmation, or pick another address",
                **host,
            )
        )
    if record.occupied >= record.capacity:
        issues.append(
            _issue(
                "address.hosted_capacity_full",
                "该托管地址可登记的主体数已满",
                "No room left for another entity at this hosted address",
                "选择同一托管企业的其他地址",
                "Pick another address of the same host",
                capacity=record.capacity,
                **host,
            )
        )
    return issues


def property_issues(
    record: PropertyRecordData | None, key: str, premises_type: str, owner_names: tuple[str, ...]
) -> list[Issue]:
    if record is None:
        return [
            _issue(
                "address.property_not_found",
                "房屋产权数据中没有该不动产权证号",
                "The housing records have no such property certificate",
                "核对不动产权证号；新建房屋可提交购房合同等使用证明",
                "Check the certificate number; for new buildings submit proof of use",
            )
        ]
    issues = []
    if policies.normalise_address(record.address) != key:
        issues.append(
            _issue(
                "address.property_address_mismatch",
                f"住所与产权登记的坐落不一致（登记为：{record.address}）",
                f"The address differs from the property record ({record.address})",
                "按不动产权证上的坐落填写住所",
                "Write the address as on the property certificate",
                recorded_address=record.address,
            )
        )
    if record.use not in policies.BUSINESS_USES:
        issues.append(
            _issue(
                "address.residential_use",
                "该房屋规划用途为住宅，不能直接登记为住所",
                "The property is residential and cannot simply be registered as premises",
                "改用商业、办公用房或托管地址；住宅用作经营场所须按当地规定办理",
                "Use commercial or office premises, or a hosted address",
                use=record.use,
            )
        )
    if premises_type == "owned" and owner_names and record.owner_name not in owner_names:
        issues.append(
            _issue(
                "address.owner_mismatch",
                "自有住所的产权人与申请人不一致",
                "The owner of the property is not the applicant",
                "如为租赁，请选择“租赁”并提交租赁合同",
                "If the premises are rented, choose leased and submit the lease",
            )
        )
    return issues
