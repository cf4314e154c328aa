"""Schema migrations: `warehouse/migrations/NNN_name.sql`, applied in order, each exactly once.

Each migration runs in its own transaction together with its row in meta.schema_migrations, so
a failed migration leaves the file at the previous version. A file migrated by a newer Candor
(a version this code does not know) is refused rather than written with an older schema in mind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import duckdb

from warehouse.errors import MigrationError
from warehouse.queries import query
from warehouse.transaction import transaction

_MIGRATION_FILE = re.compile(r"^(?P<version>\d{3})_(?P<name>[a-z0-9_]+)\.sql$")


@dataclass(frozen=True, order=True)
class Migration:
    """One migration file: its number, its name (file name without number and suffix), its SQL."""

    version: int
    name: str
    sql: str


def known_migrations() -> list[Migration]:
    """The migrations shipped with this code, in version order."""
    folder = files("warehouse") / "migrations"
    migrations: dict[int, Migration] = {}
    for entry in folder.iterdir():
        if not entry.name.endswith(".sql"):
            continue
        match = _MIGRATION_FILE.match(entry.name)
        if match is None:
            raise MigrationError(
                f"warehouse/migrations/{entry.name} is not named NNN_name.sql (three digits, "
                "lower-case name): rename it so it is applied in a defined order."
            )
        version = int(match["version"])
        if version in migrations:
            raise MigrationError(
                f"warehouse/migrations/ has two migrations numbered {version:03d}: "
                f"{migrations[version].name} and {match['name']}; renumber one of them."
            )
        migrations[version] = Migration(version, match["name"], entry.read_text(encoding="utf-8"))
    return sorted(migrations.values())


def apply_migrations(con: duckdb.DuckDBPyConnection, path: Path | str = "") -> list[Migration]:
    """Apply the migrations `con`'s database lacks; returns those applied (empty if up to date).

    `path` only names the file in error messages.
    """
    where = path or "the warehouse"
    if not con.execute(query("migrations.sql", "migrations_table_exists")).fetchone()[0]:
        with transaction(con):
            con.execute(query("migrations.sql", "create_migrations_table"))
    applied = dict(con.execute(query("migrations.sql", "applied_migrations")).fetchall())
    known = known_migrations()
    _check_compatible(applied, known, where)
    pending = [m for m in known if m.version not in applied]
    for migration in pending:
        try:
            with transaction(con):
                con.execute(migration.sql)
                con.execute(
                    query("migrations.sql", "record_migration"),
                    {"version": migration.version, "name": migration.name},
                )
        except duckdb.Error as exc:
            raise MigrationError(
                f"Migration warehouse/migrations/{migration.version:03d}_{migration.name}.sql "
                f"failed on {where} and was rolled back: {exc}. Fix the migration's SQL."
            ) from exc
    return pending


def _check_compatible(applied: dict[int, str], known: list[Migration], where: object) -> None:
    newest_known = known[-1].version if known else 0
    newer = sorted(v for v in applied if v > newest_known)
    if newer:
        raise MigrationError(
            f"{where} is at schema version {max(newer):03d} ({applied[max(newer)]}), newer than "
            f"this Candor knows ({newest_known:03d}): upgrade Candor, or point CANDOR_WAREHOUSE "
            "at another file."
        )
    names = {m.version: m.name for m in known}
    for version, name in applied.items():
        if names.get(version) != name:
            raise MigrationError(
                f"{where} has migration {version:03d} applied as {name!r} but this code's "
                f"{version:03d} is {names.get(version)!r}: the file was built by a different "
                "branch of Candor; rebuild it (`candor run --full-refresh` into a new file)."
            )
