-- staging.int_review_team_month: Review activity on each team's change requests per calendar
--   month (UTC), over the team's full roster: every roster member is a value of the activity
--   vector, a silent member a zero. Activity = reviews submitted + review comments
--   (staging.stg_review_activity) on change requests of the team's repositories, summed per
--   person over the member's accounts in every source (staging.stg_roster); accounts that
--   match bot_login_regex and authors acting on their own change request are left out. Only
--   team-months with at least one such event are here; marts.behaviour_team_month fills the
--   others and turns these sums into the Gini and entropy figures.
-- grain: one row per (team, month_start) with review activity
-- materialized: table
-- columns:
--   team: team that owns the reviewed repositories (meta.team_repos)
--   month_start: first day of the calendar month of the events (UTC date)
--   roster_members: people on the team's roster (staging.stg_roster): n of the vector
--   review_events: events by roster members (sum of the vector)
--   review_events_by_non_members: events on the team's change requests by people not on its
--     roster (not part of the vector)
--   reviewers: roster members with at least one event
--   review_comments: review comments by roster members (question share denominator)
--   review_question_comments: of which match review_question_regex (numerator)
--   sum_abs_differences: sum over ordered pairs (i, j) of roster members of |x_i - x_j|, the
--     Gini numerator (G = sum / (2 n^2 mean))
--   entropy_nats: Shannon entropy -sum p_i ln p_i of the members' shares p_i = x_i / sum x
--     (0 ln 0 = 0); NULL without member events
with team_repos as (
    select team, source, repo from meta.team_repos
),

roster as (
    select * from staging.stg_roster
),

change_requests as (
    select * from staging.stg_change_requests
),

activity as (
    select * from staging.stg_review_activity
),

team_events as (
    select
        team_repos.team,
        cast(date_trunc('month', timezone('UTC', activity.occurred_at)) as date) as month_start,
        activity.source,
        activity.actor_login,
        activity.activity_kind,
        coalesce(
            regexp_matches(
                activity.body, getvariable('stg_meta_proxy_rules').review_question_regex
            ),
            false
        ) as is_question,
        roster.login is not null as by_member
    from activity
    join change_requests
        on change_requests.source = activity.source
        and change_requests.repo = activity.repo
        and change_requests.number = activity.change_number
    join team_repos on team_repos.source = activity.source and team_repos.repo = activity.repo
    left join roster
        on roster.team = team_repos.team
        and roster.source = activity.source
        and roster.login = activity.actor_login
    where activity.actor_login is not null
        -- reviewing one's own change request is not participation
        and activity.actor_login is distinct from change_requests.author_login
        and not coalesce(
            regexp_matches(
                activity.actor_login, getvariable('stg_meta_proxy_rules').bot_login_regex
            ),
            false
        )
),

active_months as (
    select distinct team, month_start from team_events
),

member_counts as (
    -- per person: the events of all their accounts
    select team_events.team, team_events.month_start, roster.member, count(*) as events,
        count(*) filter (where team_events.activity_kind = 'review_comment') as comments,
        count(*) filter (
            where team_events.activity_kind = 'review_comment' and team_events.is_question
        ) as questions
    from team_events
    join roster
        on roster.team = team_events.team
        and roster.source = team_events.source
        and roster.login = team_events.actor_login
    group by all
),

people as (
    select distinct team, member from roster
),

vector as (
    -- the full roster in every active month: a silent member is a zero
    select
        active_months.team,
        active_months.month_start,
        people.member,
        coalesce(member_counts.events, 0) as events,
        coalesce(member_counts.comments, 0) as comments,
        coalesce(member_counts.questions, 0) as questions
    from active_months
    join people on people.team = active_months.team
    left join member_counts
        on member_counts.team = active_months.team
        and member_counts.month_start = active_months.month_start
        and member_counts.member = people.member
),

month_totals as (
    select team, month_start, sum(events) as month_events from vector group by all
),

shares as (
    -- each member's share of the month's events; the total joined from a grouped sum, not a
    -- sum() window, which partitions and sorts the vector (4x the cost of the join at 10x)
    select vector.*, vector.events / nullif(month_totals.month_events, 0) as share
    from vector
    join month_totals
        on month_totals.team = vector.team
        and month_totals.month_start = vector.month_start
),

pairs as (
    select left_member.team, left_member.month_start,
        cast(sum(abs(left_member.events - right_member.events)) as bigint)
            as sum_abs_differences
    from vector as left_member
    join vector as right_member
        on right_member.team = left_member.team
        and right_member.month_start = left_member.month_start
    group by all
),

vector_summary as (
    select
        team,
        month_start,
        count(*) as roster_members,
        cast(sum(events) as bigint) as review_events,
        count(*) filter (where events > 0) as reviewers,
        cast(sum(comments) as bigint) as review_comments,
        cast(sum(questions) as bigint) as review_question_comments,
        -- summed in member order: a float sum in hash order differs in the last bit between
        -- runs, and re-runs must reproduce the table exactly
        -list_sum(list(share * ln(share) order by member) filter (where share > 0))
            as entropy_nats
    from shares
    group by team, month_start
),

outside as (
    select team, month_start, count(*) as review_events_by_non_members
    from team_events
    where not by_member
    group by team, month_start
),

final as (
    select
        active_months.team,
        active_months.month_start,
        coalesce(vector_summary.roster_members, 0) as roster_members,
        coalesce(vector_summary.review_events, 0) as review_events,
        coalesce(outside.review_events_by_non_members, 0) as review_events_by_non_members,
        coalesce(vector_summary.reviewers, 0) as reviewers,
        coalesce(vector_summary.review_comments, 0) as review_comments,
        coalesce(vector_summary.review_question_comments, 0) as review_question_comments,
        coalesce(pairs.sum_abs_differences, 0) as sum_abs_differences,
        vector_summary.entropy_nats
    from active_months
    left join vector_summary using (team, month_start)
    left join pairs using (team, month_start)
    left join outside using (team, month_start)
)

select * from final
