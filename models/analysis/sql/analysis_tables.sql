-- analysis.model_results and analysis.mediation_results: recreated together by every build
-- (models/analysis/writing.py), inside one transaction.
create schema if not exists analysis;

create or replace table analysis.model_results (
    model_id varchar not null,
    outcome varchar not null,
    predictor varchar not null,
    term varchar not null,
    estimand varchar not null,
    "window" varchar not null,
    window_days integer not null,
    estimate double,
    std_error double,
    degrees_of_freedom double,
    ci_low double,
    ci_high double,
    p_value double,
    p_adjusted double,
    adjustment varchar,
    hypothesis varchar not null,
    effect_scale varchar not null,
    ratio double,
    ratio_ci_low double,
    ratio_ci_high double,
    n_teams integer not null,
    n_observations integer not null,
    dropped_suppressed integer not null,
    dropped_not_surveyed integer not null,
    dropped_coverage integer not null,
    dropped_outcome integer not null,
    predictor_mean double,
    predictor_sd double,
    min_detectable_r double,
    method varchar not null,
    warnings varchar[] not null,
    sentence varchar not null,
    primary key (model_id, term)
);
comment on table analysis.model_results is 'Culture vs delivery: one row per model term. For each predictor (psysafe = psychological safety, westrum), window (lagged, concurrent) and DORA outcome, the effect of one standard deviation of the team-wave culture score, between teams and within teams (or pooled with one wave per team), with team-clustered small-sample inference, adjusted p-values and a plain-words sentence. Associations in observational data, not causal effects. Method: docs/analysis.md.';
comment on column analysis.model_results.model_id is 'window:predictor:outcome; with term, the row key.';
comment on column analysis.model_results.outcome is 'lead_time, deployment_frequency, change_failure_rate, recovery_time or rework_rate.';
comment on column analysis.model_results.predictor is 'Culture score used: psysafe (Edmondson team psychological safety) or westrum (Westrum organizational culture), standardized over the shown team-waves of the window.';
comment on column analysis.model_results.term is 'x_between (team mean of the standardized score), x_within (wave deviation from the team mean) or x (pooled, when no team has two waves).';
comment on column analysis.model_results.estimand is 'between: do teams with higher scores deliver differently; within: does a team deliver differently in waves when its score is above its own average; pooled: one wave per team, between only.';
comment on column analysis.model_results."window" is 'lagged (delivery in the window_days after the wave closed; confirmatory) or concurrent (the window_days before; exploratory).';
comment on column analysis.model_results.window_days is 'Window length in days (analysis.window_days in candor.yaml).';
comment on column analysis.model_results.estimate is 'Coefficient on the model scale (effect_scale) per standard deviation of the score.';
comment on column analysis.model_results.std_error is 'Team-clustered CR2 (bias-reduced linearization) standard error; for the GLMs, of their working regression at convergence.';
comment on column analysis.model_results.degrees_of_freedom is 'Bell-McCaffrey (Satterthwaite) degrees of freedom of the CR2 variance of this term under a working model with a team random intercept (its size is in method), at most n_teams - 1: how many teams the term effectively rests on. The interval and p_value use Student t with them.';
comment on column analysis.model_results.ci_low is 'Lower end of the 95% confidence interval of estimate, Student t with degrees_of_freedom.';
comment on column analysis.model_results.ci_high is 'Upper end of the 95% confidence interval of estimate.';
comment on column analysis.model_results.p_value is 'Two-sided p-value of estimate = 0, Student t with degrees_of_freedom, before adjustment.';
comment on column analysis.model_results.p_adjusted is 'p-value adjusted for multiple testing (see adjustment); NULL when p_value is.';
comment on column analysis.model_results.adjustment is 'holm: across the five outcomes of this predictor, estimand and lagged window (confirmatory); fdr_bh (exploratory): Benjamini-Hochberg over every exploratory row.';
comment on column analysis.model_results.hypothesis is 'confirmatory (a primary predictor, lagged window, declared in candor.yaml before the results) or exploratory.';
comment on column analysis.model_results.effect_scale is 'Scale of estimate: log hours (lead and recovery time medians), log rate (deployments per day) or log odds (failure, rework).';
comment on column analysis.model_results.ratio is 'exp(estimate): ratio of median times, of deployment rates, or odds ratio, per score SD.';
comment on column analysis.model_results.ratio_ci_low is 'exp(ci_low).';
comment on column analysis.model_results.ratio_ci_high is 'exp(ci_high).';
comment on column analysis.model_results.n_teams is 'Teams in the model (clusters).';
comment on column analysis.model_results.n_observations is 'Team-waves in the model.';
comment on column analysis.model_results.dropped_suppressed is 'Team-waves left out because their culture figures are suppressed for anonymity.';
comment on column analysis.model_results.dropped_not_surveyed is 'Team-waves left out because the team has no score for this predictor in the wave.';
comment on column analysis.model_results.dropped_coverage is 'Team-waves left out because the window held less than analysis.min_window_coverage of its days of data.';
comment on column analysis.model_results.dropped_outcome is 'Team-waves left out because the outcome had too few values (fewer than 3 changes or failures, or no deployments).';
comment on column analysis.model_results.predictor_mean is 'Mean raw score (1-7) of the team-waves the predictor was standardized over.';
comment on column analysis.model_results.predictor_sd is 'Standard deviation of those raw scores: one unit of estimate.';
comment on column analysis.model_results.min_detectable_r is 'Smallest correlation this many units detect with 80% power at alpha 0.05 by this row''s t-test, with its degrees_of_freedom (noncentral t): what a non-significant result could have found.';
comment on column analysis.model_results.method is 'Model and standard-error method in words.';
comment on column analysis.model_results.warnings is 'Caveats: few teams, team-waves dropped (with counts), non-convergence.';
comment on column analysis.model_results.sentence is 'The result in plain words with its interval, adjusted p, team count and the association caveat.';

