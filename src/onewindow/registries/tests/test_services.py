"""Registering an entity and reserving a name: codes issued, the name re-checked on the
write path, conflicts refused with nothing written, every step in the ledger."""

from __future__ import annotations

import pytest

from onewindow.core.errors import Conflict
from onewindow.ledger.models import LedgerEntry
from onewindow.registries import services
from onewindow.registries.checks import check_name
from onewindow.registries.models import EnterpriseName, IssuedUscc, MarketEntity

pytestmark = pytest.mark.django_db


def register(name: str) -> MarketEntity:
    return services.register_entity(
        name=name,
        entity_type="1",
        registered_address="湖北省武汉市洪山区珞南街道珞喻路129号",
        legal_representative="演示申请人",
        legal_representative_id="420106199001010028",
        industry_code="6560",
        authority_division="420111",
        actor="system:r03",
        reason="无人审批核准",
    )


def test_register_issues_a_code_and_records_the_name(context):
    entity = register("武汉云帆信息技术有限公司")
    assert entity.uscc.startswith("91420111MA") and entity.origin == "issued"
    assert IssuedUscc.objects.get().entity_id == entity.pk
    name = EnterpriseName.objects.get()
    assert (name.status, name.entity_id, name.trade_pinyin) == (
        "registered",
        entity.uscc,
        "yun fan",
    )
    assert check_name(name="武汉芸帆信息技术有限公司", context=context, fresh=True).codes == [
        "name.homophone_trade_name"
    ]
    entry = LedgerEntry.objects.get(event="market_entity_registered")
    assert entry.subject == f"market_entity:{entity.uscc}" and entry.state_digest


def test_a_conflicting_name_is_refused_and_nothing_is_written():
    register("武汉云帆信息技术有限公司")
    with pytest.raises(Conflict) as refused:
        register("武汉云帆软件有限公司")
    assert refused.value.details == {
        "code": "name.same_trade_name",
        "existing_name": "武汉云帆信息技术有限公司",
    }
    assert MarketEntity.objects.count() == 1 and IssuedUscc.objects.count() == 1


def test_a_reserved_name_becomes_the_registered_name_and_blocks_others():
    reserved = services.reserve_name(
        name="武汉远帆科技有限公司", actor="user:7", reason="名称自主申报"
    )
    with pytest.raises(Conflict):
        services.reserve_name(name="武汉远帆科技有限公司", actor="user:8", reason="名称自主申报")
    entity = register("武汉远帆科技有限公司")
    reserved.refresh_from_db()
    assert (reserved.status, reserved.entity_id, reserved.reserved_until) == (
        "registered",
        entity.uscc,
        None,
    )
    assert EnterpriseName.objects.count() == 1


def test_a_malformed_name_is_refused():
    from onewindow.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        register("武汉博彩信息技术")
    assert refused.value.details == {"issues": ["name.form_missing", "name.prohibited_word"]}
    assert not MarketEntity.objects.exists() and not IssuedUscc.objects.exists()
