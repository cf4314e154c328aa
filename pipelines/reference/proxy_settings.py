"""The behavioural-proxy rules of candor.yaml as meta.settings rows (name -> text).

staging.stg_meta_proxy_rules reads them back, typed; marts.behaviour_team_month applies them.
A rule switched off in candor.yaml (`rules.near_miss.title_regex: null`) writes no row, and the
model reads the missing row as "this part of the rule is off".
"""

from __future__ import annotations

import json

from pipelines.config.schema import Rules


def proxy_settings(rules: Rules) -> dict[str, str]:
    """meta.settings rows for rules.near_miss, proactive, postmortem, review_participation and
    bot_login_regex (lists as JSON arrays, numbers as text)."""
    near_miss, proactive = rules.near_miss, rules.proactive
    review = rules.review_participation
    settings = {
        "near_miss_labels": json.dumps(near_miss.labels),
        "near_miss_priorities": json.dumps(near_miss.priorities),
        "near_miss_urgencies": json.dumps(near_miss.urgencies),
        "proactive_labels": json.dumps(proactive.labels),
        "proactive_incident_window_hours": str(proactive.incident_window_hours),
        "postmortem_labels": json.dumps(rules.postmortem.labels),
        "review_question_regex": review.question_regex,
        "review_min_roster": str(review.min_roster),
        "review_min_events": str(review.min_events),
        "bot_login_regex": rules.bot_login_regex,
    }
    if near_miss.title_regex is not None:
        settings["near_miss_title_regex"] = near_miss.title_regex
    return settings
