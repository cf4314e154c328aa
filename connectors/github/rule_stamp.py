"""The deployment rule a repository's deployments cursor was built under.

Which deployments get a change set is decided while syncing (the environment rule, the deploy
workflow rule, the release tag rule), and an incremental sync only looks at what is new. So a
cursor built under one rule cannot be continued under another: a `prod-eu` deployment synced
while the rule said `^production$` was never given a change set, and the next run, reading
only newer deployments, would never give it one, while SQL (which applies the current rule to
every stored deployment) already counts it. Every deployments cursor therefore carries the
rule it was built under (key `rule` in its JSON, beside the cursor's own keys), and a cursor
whose rule differs from the current one is dropped: that repository's deployments are read
again from the start, as a full refresh would, and the log says so. A cursor without the key
(written before the rule was recorded) is continued and stamped.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace

from connectors.github.records import Cursor
from connectors.github.signals import RepoSignal

RULE_KEY = "rule"

log = logging.getLogger(__name__)


def rule_fingerprint(signal: RepoSignal) -> str:
    """The parts of the signal that decide which deployments get change sets, as text."""
    if signal.signal == "environment":
        parts = {"signal": "environment", "production_environment": signal.production_environment}
    elif signal.signal == "workflow":
        parts = {"signal": "workflow", "workflow_regex": signal.workflow_regex,
                 "branch": signal.branch}
    else:
        parts = {"signal": signal.signal, "tag_regex": signal.tag_regex}
    return json.dumps(parts, sort_keys=True)


def _stored_rule(cursor: Cursor) -> str | None:
    try:
        data = json.loads(cursor.cursor) if cursor.cursor else None
    except ValueError:
        return None  # the cursor's own reader names what is wrong with it
    return data.get(RULE_KEY) if isinstance(data, dict) else None


def continued_cursor(previous: Cursor | None, rule: str, repo: str) -> Cursor | None:
    """`previous` if it was built under `rule` (or predates rule stamps); None otherwise."""
    if previous is None:
        return None
    stored = _stored_rule(previous)
    if stored is None or stored == rule:
        return previous
    log.warning(
        "github %s: the deployment rule changed since the last sync (was %s, now %s): "
        "reading the repository's deployments again from the start, so every deployment the "
        "new rule counts gets its change set", repo, stored, rule,
    )
    return None


def stamped(cursor: Cursor, rule: str) -> Cursor:
    """`cursor` with `rule` recorded in its JSON (the cursor readers ignore the key)."""
    data = json.loads(cursor.cursor) if cursor.cursor else {}
    data[RULE_KEY] = rule
    return replace(cursor, cursor=json.dumps(data, sort_keys=True))
