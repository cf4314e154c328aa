-- staging.stg_meta_proxy_rules: The behavioural-proxy rules from meta.settings (written from
--   candor.yaml: rules.near_miss, rules.proactive, rules.postmortem,
--   rules.review_participation, rules.bot_login_regex), typed, as exactly one row, with a
--   readable text of each rule that marts.behaviour_team_month writes beside its figures. A
--   missing setting is NULL and switches that part of the rule off; a rule with every part off
--   makes its figures NULL with a reason, never zero.
-- grain: exactly one row
-- materialized: view
-- columns:
--   near_miss_labels: lowercase labels that make an issue or incident a near miss (setting
--     near_miss_labels, a JSON list)
--   near_miss_title_regex: RE2 pattern on a title that makes the record a near miss (setting
--     near_miss_title_regex); NULL: off
--   near_miss_priorities: lowercase incident-tool priority names that make an incident with no
--     customer impact a near miss (setting near_miss_priorities)
--   near_miss_urgencies: lowercase incident-tool urgencies that make an incident with no
--     customer impact a near miss (setting near_miss_urgencies)
--   near_miss_configured: true when at least one part of the near-miss rule is on
--   near_miss_rule: the near-miss rule in words, as applied
--   proactive_labels: lowercase labels of issues that can be proactive (setting
--     proactive_labels)
--   proactive_incident_window_hours: an issue opened this many hours or less after one of the
--     team's incidents was opened counts as caused by it (setting
--     proactive_incident_window_hours); 0 or NULL: only explicit references count
--   proactive_rule: the proactive/reactive rule in words, as applied
--   postmortem_labels: lowercase labels that mark a postmortem issue, or an incident that had
--     one (setting postmortem_labels); empty or NULL: postmortem rate off
--   postmortem_rule: the postmortem rule in words, as applied
--   bot_login_regex: RE2 pattern on an account name that marks a bot (setting
--     bot_login_regex); NULL: no account counts as a bot
--   incident_raiser_rule: how an incident's raiser is classified, in words
--   review_question_regex: RE2 pattern on a review comment's text that makes it a question
--     (setting review_question_regex)
--   review_min_roster: fewest roster members for the review participation figures (setting
--     review_min_roster, default 3)
--   review_min_events: fewest review events of the roster in the month for the review
--     participation figures (setting review_min_events, default 10)
--   review_rule: the review participation rule in words, as applied
with source as (
    select name, value from meta.settings
),

pivoted as (
    -- an aggregate without GROUP BY returns one row even when meta.settings is empty
    select
        max(value) filter (where name = 'near_miss_labels') as near_miss_labels,
        max(value) filter (where name = 'near_miss_title_regex') as near_miss_title_regex,
        max(value) filter (where name = 'near_miss_priorities') as near_miss_priorities,
        max(value) filter (where name = 'near_miss_urgencies') as near_miss_urgencies,
        max(value) filter (where name = 'proactive_labels') as proactive_labels,
        max(value) filter (where name = 'proactive_incident_window_hours')
            as proactive_incident_window_hours,
        max(value) filter (where name = 'postmortem_labels') as postmortem_labels,
        max(value) filter (where name = 'bot_login_regex') as bot_login_regex,
        max(value) filter (where name = 'review_question_regex') as review_question_regex,
        max(value) filter (where name = 'review_min_roster') as review_min_roster,
        max(value) filter (where name = 'review_min_events') as review_min_events
    from source
),

typed as (
    select
        -- near miss
        coalesce(list_transform(
            cast(cast(near_miss_labels as json) as varchar[]), lambda l: lower(l)
        ), []) as near_miss_labels,
        near_miss_title_regex,
        coalesce(list_transform(
            cast(cast(near_miss_priorities as json) as varchar[]), lambda l: lower(l)
        ), []) as near_miss_priorities,
        coalesce(list_transform(
            cast(cast(near_miss_urgencies as json) as varchar[]), lambda l: lower(l)
        ), []) as near_miss_urgencies,
        -- proactive
        coalesce(list_transform(
            cast(cast(proactive_labels as json) as varchar[]), lambda l: lower(l)
        ), []) as proactive_labels,
        coalesce(cast(proactive_incident_window_hours as double), 0)
            as proactive_incident_window_hours,
        -- postmortem
        coalesce(list_transform(
            cast(cast(postmortem_labels as json) as varchar[]), lambda l: lower(l)
        ), []) as postmortem_labels,
        -- bots and reviews
        bot_login_regex,
        review_question_regex,
        coalesce(cast(review_min_roster as integer), 3) as review_min_roster,
        coalesce(cast(review_min_events as integer), 10) as review_min_events
    from pivoted
),

described as (
    select
        typed.*,
        len(near_miss_labels) > 0 or near_miss_title_regex is not null
            or len(near_miss_priorities) > 0 or len(near_miss_urgencies) > 0
            as near_miss_configured,
        'near miss v1: label in [' || array_to_string(near_miss_labels, ', ') || ']'
            || coalesce(' or title ~ ' || near_miss_title_regex, '')
            || ' or (priority in [' || array_to_string(near_miss_priorities, ', ')
            || '] or urgency in [' || array_to_string(near_miss_urgencies, ', ')
            || '] with no customer impact)' as near_miss_rule,
        'proactive v1: label in [' || array_to_string(proactive_labels, ', ')
            || '], opened by a roster member, not an incident or near miss, not naming an '
            || 'incident (#N) and not opened within ' || proactive_incident_window_hours
            || ' h after an incident of the team was opened; reactive: incidents, issues '
            || 'caused by one, and labelled issues opened by non-members' as proactive_rule,
        'postmortem v1: change-related incident (linked to a deployment) labelled ['
            || array_to_string(postmortem_labels, ', ') || '] or named (#N) by an issue so '
            || 'labelled opened after it' as postmortem_rule,
        'raiser v1: bot when the author matches ' || coalesce(bot_login_regex, '(no pattern)')
            || ', team-raised when on the roster, else externally raised'
            as incident_raiser_rule,
        'review v1: reviews submitted + review comments on the team''s pull requests by roster '
            || 'members (silent members 0), bots (' || coalesce(bot_login_regex, 'no pattern')
            || ') and authors on their own pull request excluded; question ~ '
            || coalesce(review_question_regex, '(off)') || '; NULL below '
            || review_min_roster || ' members or ' || review_min_events || ' events'
            as review_rule
    from typed
)

select
    -- near miss
    near_miss_labels,
    near_miss_title_regex,
    near_miss_priorities,
    near_miss_urgencies,
    near_miss_configured,
    near_miss_rule,
    -- proactive
    proactive_labels,
    proactive_incident_window_hours,
    proactive_rule,
    -- postmortem
    postmortem_labels,
    postmortem_rule,
    -- raisers and reviews
    bot_login_regex,
    incident_raiser_rule,
    review_question_regex,
    review_min_roster,
    review_min_events,
    review_rule
from described
