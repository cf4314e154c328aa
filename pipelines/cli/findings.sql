-- The confirmatory culture-vs-delivery results `candor demo` prints (analysis.model_results).
select predictor, outcome, estimand, ratio, ratio_ci_low, ratio_ci_high, p_adjusted, n_teams,
       n_observations, min_detectable_r, sentence, warnings
from analysis.model_results
where hypothesis = 'confirmatory'
order by predictor = 'psysafe' desc, predictor, outcome, estimand
