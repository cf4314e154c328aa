-- Per-team culture scores of the latest survey wave (for `candor demo`). Suppressed team-waves
-- (fewer respondents than the anonymity minimum) show no figures, only that they exist.
with latest as (
    select max(closes_on) as closes_on from marts.culture_team_wave
)

select
    culture.team,
    culture.wave,
    culture.instrument,
    culture.suppressed,
    culture.n_respondents,
    culture.mean,
    culture.rwg_j,
    culture.typology_band
from marts.culture_team_wave as culture
join latest using (closes_on)
order by culture.team, culture.instrument
