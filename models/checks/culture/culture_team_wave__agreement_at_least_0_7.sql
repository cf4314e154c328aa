-- marts.culture_team_wave: every shown team-wave has within-team agreement rwg(j) of at least 0.70 (below: the mean may not describe the team)
-- severity: warn
select team, wave, instrument, n_respondents, rwg_j
from marts.culture_team_wave
where not suppressed and rwg_j < 0.7
