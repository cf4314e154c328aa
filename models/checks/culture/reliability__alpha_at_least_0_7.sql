-- analysis.reliability: every instrument-wave has Cronbach's alpha of at least 0.70 (below: read its scores with care)
-- severity: warn
select instrument, wave, n_complete, alpha, omega
from analysis.reliability
where not suppressed and alpha < 0.7
