"""Keeping the fitted culture-vs-delivery results when nothing they were fitted from changed.

The fits (the main models and the mediation bootstrap: about 15 s on the 30-team demo) ran on
every nightly run, also when the panel had not changed. They are deterministic: the bootstrap
draws from `analysis.seed`. So the results are kept when the fingerprint of what they were
fitted from equals the one recorded at the last fit (meta.model_builds, row
`analysis.model_results`): the panel's content (models/build_state.content_hash), the
`analysis:` settings, the source of every module of models/analysis (a change to the statistics
refits) and the versions of the numerical libraries. A full-refresh run refits.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path

import duckdb

from models.analysis.panel import PANEL_TABLE
from models.build_state import content_hash, last_build, record_build, relation_kind

RESULTS = "analysis.model_results"
TABLES = (("analysis", "model_results"), ("analysis", "mediation_results"))
CODE = Path(__file__).resolve().parent
LIBRARIES = ("numpy", "pandas", "scipy", "statsmodels", "duckdb")


def fit_fingerprint(con: duckdb.DuckDBPyConnection, settings) -> str:
    digest = hashlib.sha256()
    digest.update(content_hash(con, *PANEL_TABLE.split(".")).encode())
    digest.update(json.dumps(asdict(settings), sort_keys=True, default=str).encode())
    for source in sorted([*CODE.glob("*.py"), *CODE.glob("sql/*.sql")]):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    for library in LIBRARIES:  # an upgrade may move the last digits of a fit
        digest.update(f"{library}=={version(library)}".encode())
    return digest.hexdigest()


def unchanged_since_last_fit(con: duckdb.DuckDBPyConnection, fingerprint: str) -> bool:
    """True when the last recorded fit had this fingerprint and both result tables exist."""
    recorded = last_build(con, RESULTS)
    if recorded is None or recorded.inputs_fingerprint != fingerprint:
        return False
    return all(relation_kind(con, schema, name) == "table" for schema, name in TABLES)


def record_fit(con: duckdb.DuckDBPyConnection, fingerprint: str, rows: int) -> None:
    record_build(con, RESULTS, fingerprint, rows)
