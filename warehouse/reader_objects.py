"""The reader boundary: which warehouse objects a leader or a notebook may see (DESIGN §5).

The published copy holds these and nothing else. Every table of the reader schemas (the marts
and the analysis results, all team-level or coarser) and a few documented reference tables:
the rules behind every number, the survey items' texts and the sync status. Never `raw.*`
(survey answers keyed by respondent, API payloads), `staging.*` (per-record intermediates) or
`meta.team_members` (who is on which team: with a team's respondent count it narrows who
answered). A new schema or meta table stays out until it is added here on purpose.
"""

from __future__ import annotations

# Every table of these schemas is published.
READER_SCHEMAS = ("marts", "analysis")

# Reference tables published beside them, with why a reader needs each.
REFERENCE_TABLES = {
    "meta.settings": "the metric rules (patterns, windows, benchmark year) behind every number",
    "meta.team_repos": "which repository belongs to which team, and its production rule",
    "meta.survey_items": "the items, scales and reverse flags of every survey instrument",
    "meta.sync_state": "when each repository and resource last synced",
}


def is_reader_object(schema: str, table: str) -> bool:
    """True when `schema.table` belongs in the published copy."""
    return schema in READER_SCHEMAS or f"{schema}.{table}" in REFERENCE_TABLES
