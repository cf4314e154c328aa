"""raw/survey_*: survey exports imported; marts/culture_*, analysis/reliability: their scores.

Survey answers are personal data: no names, e-mails or free text are read into the warehouse,
a respondent id is kept only as a salted hash, and a team-wave with fewer respondents than
`rules.anonymity_minimum` is suppressed in every table a leader reads.
"""

import datetime as dt

import dagster as dg

from models.culture import build_culture_tables
from pipelines.metrics.checks import check_specs_for, run_checks
from pipelines.shared.metadata import table_metadata
from pipelines.shared.resources import CandorResource
from pipelines.surveys.demo_exports import ensure_demo_exports
from pipelines.surveys.importing import import_surveys

SURVEY_TABLES = {
    "raw.survey_waves": "Imported survey exports: one row per wave and instrument.",
    "raw.survey_answers": "Survey answers keyed by an anonymous respondent key (no identities).",
    "meta.survey_items": "Items, scales and reverse flags of every survey instrument.",
}
CULTURE_TABLES = {
    "marts.culture_team_wave": "Culture score per team, wave and instrument, with agreement; "
    "suppressed below the anonymity minimum.",
    "marts.culture_org_wave": "Organization-level culture score from the shown teams only.",
    "analysis.reliability": "Reliability per instrument and wave: alpha, omega, ICC(1), ICC(2).",
}


@dg.multi_asset(
    name="survey_import",
    specs=[
        dg.AssetSpec(table.split("."), description=text, group_name="surveys", kinds={"duckdb"})
        for table, text in SURVEY_TABLES.items()
    ],
    pool="duckdb",
)
def survey_import(context: dg.AssetExecutionContext, candor: CandorResource):
    """Import every survey export named under `surveys.files` or dropped in
    `surveys.drop_folder`. Each file loads in its own transaction, all or nothing (every
    instrument of a combined export together); an unchanged file is skipped; a file with
    problems loads nothing and fails the step after the others are in, listing every problem."""
    config = candor.config
    for path in ensure_demo_exports(config):
        context.log.info(f"demo: dropped simulated export {path.name}")
    today = dt.datetime.now(dt.UTC).date()
    with candor.writer() as con:
        outcomes = import_surveys(con, config, today)
        for outcome in outcomes:
            context.log.info(f"survey {outcome.path.name}: {outcome.status}")
        rejected = [o for o in outcomes if o.status == "rejected"]
        for table in SURVEY_TABLES:
            metadata = table_metadata(con, table)
            metadata["files"] = dg.MetadataValue.int(len(outcomes))
            metadata["files_rejected"] = dg.MetadataValue.int(len(rejected))
            yield dg.MaterializeResult(asset_key=table.split("."), metadata=metadata)
    if rejected:
        problems = [p for outcome in rejected for p in outcome.problems]
        raise dg.Failure(
            f"{len(rejected)} survey file(s) were not imported; fix them and run again "
            "(`candor survey check FILE` shows the same list)",
            metadata={"problems": dg.MetadataValue.text("\n".join(problems[:200]))},
        )


@dg.multi_asset(
    name="culture_scores",
    specs=[
        dg.AssetSpec(
            table.split("."),
            description=text,
            group_name="culture",
            kinds={"duckdb"},
            deps=[dg.AssetKey(["raw", "survey_answers"]), dg.AssetKey(["meta", "survey_items"])],
        )
        for table, text in CULTURE_TABLES.items()
    ],
    check_specs=[spec for table in CULTURE_TABLES for spec in check_specs_for(table)],
    pool="duckdb",
)
def culture_scores(context: dg.AssetExecutionContext, candor: CandorResource):
    """Score every instrument and wave: person scores (reverse items, missing-item rule), team
    means with n, SD and rwg(j), Cronbach's alpha, McDonald's omega, ICC(1), ICC(2) and the
    typology band (a Candor convention); suppress team-waves below the anonymity minimum
    (docs/culture.md)."""
    config = candor.config
    surveys = config.surveys
    roster = {team.name: len(team.people) for team in config.teams}
    with candor.writer() as con:
        summary = build_culture_tables(
            con,
            anonymity_minimum=config.rules.anonymity_minimum,
            team_sizes={team: size for team, size in roster.items() if size},
            missing_rules=surveys.missing_items if surveys else None,
            bands=surveys.bands if surveys else None,
        )
        context.log.info(
            f"{summary.team_wave_rows} team-waves, {summary.suppressed_team_waves} suppressed"
        )
        for table in CULTURE_TABLES:
            metadata = table_metadata(con, table)
            metadata["suppressed_team_waves"] = dg.MetadataValue.int(summary.suppressed_team_waves)
            yield dg.MaterializeResult(asset_key=table.split("."), metadata=metadata)
        for table in CULTURE_TABLES:
            yield from run_checks(con, table)
