"""Asset checks written as SQL files in models/checks (one file per check).

A check file is named `<table>__<check>.sql` and holds one SELECT that returns the offending
rows; the check passes when it returns none. Its header names the asset and says what is
checked, in plain words, and may lower the severity to a warning:

    -- marts.deployments: every deployment id appears once
    -- severity: warn
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb

CHECKS_ROOT = Path(__file__).resolve().parents[2] / "models" / "checks"
SAMPLE_ROWS = 5
_HEADER = re.compile(r"^-- ([a-z_]+)\.([a-z_0-9]+): (.+)$")


@dataclass(frozen=True)
class SqlCheck:
    name: str
    table: str  # schema.table the check belongs to
    description: str
    severity: dg.AssetCheckSeverity
    sql: str


def _read_check(path: Path) -> SqlCheck:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    header = _HEADER.match(lines[0]) if lines else None
    if header is None or "__" not in path.stem:
        raise ValueError(
            f"{path}: a check file is named <table>__<check>.sql and starts with "
            "'-- schema.table: what is checked'"
        )
    severity = dg.AssetCheckSeverity.ERROR
    if any(line.strip() == "-- severity: warn" for line in lines[1:5]):
        severity = dg.AssetCheckSeverity.WARN
    schema, table, description = header.groups()
    return SqlCheck(
        name=path.stem.split("__", 1)[1],
        table=f"{schema}.{table}",
        description=description,
        severity=severity,
        sql=text.strip().removesuffix(";"),
    )


def all_checks(root: Path = CHECKS_ROOT) -> list[SqlCheck]:
    return [_read_check(path) for path in sorted(root.rglob("*.sql"))]


def checks_for(table: str) -> list[SqlCheck]:
    """The checks whose header names `table` ('schema.name')."""
    return [check for check in all_checks() if check.table == table]


def check_specs_for(table: str) -> list[dg.AssetCheckSpec]:
    """Check specs of the asset whose key mirrors `table` ('schema.name')."""
    return [
        dg.AssetCheckSpec(check.name, asset=table.split("."), description=check.description)
        for check in checks_for(table)
    ]


def evaluate(con: duckdb.DuckDBPyConnection, check: SqlCheck) -> tuple[int, str]:
    """Number of offending rows and a short sample of them."""
    relation = con.sql(check.sql)
    count = relation.aggregate("count(*)").fetchall()[0][0]
    sample = relation.limit(SAMPLE_ROWS).fetchall()
    return int(count), "\n".join(str(row) for row in sample)


def run_checks(con: duckdb.DuckDBPyConnection, table: str) -> Iterator[dg.AssetCheckResult]:
    """Evaluate every check of `table` ('schema.name') on the connection that just built it."""
    for check in checks_for(table):
        count, sample = evaluate(con, check)
        yield dg.AssetCheckResult(
            asset_key=table.split("."),
            check_name=check.name,
            passed=count == 0,
            severity=check.severity,
            metadata={
                "offending_rows": dg.MetadataValue.int(count),
                "sample": dg.MetadataValue.text(sample or "(none)"),
            },
        )