create or replace table analysis.mediation_results (
    model_id varchar primary key,
    predictor varchar not null,
    mediator varchar not null,
    outcome varchar not null,
    "window" varchar not null,
    window_days integer not null,
    a_estimate double,
    b_estimate double,
    indirect_estimate double,
    indirect_ci_low double,
    indirect_ci_high double,
    direct_estimate double,
    direct_ci_low double,
    direct_ci_high double,
    effect_scale varchar not null,
    replicates integer not null,
    failed_refits integer not null,
    failed_share double not null,
    n_teams integer not null,
    n_observations integer not null,
    method varchar not null,
    warnings varchar[] not null,
    sentence varchar not null
);
comment on table analysis.mediation_results is 'Psychological safety -> learning behaviour -> delivery: for each behavioural proxy (mediator) and DORA outcome in the lagged window, the indirect effect a*b with an expanded percentile interval (Hesterberg 2015) from a bootstrap that resamples whole teams. Consistent with mediation at most: observational data. Method: docs/analysis.md.';
comment on column analysis.mediation_results.model_id is 'lag:predictor:mediator:outcome.';
comment on column analysis.mediation_results.predictor is 'psysafe (team psychological safety), standardized over the team-waves of the model.';
comment on column analysis.mediation_results.mediator is 'Behavioural proxy, standardized: near_miss_reporting (near misses per engineer and 30 days), proactive_share (proactive / (proactive + reactive) issues) or review_equality (1 - normalized Gini of review activity over the roster).';
comment on column analysis.mediation_results.outcome is 'lead_time, deployment_frequency, change_failure_rate, recovery_time or rework_rate.';
comment on column analysis.mediation_results."window" is 'Always lagged: predictor at the wave, mediator and outcome in the window after it.';
comment on column analysis.mediation_results.window_days is 'Window length in days.';
comment on column analysis.mediation_results.a_estimate is 'a-path: change of the standardized mediator per predictor SD (OLS with team size and wave controls).';
comment on column analysis.mediation_results.b_estimate is 'b-path: change of the outcome on its model scale per mediator SD, holding the predictor fixed.';
comment on column analysis.mediation_results.indirect_estimate is 'a_estimate * b_estimate: the part of the predictor''s association that runs through the mediator, on the outcome''s model scale per predictor SD.';
comment on column analysis.mediation_results.indirect_ci_low is 'Lower end of the 95% bias-corrected expanded percentile interval of the bootstrap a*b (docs/analysis.md §3): the expanded level alpha'' = Phi(sqrt(G/(G-1))*t(df, 0.025)), G = n_teams, df the smaller Bell-McCaffrey degrees of freedom of a and b (in method), read as the 100*Phi(2*z0 + Phi^-1(alpha''))th percentile, z0 = Phi^-1(share of replicates below the estimate): wider than the 2.5th because a bootstrap of few teams is too narrow, shifted because a product''s bootstrap is skewed.';
comment on column analysis.mediation_results.indirect_ci_high is 'Upper end of the same interval: the 100*Phi(2*z0 + Phi^-1(1 - alpha''))th percentile of the bootstrap a*b.';
comment on column analysis.mediation_results.direct_estimate is 'c'': the predictor''s coefficient in the b-path (the association not through this mediator).';
comment on column analysis.mediation_results.direct_ci_low is 'Lower end of the 95% expanded percentile interval of the bootstrap direct effect: its 100*alpha''th percentile, alpha'' as for the indirect effect (not bias-corrected: a single coefficient''s bootstrap is not skewed as a product''s is).';
comment on column analysis.mediation_results.direct_ci_high is 'Upper end of the 95% expanded percentile interval of the bootstrap direct effect (its 100*(1 - alpha'')th percentile).';
comment on column analysis.mediation_results.effect_scale is 'Scale of b, indirect and direct: log hours, log rate or log odds per SD.';
comment on column analysis.mediation_results.replicates is 'Bootstrap replicates drawn (analysis.bootstrap_replicates).';
comment on column analysis.mediation_results.failed_refits is 'Replicates whose refit failed (singular or non-converged) and were left out.';
comment on column analysis.mediation_results.failed_share is 'failed_refits / replicates.';
comment on column analysis.mediation_results.n_teams is 'Teams in the model.';
comment on column analysis.mediation_results.n_observations is 'Team-waves in the model.';
comment on column analysis.mediation_results.method is 'Paths and bootstrap in words, with the seed.';
comment on column analysis.mediation_results.warnings is 'Caveats: pooled within/between, dropped team-waves, few teams, failed refits.';
comment on column analysis.mediation_results.sentence is 'The path in plain words.';
