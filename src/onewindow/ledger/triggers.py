"""Database triggers that make the ledger tables append-only (SQLite and PostgreSQL).

Installed by migration 0002. Row-level UPDATE and DELETE are refused; on PostgreSQL
TRUNCATE is not (it needs table ownership, which the application role should not have in
production, and Django's test flush uses it). Anyone able to drop a trigger can still edit
rows: that is what the Merkle tree, signed checkpoints and `ledger verify` are for.
"""

from __future__ import annotations

from typing import Any

APPEND_ONLY = (
    "ledger_ledgerentry",
    "ledger_treenode",
    "ledger_checkpoint",
    "ledger_checkpointcosignature",
    "ledger_ledgercosignature",
)
_WITNESS_CHANGED = (
    "NEW.name <> OLD.name OR NEW.public_key <> OLD.public_key OR "
    "NEW.department_code <> OLD.department_code OR NEW.key_id <> OLD.key_id OR "
    "NEW.last_cosigned_size < OLD.last_cosigned_size"
)


def _sqlite_install() -> list[str]:
    sql = []
    for table in APPEND_ONLY:
        for op in ("UPDATE", "DELETE"):
            sql.append(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END;"
            )
    sql += [
        "CREATE TRIGGER IF NOT EXISTS ledger_ledgerhead_grow_only BEFORE UPDATE ON "
        "ledger_ledgerhead WHEN NEW.size < OLD.size OR NEW.id <> OLD.id BEGIN "
        "SELECT RAISE(ABORT, 'ledger_ledgerhead may only grow'); END;",
        "CREATE TRIGGER IF NOT EXISTS ledger_witness_no_delete BEFORE DELETE ON ledger_witness "
        "BEGIN SELECT RAISE(ABORT, 'ledger_witness rows may not be deleted'); END;",
        "CREATE TRIGGER IF NOT EXISTS ledger_witness_identity BEFORE UPDATE ON ledger_witness "
        f"WHEN {_WITNESS_CHANGED} BEGIN "
        "SELECT RAISE(ABORT, 'ledger_witness identity, key and co-signed size are fixed'); END;",
    ]
    return sql


def _sqlite_uninstall() -> list[str]:
    names = [f"{t}_no_{op}" for t in APPEND_ONLY for op in ("update", "delete")]
    names += ["ledger_ledgerhead_grow_only", "ledger_witness_no_delete", "ledger_witness_identity"]
    return [f"DROP TRIGGER IF EXISTS {name};" for name in names]


_PG_FUNCTIONS = [
    """CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = '23000';
END $$;""",
    """CREATE OR REPLACE FUNCTION ledger_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.size < OLD.size OR NEW.id <> OLD.id THEN
    RAISE EXCEPTION 'ledger_ledgerhead may only grow' USING ERRCODE = '23000';
  END IF;
  RETURN NEW;
END $$;""",
    f"""CREATE OR REPLACE FUNCTION ledger_witness_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'ledger_witness rows may not be deleted' USING ERRCODE = '23000';
  END IF;
  IF {_WITNESS_CHANGED} THEN
    RAISE EXCEPTION 'ledger_witness identity, key and co-signed size are fixed'
      USING ERRCODE = '23000';
  END IF;
  RETURN NEW;
END $$;""",
]


def _pg_install() -> list[str]:
    sql = list(_PG_FUNCTIONS)
    for table in APPEND_ONLY:
        sql.append(
            f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();"
        )
    sql += [
        "CREATE OR REPLACE TRIGGER ledger_ledgerhead_grow_only BEFORE UPDATE ON "
        "ledger_ledgerhead FOR EACH ROW EXECUTE FUNCTION ledger_head_guard();",
        "CREATE OR REPLACE TRIGGER ledger_witness_guard BEFORE UPDATE OR DELETE ON "
        "ledger_witness FOR EACH ROW EXECUTE FUNCTION ledger_witness_guard();",
    ]
    return sql


def _pg_uninstall() -> list[str]:
    sql = [f"DROP TRIGGER IF EXISTS {t}_append_only ON {t};" for t in APPEND_ONLY]
    sql += [
        "DROP TRIGGER IF EXISTS ledger_ledgerhead_grow_only ON ledger_ledgerhead;",
        "DROP TRIGGER IF EXISTS ledger_witness_guard ON ledger_witness;",
    ]
    return sql


def statements(vendor: str, *, install: bool = True) -> list[str]:
    if vendor == "sqlite":
        return _sqlite_install() if install else _sqlite_uninstall()
    if vendor == "postgresql":
        return _pg_install() if install else _pg_uninstall()
    raise NotImplementedError(f"no ledger triggers for database vendor {vendor!r}")


def install(connection: Any) -> None:
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor):
            cursor.execute(sql)


def uninstall(connection: Any) -> None:
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor, install=False):
            cursor.execute(sql)
