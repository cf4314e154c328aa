-- marts.behaviour_team_month: Behavioural proxies of psychological safety and learning per
--   team and calendar month (UTC): near misses reported, proactive vs reactive issues, who
--   raised the incidents, the postmortem rate of change-related incidents, and review
--   participation over the full roster. HEURISTICS, not measurements: each figure comes with
--   its numerator, its denominator and the rule that produced it, and is NULL with a reason
--   where it cannot be computed (no data is not zero). More reported near misses or issues can
--   mean more willingness to report, not more failure: never rank teams by low counts
--   (docs/metrics.md, "Behavioural proxies"). Every team has a row for every month between the
--   first and the last month holding any issue, review event or production deployment.
--   Records are classified in staging.int_issue_behaviour; reviews are summed in
--   staging.int_review_team_month.
-- grain: one row per (team, month_start)
-- materialized: table
-- columns:
--   team: team (meta.team_repos)
--   month_start: first day of the calendar month (UTC date); issues and incidents belong to
--     the month they were opened, review events to the month they happened, deployments to
--     the month they finished
--   roster_size: people on the team's roster in candor.yaml, whatever their accounts
--     (per-engineer denominator)
--   deployments: production deployments that finished in the month (marts.deployments)
--   near_misses: records classified near miss (near_miss_rule) opened in the month; NULL
--     when no part of the rule is configured
--   near_misses_by_label: of which a near-miss label matched
--   near_misses_by_title: of which the title pattern matched (and no label)
--   near_misses_by_priority_or_urgency: of which an incident tool's low priority or urgency
--     with no customer impact matched (no GitHub record has one)
--   customer_impacting_incidents: marts.incidents rows opened in the month that are no near
--     miss
--   near_misses_per_10_deployments: 10 * near_misses / deployments
--   per_deployment_null_reason: why near_misses_per_10_deployments is NULL; NULL when computed
--   near_misses_per_engineer: near_misses / roster_size
--   per_engineer_null_reason: why near_misses_per_engineer is NULL; NULL when computed
--   near_miss_ratio: near_misses / (near_misses + customer_impacting_incidents), 0 to 1;
--     higher = more reporting of what almost happened
--   near_miss_ratio_null_reason: why near_miss_ratio is NULL; NULL when computed
--   near_miss_rule: the near-miss rule that classified the records, in words
--   proactive_issues: issues with a proactive label opened in the month by a roster member and
--     not caused by an incident; NULL when no proactive label is configured
--   reactive_caused_by_incident: issues with a proactive label caused by an incident (naming
--     one, or opened within the window after one of the team's incidents was opened)
--   reactive_by_non_members: issues with a proactive label opened by an account not on the
--     roster (other teams, customers' proxies, bots)
--   reactive_records: customer_impacting_incidents + reactive_caused_by_incident +
--     reactive_by_non_members
--   proactive_share: proactive_issues / (proactive_issues + reactive_records), 0 to 1; higher
--     = more raised before something broke
--   proactive_share_null_reason: why proactive_share is NULL; NULL when computed
--   proactive_rule: the proactive/reactive rule, in words
--   monitoring_raised_incidents: customer-impacting incidents opened by a bot account, or
--     that an incident tool says monitoring raised
--   team_raised_incidents: customer-impacting incidents opened by a member of the team
--   externally_raised_incidents: customer-impacting incidents opened by a person not on the
--     roster
--   human_raised_share: (team_raised + externally_raised) / customer_impacting_incidents;
--     ambiguous alone (an engineer speaking up or a customer complaint): read it with the
--     split
--   monitoring_raised_share: monitoring_raised_incidents / customer_impacting_incidents
--   proactive_detection_share: (monitoring_raised + team_raised) /
--     customer_impacting_incidents; higher = found by the team before others had to say so
--   incident_raiser_null_reason: why the three incident shares are NULL; NULL when computed
--   incident_raiser_rule: how raisers are classified, in words
--   change_related_incidents: customer-impacting incidents of the month linked to a
--     production deployment (postmortem rate denominator)
--   change_related_incidents_with_postmortem: of which have a postmortem (numerator); NULL
--     when the postmortem rule is off or the data hold no postmortem record at all
--   postmortem_rate: change_related_incidents_with_postmortem / change_related_incidents
--   postmortem_null_reason: why postmortem_rate is NULL; NULL when computed
--   postmortem_rule: the postmortem rule, in words
--   review_events: reviews submitted + review comments by roster members on the team's
--     change requests in the month (bots and authors on their own change requests excluded)
--   review_events_by_non_members: such events by people not on the roster (not in the figures)
--   reviewers: roster members with at least one review event
--   reviewer_share: reviewers / roster_size
--   review_gini: Gini of review events over the full roster, sum |x_i - x_j| / (2 n^2 mean)
--     (silent members are zeros); 0 = equal, (n - 1) / n = one member does everything
--   review_gini_normalized: G* = review_gini * n / (n - 1), 0 to 1, comparable across sizes
--   review_equality: 1 - review_gini_normalized; higher = more equal voice (exploratory)
--   review_entropy_normalized: Shannon entropy of the members' shares divided by ln n, 0 to
--     1; 1 = equal
--   review_participation_null_reason: why the five review figures above are NULL (roster or
--     event count under the minimums); NULL when computed
--   review_comments: review comments by roster members (question share denominator)
--   review_question_comments: of which ask a question (review_question_regex)
--   review_question_share: review_question_comments / review_comments
--   review_question_null_reason: why review_question_share is NULL; NULL when computed
--   review_rule: the review participation rule, in words
with settings as (
    select * from staging.stg_meta_proxy_rules
),

teams as (
    select distinct team from meta.team_repos
),

roster_sizes as (
    select team, count(distinct member) as roster_size from staging.stg_roster group by team
),

records as (
    select *, cast(date_trunc('month', timezone('UTC', created_at)) as date) as month_start
    from staging.int_issue_behaviour
),

reviews as (
    select * from staging.int_review_team_month
),

deployments as (
    select team, cast(date_trunc('month', timezone('UTC', finished_at)) as date) as month_start
    from marts.deployments
),

bounds as (
    select min(month_start) as first_month, max(month_start) as last_month
    from (
        select month_start from records
        union all select month_start from reviews
        union all select month_start from deployments
    )
),

spine as (
    select teams.team, cast(unnest(generate_series(
        bounds.first_month, bounds.last_month, interval 1 month
    )) as date) as month_start
    from teams
    cross join bounds
),

deployment_counts as (
    select team, month_start, count(*) as deployments from deployments group by all
),

record_counts as (
    select
        team,
        month_start,
        -- near misses
        count(*) filter (where behaviour_class = 'near_miss') as near_misses,
        count(*) filter (where near_miss_matched_by = 'label') as near_misses_by_label,
        count(*) filter (where near_miss_matched_by = 'title') as near_misses_by_title,
        count(*) filter (where near_miss_matched_by in ('priority', 'urgency'))
            as near_misses_by_priority_or_urgency,
        -- incidents and who raised them
        count(*) filter (where behaviour_class = 'incident') as incidents,
        count(*) filter (where incident_raiser = 'monitoring') as monitoring_raised,
        count(*) filter (where incident_raiser = 'team') as team_raised,
        count(*) filter (where incident_raiser = 'external') as externally_raised,
        count(*) filter (where is_change_related) as change_related,
        count(*) filter (where has_postmortem) as with_postmortem,
        -- proactive vs reactive
        count(*) filter (where behaviour_class = 'proactive') as proactive,
        count(*) filter (where behaviour_class = 'reactive_caused_by_incident') as caused,
        count(*) filter (where behaviour_class = 'reactive_outsider') as by_non_members
    from records
    group by team, month_start
),

postmortem_data as (
    -- does any record anywhere carry a postmortem label? If none does, a rate of 0 would
    -- say "no learning" where the truth is "this source holds no postmortems"
    select count(*) filter (where behaviour_class = 'postmortem') > 0 as has_postmortem_records
    from records
),

counts as (
    select
        spine.team,
        spine.month_start,
        coalesce(roster_sizes.roster_size, 0) as roster_size,
        coalesce(deployment_counts.deployments, 0) as deployments,
        coalesce(record_counts.near_misses, 0) as near_misses,
        coalesce(record_counts.near_misses_by_label, 0) as near_misses_by_label,
        coalesce(record_counts.near_misses_by_title, 0) as near_misses_by_title,
        coalesce(record_counts.near_misses_by_priority_or_urgency, 0)
            as near_misses_by_priority_or_urgency,
        coalesce(record_counts.incidents, 0) as incidents,
        coalesce(record_counts.monitoring_raised, 0) as monitoring_raised,
        coalesce(record_counts.team_raised, 0) as team_raised,
        coalesce(record_counts.externally_raised, 0) as externally_raised,
        coalesce(record_counts.change_related, 0) as change_related,
        coalesce(record_counts.with_postmortem, 0) as with_postmortem,
        coalesce(record_counts.proactive, 0) as proactive,
        coalesce(record_counts.caused, 0) as caused,
        coalesce(record_counts.by_non_members, 0) as by_non_members,
        coalesce(reviews.review_events, 0) as review_events,
        coalesce(reviews.review_events_by_non_members, 0) as review_events_by_non_members,
        coalesce(reviews.reviewers, 0) as reviewers,
        coalesce(reviews.review_comments, 0) as review_comments,
        coalesce(reviews.review_question_comments, 0) as review_question_comments,
        coalesce(reviews.sum_abs_differences, 0) as sum_abs_differences,
        reviews.entropy_nats
    from spine
    left join roster_sizes using (team)
    left join deployment_counts using (team, month_start)
    left join record_counts using (team, month_start)
    left join reviews using (team, month_start)
),

reasons as (
    select
        counts.*,
        -- near misses
        case
            when not settings.near_miss_configured then 'near-miss rule not configured'
            when counts.deployments = 0 then 'no production deployments in the month'
        end as per_deployment_null_reason,
        case
            when not settings.near_miss_configured then 'near-miss rule not configured'
            when counts.roster_size = 0 then 'the team has no roster in candor.yaml'
        end as per_engineer_null_reason,
        case
            when not settings.near_miss_configured then 'near-miss rule not configured'
            when counts.near_misses + counts.incidents = 0
                then 'no near misses and no customer-impacting incidents in the month'
        end as near_miss_ratio_null_reason,
        -- proactive
        case
            when len(settings.proactive_labels) = 0
                then 'proactive rule not configured (no proactive labels)'
            when counts.proactive + counts.incidents + counts.caused + counts.by_non_members = 0
                then 'no proactive or reactive records in the month'
        end as proactive_share_null_reason,
        -- incident raisers
        case when counts.incidents = 0 then 'no customer-impacting incidents in the month' end
            as incident_raiser_null_reason,
        -- postmortems
        case
            when len(settings.postmortem_labels) = 0
                then 'postmortem rule off (no postmortem labels configured)'
            when not postmortem_data.has_postmortem_records
                then 'the source data hold no postmortem records (no issue carries a '
                    || 'postmortem label): the rate cannot be known'
            when counts.change_related = 0 then 'no change-related incidents in the month'
        end as postmortem_null_reason,
        -- reviews
        case
            when counts.roster_size < settings.review_min_roster
                then 'roster has fewer than ' || settings.review_min_roster || ' members'
            when counts.review_events < settings.review_min_events
                then 'fewer than ' || settings.review_min_events || ' review events in the month'
        end as review_participation_null_reason,
        settings.review_question_regex is null as question_rule_off
    from counts
    cross join settings
    cross join postmortem_data
),

final as (
    select
        -- identity
        reasons.team,
        reasons.month_start,
        reasons.roster_size,
        reasons.deployments,
        -- near misses
        case when settings.near_miss_configured then reasons.near_misses end as near_misses,
        case when settings.near_miss_configured then reasons.near_misses_by_label end
            as near_misses_by_label,
        case when settings.near_miss_configured then reasons.near_misses_by_title end
            as near_misses_by_title,
        case when settings.near_miss_configured then reasons.near_misses_by_priority_or_urgency
        end as near_misses_by_priority_or_urgency,
        reasons.incidents as customer_impacting_incidents,
        case when reasons.per_deployment_null_reason is null then
            10.0 * reasons.near_misses / reasons.deployments
        end as near_misses_per_10_deployments,
        reasons.per_deployment_null_reason,
        case when reasons.per_engineer_null_reason is null then
            reasons.near_misses / reasons.roster_size
        end as near_misses_per_engineer,
        reasons.per_engineer_null_reason,
        case when reasons.near_miss_ratio_null_reason is null then
            reasons.near_misses / (reasons.near_misses + reasons.incidents)
        end as near_miss_ratio,
        reasons.near_miss_ratio_null_reason,
        settings.near_miss_rule,
        -- proactive vs reactive
        case when len(settings.proactive_labels) > 0 then reasons.proactive end
            as proactive_issues,
        case when len(settings.proactive_labels) > 0 then reasons.caused end
            as reactive_caused_by_incident,
        case when len(settings.proactive_labels) > 0 then reasons.by_non_members end
            as reactive_by_non_members,
        case when len(settings.proactive_labels) > 0 then
            reasons.incidents + reasons.caused + reasons.by_non_members
        end as reactive_records,
        case when reasons.proactive_share_null_reason is null then
            reasons.proactive
                / (reasons.proactive + reasons.incidents + reasons.caused + reasons.by_non_members)
        end as proactive_share,
        reasons.proactive_share_null_reason,
        settings.proactive_rule,
        -- who raised the incidents
        reasons.monitoring_raised as monitoring_raised_incidents,
        reasons.team_raised as team_raised_incidents,
        reasons.externally_raised as externally_raised_incidents,
        case when reasons.incident_raiser_null_reason is null then
            (reasons.team_raised + reasons.externally_raised) / reasons.incidents
        end as human_raised_share,
        case when reasons.incident_raiser_null_reason is null then
            reasons.monitoring_raised / reasons.incidents
        end as monitoring_raised_share,
        case when reasons.incident_raiser_null_reason is null then
            (reasons.monitoring_raised + reasons.team_raised) / reasons.incidents
        end as proactive_detection_share,
        reasons.incident_raiser_null_reason,
        settings.incident_raiser_rule,
        -- postmortems
        reasons.change_related as change_related_incidents,
        case when len(settings.postmortem_labels) > 0
            and postmortem_data.has_postmortem_records then reasons.with_postmortem
        end as change_related_incidents_with_postmortem,
        case when reasons.postmortem_null_reason is null then
            reasons.with_postmortem / reasons.change_related
        end as postmortem_rate,
        reasons.postmortem_null_reason,
        settings.postmortem_rule,
        -- review participation over the full roster
        reasons.review_events,
        reasons.review_events_by_non_members,
        reasons.reviewers,
        case when reasons.review_participation_null_reason is null then
            reasons.reviewers / reasons.roster_size
        end as reviewer_share,
        case when reasons.review_participation_null_reason is null then
            reasons.sum_abs_differences
                / (2.0 * reasons.roster_size * reasons.roster_size
                    * (reasons.review_events / reasons.roster_size))
        end as review_gini,
        -- G* = G n / (n - 1) = sum / (2 (n - 1) total)
        case when reasons.review_participation_null_reason is null then
            reasons.sum_abs_differences / (2.0 * (reasons.roster_size - 1) * reasons.review_events)
        end as review_gini_normalized,
        case when reasons.review_participation_null_reason is null then
            1 - reasons.sum_abs_differences
                / (2.0 * (reasons.roster_size - 1) * reasons.review_events)
        end as review_equality,
        case when reasons.review_participation_null_reason is null then
            reasons.entropy_nats / ln(reasons.roster_size)
        end as review_entropy_normalized,
        reasons.review_participation_null_reason,
        reasons.review_comments,
        reasons.review_question_comments,
        case when reasons.review_participation_null_reason is null
            and not reasons.question_rule_off and reasons.review_comments > 0 then
            reasons.review_question_comments / reasons.review_comments
        end as review_question_share,
        coalesce(
            reasons.review_participation_null_reason,
            case when reasons.question_rule_off then 'question rule not configured' end,
            case when reasons.review_comments = 0 then 'no review comments in the month' end
        ) as review_question_null_reason,
        settings.review_rule
    from reasons
    cross join settings
    cross join postmortem_data
)

select * from final
