"""Ledger tables. Entries, tree nodes, checkpoints and cosignatures are append-only.

UPDATE and DELETE on them are refused by database triggers (migration 0002,
`onewindow.ledger.triggers`); the head row may only grow; a witness may not be deleted,
change its identity or key, or move its last co-signed size backwards.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LedgerHead(models.Model):
    """The single row that serialises appends (locked FOR UPDATE) and holds the frontier."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(_("树大小 / tree size"), default=0)
    frontier = models.BinaryField(_("右缘完全子树 / frontier hashes"), default=b"")

    class Meta:
        verbose_name = _("账本头 / ledger head")

    def __str__(self) -> str:
        return f"ledger head @ {self.size}"


class LedgerEntry(models.Model):
    """One leaf of the log (存证记录): who did what to which subject, and why."""

    sequence = models.BigIntegerField(_("序号 / sequence"), primary_key=True)
    recorded_at = models.DateTimeField(_("记录时间 / recorded at"))
    actor = models.CharField(_("操作者 / actor"), max_length=200)
    event = models.CharField(_("事件 / event"), max_length=100)
    subject = models.CharField(_("对象 / subject"), max_length=200)
    reason = models.TextField(_("理由 / reason"))
    payload_digest = models.CharField(_("载荷摘要 / payload digest"), max_length=64)
    state_digest = models.CharField(_("状态摘要 / state digest"), max_length=64, blank=True)
    state_fields = models.JSONField(_("字段摘要 / field digests"), default=dict, blank=True)
    request_id = models.CharField(_("请求号 / request id"), max_length=64, blank=True)
    leaf_hash = models.BinaryField(_("叶哈希 / leaf hash"), max_length=32)

    class Meta:
        verbose_name = _("存证记录 / ledger entry")
        verbose_name_plural = _("存证记录 / ledger entries")
        ordering = ("sequence",)
        indexes = (models.Index(fields=("subject", "sequence"), name="ledger_entry_subject"),)

    def __str__(self) -> str:
        return f"#{self.sequence} {self.event} {self.subject}"


class TreeNode(models.Model):
    """Hash of a complete (perfect) subtree at level >= 1; level 0 is the entry's leaf hash."""

    position = models.BigIntegerField(primary_key=True)  # level << 48 | index
    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    hash = models.BinaryField(max_length=32)

    class Meta:
        verbose_name = _("树节点 / tree node")

    def __str__(self) -> str:
        return f"node level={self.level} index={self.index}"


class Witness(models.Model):
    """A department key that co-signs checkpoints and steps (共识签名方)."""

    department_code = models.CharField(_("部门代码 / department code"), max_length=64)
    name = models.CharField(_("密钥名 / key name"), max_length=200, unique=True)
    display_name = models.CharField(_("名称 / display name"), max_length=200)
    public_key = models.BinaryField(_("公钥 / public key"), max_length=32)
    key_id = models.CharField(_("密钥号 / key id (0x04)"), max_length=8)
    is_active = models.BooleanField(_("启用 / active"), default=True)
    last_cosigned_size = models.BigIntegerField(
        _("最近共签树大小 / last co-signed size"), default=0
    )
    last_cosigned_root = models.BinaryField(_("最近共签根 / last co-signed root"), default=b"")
    created_at = models.DateTimeField(_("登记时间 / registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("共签部门 / witness")
        indexes = (models.Index(fields=("department_code",), name="ledger_witness_department"),)

    def __str__(self) -> str:
        return f"{self.department_code} {self.name}"


class Checkpoint(models.Model):
    """A signed tree head (检查点) in C2SP tlog-checkpoint form."""

    tree_size = models.BigIntegerField(_("树大小 / tree size"), unique=True)
    root_hash = models.BinaryField(_("根哈希 / root hash"), max_length=32)
    origin = models.CharField(_("日志标识 / origin"), max_length=200)
    text = models.TextField(_("检查点正文 / checkpoint text"))
    signature_line = models.TextField(_("平台签名行 / platform signature line"))
    issued_at = models.DateTimeField(_("签发时间 / issued at"))

    class Meta:
        verbose_name = _("检查点 / checkpoint")
        ordering = ("-tree_size",)

    def __str__(self) -> str:
        return f"{self.origin} @ {self.tree_size}"


class CheckpointCosignature(models.Model):
    """A department's tlog-cosignature/v1 over a checkpoint (共识签名)."""

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.PROTECT, related_name="cosignatures"
    )
    witness = models.ForeignKey(Witness, on_delete=models.PROTECT, related_name="+")
    timestamp = models.BigIntegerField(_("签名时间 / POSIX time"))
    signature_line = models.TextField(_("签名行 / signature line"))

    class Meta:
        verbose_name = _("检查点共签 / checkpoint cosignature")
        constraints = (
            models.UniqueConstraint(fields=("checkpoint", "witness"), name="ledger_cp_cosig_once"),
        )

    def __str__(self) -> str:
        return f"cosignature of checkpoint {self.checkpoint_id} by witness {self.witness_id}"


class LedgerCosignature(models.Model):
    """A department's co-signature over one entry's leaf hash (each step co-signed)."""

    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="cosignatures")
    witness = models.ForeignKey(Witness, on_delete=models.PROTECT, related_name="+")
    timestamp = models.BigIntegerField(_("签名时间 / POSIX time"))
    signature = models.BinaryField(_("签名 / signature"), max_length=64)

    class Meta:
        verbose_name = _("步骤共签 / step cosignature")
        constraints = (
            models.UniqueConstraint(fields=("entry", "witness"), name="ledger_step_cosig_once"),
        )

    def __str__(self) -> str:
        return f"cosignature of entry {self.entry_id} by witness {self.witness_id}"
