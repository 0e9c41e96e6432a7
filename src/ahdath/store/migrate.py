"""Schema migrations (Alembic): named revisions, each in its own transaction.

``upgrade`` brings a database to the newest revision this ahdath knows; the
store calls it itself when it opens a database that is behind, so the first
command on a new database needs no separate step. A database *ahead* of this
ahdath (made by a newer version) is refused rather than misread.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ahdath.errors import SchemaError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config(connection: Any) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return str(ScriptDirectory(str(MIGRATIONS)).get_current_head())


def current_revision(engine: Any) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}


def upgrade(engine: Any, revision: str = "head") -> tuple[str | None, str]:
    """Migrate to ``revision``; returns (revision before, revision after)."""
    from alembic import command

    before = current_revision(engine)
    if before is not None and before not in known_revisions():
        raise SchemaError(f"database schema {before!r} is newer than this ahdath knows; upgrade ahdath")
    if before == head_revision() and revision == "head":
        return before, before
    try:
        with engine.connect() as conn:
            command.upgrade(_config(conn), revision)
            conn.commit()
    except SchemaError:
        raise
    except Exception as exc:  # noqa: BLE001 - a failed migration is rolled back; say which
        raise SchemaError(f"migration failed: {type(exc).__name__}: {exc}".splitlines()[0]) from None
    return before, current_revision(engine) or ""


def ensure_current(engine: Any) -> bool:
    """Apply pending migrations; True when any were applied."""
    before, after = upgrade(engine)
    return before != after
