-- marts.culture_team_wave: team-waves suppressed for having fewer respondents than the anonymity minimum (reported, not a failure)
-- severity: warn
select team, wave, instrument, suppression_reason
from marts.culture_team_wave
where suppressed
