# %% [markdown]
# # DORA metrics and culture scores per team
#
# A starting point for analysts, in the percent format (opens as a notebook in VS Code,
# JupyterLab with jupytext, or runs as a script). It reads the warehouse's published read-only
# copy, so it never blocks or is blocked by the nightly run, and says which file it read and
# how fresh it is. The plots are saved next to the warehouse (and shown inline in a notebook).
#
#     uv run python notebooks/dora_and_culture.py            # the demo's warehouse
#     make notebook                                          # the same, executed as a notebook
#     CANDOR_WAREHOUSE=/path/to/warehouse.duckdb uv run python notebooks/dora_and_culture.py
#     CANDOR_CONFIG=candor.yaml uv run python notebooks/dora_and_culture.py
#     CANDOR_READ_LIVE=1 uv run python notebooks/dora_and_culture.py   # the live file

# %%
import os
from pathlib import Path

import matplotlib.pyplot as plt

from pipelines.config import load_config
from warehouse.errors import WarehouseNotFoundError
from warehouse.reading import open_for_reading


def find_warehouse() -> Path:
    """The warehouse `candor sql` would read, from any working directory: CANDOR_WAREHOUSE,
    else `warehouse.path` of CANDOR_CONFIG's file, else of the demo's (config/demo.yaml).
    Paths in a config file are relative to its folder (docs/configuration.md)."""
    override = os.environ.get("CANDOR_WAREHOUSE")
    if override:
        return Path(override).expanduser().absolute()
    return Path(load_config().warehouse.path)


warehouse = find_warehouse()
# The published copy holds the marts, the analysis results and reference tables, never raw
# survey answers (docs/culture.md §5.4); it is written at the end of every run. The live file
# (CANDOR_READ_LIVE=1) holds everything, but only opens between a run's writes, and holds the
# run's next step back while it is open.
try:
    reading = open_for_reading(
        warehouse, live=os.environ.get("CANDOR_READ_LIVE") == "1", live_hint="CANDOR_READ_LIVE=1"
    )
except WarehouseNotFoundError as missing:
    raise SystemExit(str(missing)) from None
con = reading.con
print(reading.describe())


def team_colours(teams) -> dict[str, str]:
    """One colour per team, the same in every plot (matplotlib's default cycle, by name)."""
    cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    return {team: cycle[i % len(cycle)] for i, team in enumerate(sorted(teams))}


def save(figure, name: str) -> Path:
    """Write `figure` next to the warehouse as `<warehouse stem>.<name>.png`."""
    path = warehouse.with_name(f"{warehouse.stem}.{name}.png")
    figure.savefig(path, dpi=120, bbox_inches="tight")
    print(f"saved {path}")
    return path


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
colour = team_colours(monthly["team"].unique())

# %% [markdown]
# ### The trend per team
# Production deployments, median change lead time and change failure rate per month. The last
# month may still be running; a month without a shipped change has no lead time (a gap).

# %%
TREND = [
    ("deployments", "production deployments", "linear"),
    ("lead_time_median_hours", "lead time, median (hours)", "log"),
    ("change_failure_rate", "change failure rate", "linear"),
]
trend, axes = plt.subplots(len(TREND), 1, figsize=(9, 2.6 * len(TREND)), sharex=True)
for axis, (column, label, scale) in zip(axes, TREND, strict=True):
    for team, rows in monthly.groupby("team"):
        axis.plot(
            rows["month_start"],
            rows[column],
            marker="o",
            markersize=3,
            label=team,
            color=colour[team],
        )
    axis.set_ylabel(label)
    # A log axis needs a positive value to draw; a month of all-NULL lead times has none.
    if scale == "log" and (monthly[column] > 0).any():
        axis.set_yscale("log")
    axis.grid(alpha=0.3)
axes[0].legend(ncol=3, fontsize="small", loc="upper left")
axes[0].set_title("DORA metrics per team and month")
trend.autofmt_xdate()
save(trend, "dora_trend")

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
# Each shown team-wave's mean score against the team's delivery in the three calendar months
# after the wave closed; only complete quarters (all three months measured). A first look only:
# a handful of teams, no uncertainty, correlation is not causation.

# %%
joined = con.sql(
    """
    with culture as (
        select team, wave, instrument, closes_on, mean
        from marts.culture_team_wave
        where not suppressed
    ),
    delivery as (
        select team, month_start, deployments, failed_deployments, lead_time_median_hours
        from marts.dora_team_month
    )
    select
        culture.team,
        culture.wave,
        culture.instrument,
        culture.mean,
        sum(delivery.deployments) as deployments_next_quarter,
        sum(delivery.failed_deployments) / nullif(sum(delivery.deployments), 0)
            as change_failure_rate_next_quarter,
        median(delivery.lead_time_median_hours) as typical_monthly_lead_time_hours
    from culture
    join delivery
        on delivery.team = culture.team
        and delivery.month_start > culture.closes_on
        and delivery.month_start <= culture.closes_on + interval 3 month
    group by all
    having count(*) = 3
    order by culture.instrument, culture.wave, culture.team
    """
).df()
print(joined.to_string(index=False))

# %%
OUTCOMES = [
    ("deployments_next_quarter", "deployments, next quarter"),
    ("typical_monthly_lead_time_hours", "lead time, median month (h)"),
    ("change_failure_rate_next_quarter", "change failure rate, next quarter"),
]
instruments = sorted(culture["instrument"].unique()) or ["(no survey)"]
scatter, grid = plt.subplots(
    len(OUTCOMES),
    len(instruments),
    figsize=(4.2 * len(instruments), 3.2 * len(OUTCOMES)),
    squeeze=False,
)
for col, instrument in enumerate(instruments):
    rows = joined[joined["instrument"] == instrument]
    for row, (column, label) in enumerate(OUTCOMES):
        axis = grid[row][col]
        for team, points in rows.groupby("team"):
            axis.scatter(points["mean"], points[column], label=team, s=24, color=colour[team])
        axis.set_ylabel(label if col == 0 else "")
        axis.set_xlabel(f"{instrument} team mean" if row == len(OUTCOMES) - 1 else "")
        axis.grid(alpha=0.3)
    grid[0][col].set_title(f"{instrument} ({len(rows)} team-waves shown)")
    if len(rows):
        grid[0][col].legend(fontsize="x-small")
scatter.suptitle("Culture (shown team-waves) and the following quarter's delivery")
save(scatter, "culture_vs_delivery")
con.close()
