# %% [markdown]
# # DORA metrics and culture scores per team
#
# A starting point for analysts, in the percent format (opens as a notebook in VS Code,
# JupyterLab with jupytext, or runs as a script). It reads the warehouse's published read-only
# copy, so it never blocks or is blocked by the nightly run.
#
#     uv run python notebooks/dora_and_culture.py            # the demo's warehouse
#     CANDOR_WAREHOUSE=/path/to/warehouse.duckdb uv run python notebooks/dora_and_culture.py

# %%
import os
from pathlib import Path

import duckdb

warehouse = Path(os.environ.get("CANDOR_WAREHOUSE", ".candor/demo/warehouse.duckdb"))
# The published copy holds the marts, the analysis results and reference tables, never raw
# survey answers (docs/culture.md §5.4); it is written at the end of every run.
snapshot = warehouse.with_name(f"{warehouse.stem}.readonly.duckdb")
if not snapshot.exists():
    raise SystemExit(f"no published copy at {snapshot}: run `make demo` or `candor run` first")
con = duckdb.connect(str(snapshot), read_only=True)

# %% [markdown]
# ## Delivery per team and month
# Raw numbers first; tiers always carry their DORA report year (docs/metrics.md).

# %%
monthly = con.sql(
    """
    select team, month_start, deployments, lead_time_median_hours, change_failure_rate,
        recovery_median_hours, rework_rate, tier_report_year, lead_time_tier
    from marts.dora_team_month
    order by team, month_start
    """
).df()
print(monthly.tail(12).to_string(index=False))

# %% [markdown]
# ## Culture per team and wave
# Team-waves below the anonymity minimum are suppressed: their figures are NULL.

# %%
culture = con.sql(
    """
    select team, wave, instrument, suppressed, n_respondents, mean, rwg_j, typology_band
    from marts.culture_team_wave
    order by wave, instrument, team
    """
).df()
print(culture.to_string(index=False))

# %% [markdown]
# ## Culture next to the following quarter's delivery
# A first look only: a handful of teams, no uncertainty, correlation is not causation.

# %%
joined = con.sql(
    """
    with safety as (
        select team, closes_on, mean as psychological_safety
        from marts.culture_team_wave
        where instrument = 'psysafe' and not suppressed
    ),
    delivery as (
        select team, month_start, deployments, failed_deployments, lead_time_median_hours
        from marts.dora_team_month
    )
    select
        safety.team,
        safety.closes_on,
        safety.psychological_safety,
        sum(delivery.deployments) as deployments_next_quarter,
        sum(delivery.failed_deployments) / nullif(sum(delivery.deployments), 0)
            as change_failure_rate_next_quarter,
        median(delivery.lead_time_median_hours) as typical_monthly_lead_time_hours
    from safety
    join delivery
        on delivery.team = safety.team
        and delivery.month_start > safety.closes_on
        and delivery.month_start <= safety.closes_on + interval 3 month
    group by all
    order by safety.closes_on, safety.team
    """
).df()
print(joined.to_string(index=False))
con.close()
