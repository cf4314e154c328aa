"""Which production deployments failed, and which were rework, by the documented rules.

Rollback, revert and hotfix are read from the deployments and their change sets; incidents
(issues with an incident label) are linked to deployments explicitly (sha or `#N` in the title
or body), else through their fix (a revert, then a rollback, that ran while they were open),
else by the bounded time window; the method links the release in each production environment
of the repository. The generator's truth fields are never read here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from oracle_chains import ProductionDeployment, repo_teams
from oracle_rules import OracleRules

from simulator.model import Issue, Org

HEX_TOKEN = re.compile(r"(?<![0-9A-Za-z])([0-9a-fA-F]{7,40})(?![0-9A-Za-z])")
# `#12` (a PR of the issue's repo) or `acme/api#12`
PR_REFERENCE = re.compile(r"(?:(?<![\w./-])([\w.-]+/[\w.-]+)|(?<![\w&]))#(\d+)\b")


@dataclass
class LinkedIncident:
    """An incident issue and the deployment it was linked to (`method` None: unlinked), the
    latest of `released`: the deployments it failed, one per production environment."""

    repo: str
    team: str
    number: int
    created_at: datetime
    closed_at: datetime | None
    method: str | None = None
    deployment: ProductionDeployment | None = None
    released: list[ProductionDeployment] = field(default_factory=list)


def mark_deployment_failures(org: Org, rules: OracleRules,
                             deployments: list[ProductionDeployment]) -> None:
    """Apply the rollback, revert and hotfix rules to `deployments` (in finish order)."""
    merged = {(r.full_name, p.merge_commit_sha): p for r in org.repos.values()
              for p in r.pulls if p.merged_at is not None and p.merge_commit_sha}
    by_chain: dict[tuple[str, str], list[ProductionDeployment]] = {}
    for deployment in deployments:
        earlier = by_chain.setdefault(deployment.chain, [])
        _rollback(deployment, earlier)
        _revert(org, rules, deployment, earlier, merged)
        _hotfix(rules, deployment, merged)
        earlier.append(deployment)


def _remediation(failed: ProductionDeployment, fix: ProductionDeployment, how: str) -> None:
    failed.mark_failed(how, f"deployment {fix.deployment_id}")
    if fix not in failed.remediated_by:
        failed.remediated_by.append(fix)
    if (how, fix) not in failed.remediations:
        failed.remediations.append((how, fix))
    if how not in fix.rework:
        fix.rework.append(how)


def _rollback(deployment: ProductionDeployment, earlier: list[ProductionDeployment]) -> None:
    """Re-deploys the sha of an earlier deployment that is not the immediately previous one."""
    previous = deployment.previous
    if previous is None or previous.sha == deployment.sha:
        return
    if any(e.sha == deployment.sha for e in earlier[:-1]):
        _remediation(previous, deployment, "rollback")


def _revert(org: Org, rules: OracleRules, deployment: ProductionDeployment,
            earlier: list[ProductionDeployment], merged: dict) -> None:
    """A change-set commit (or a change-set PR titled as a revert) names a sha it reverts;
    the latest earlier deployment of the chain whose change set holds that sha failed."""
    repo = org.repos[deployment.repo]
    change_set = deployment.change_set or []
    messages = [repo.commits[sha].message for sha in change_set]
    for sha in change_set:
        pr = merged.get((deployment.repo, sha))
        if pr is not None and rules.is_revert_title(pr.title):
            messages.extend(repo.commits[s].message for s in pr.commit_shas if s in repo.commits)
    for reverted in {s for message in messages for s in rules.reverted_shas(message)}:
        shipped = [e for e in earlier
                   if any(s.startswith(reverted) for s in e.change_set or [])]
        if shipped:
            _remediation(shipped[-1], deployment, "revert")


def _hotfix(rules: OracleRules, deployment: ProductionDeployment, merged: dict) -> None:
    """The change set holds a merged hotfix PR: the previous deployment of the chain failed."""
    if deployment.previous is None:
        return
    for sha in deployment.change_set or []:
        pr = merged.get((deployment.repo, sha))
        if pr is not None and rules.is_hotfix(pr.labels, pr.head_ref):
            _remediation(deployment.previous, deployment, "hotfix")
            return


def link_incidents(org: Org, rules: OracleRules,
                   deployments: list[ProductionDeployment]) -> list[LinkedIncident]:
    """Link every incident issue of the team repos to at most one release, whose deployments
    are then marked failed: explicitly named, else undone by a revert, else by a rollback,
    while the incident was open, else by the time window, else unlinked."""
    pulls = {(r.full_name, p.number): p for r in org.repos.values() for p in r.pulls}
    window = timedelta(hours=rules.incident_link_window_hours)
    known = _known_commits(org)
    incidents = []
    for repo_name, team in repo_teams(org).items():
        for issue in org.repos[repo_name].issues:
            if not rules.is_incident(issue.labels):
                continue
            linked = LinkedIncident(repo_name, team, issue.number, issue.created_at,
                                    issue.closed_at)
            # a deployment that finished after the incident was filed cannot have caused it;
            # when every named deployment is later, the other methods get their chance
            before = [d for d in deployments if d.finished_at <= issue.created_at]
            for method, candidates in _candidates(issue, team, before, pulls, known, window):
                if candidates:
                    linked.method = method
                    linked.deployment = max(candidates, key=lambda d: d.order)
                    linked.released = _release(linked.deployment, candidates, method)
                    break
            for deployment in linked.released:
                deployment.mark_failed("incident", f"{repo_name}#{issue.number}")
                deployment.incidents.append((repo_name, issue.number))
            incidents.append(linked)
    return incidents


def _candidates(issue: Issue, team: str, before: list[ProductionDeployment], pulls: dict,
                known: set[str], window: timedelta
                ) -> list[tuple[str, list[ProductionDeployment]]]:
    """(method, deployments it finds) in the order the methods are tried."""
    named = _named_deployments(issue, before, pulls)
    if named:
        return [("explicit", named)]
    if _names_known_change(issue, known, pulls):
        return []  # the reporter named a change no production deployment had shipped
    mine = [d for d in before if d.team == team]
    return [*((how, [d for d in mine if _fixed_while_open(d, how, issue)])
              for how in ("revert", "rollback")),
            ("time_window", [d for d in mine if issue.created_at - window <= d.finished_at])]


def _fixed_while_open(d: ProductionDeployment, how: str, issue: Issue) -> bool:
    return any(kind == how and issue.created_at <= fix.finished_at
               and (issue.closed_at is None or fix.finished_at <= issue.closed_at)
               for kind, fix in d.remediations)


def _release(best: ProductionDeployment, candidates: list[ProductionDeployment],
             method: str) -> list[ProductionDeployment]:
    """The latest candidate of each production environment of best's repo (for the time
    window, of best's sha), in finish order."""
    latest: dict[tuple[str, str], ProductionDeployment] = {}
    for d in candidates:
        if d.repo != best.repo or (method == "time_window" and d.sha != best.sha):
            continue
        if d.chain not in latest or d.order > latest[d.chain].order:
            latest[d.chain] = d
    return sorted(latest.values(), key=lambda d: d.order)


def _known_commits(org: Org) -> set[str]:
    """Every sha Candor knows: deployed to any environment, or a PR's commit or merge."""
    shas = {d.sha for r in org.repos.values() for d in r.deployments}
    for repo in org.repos.values():
        for pr in repo.pulls:
            shas.update(pr.commit_shas)
            if pr.merge_commit_sha:
                shas.add(pr.merge_commit_sha)
    return shas


def _references(issue: Issue) -> tuple[set[str], list[tuple[str, int]]]:
    """The hex tokens (lower case) and the (repo, number) PR references of the title and body;
    a bare `#N` names the issue's own repo."""
    text = f"{issue.title or ''} {issue.body or ''}"
    tokens = {t.lower() for t in HEX_TOKEN.findall(text)}
    return tokens, [(repo or issue.repo, int(n)) for repo, n in PR_REFERENCE.findall(text)]


def _names_known_change(issue: Issue, known: set[str], pulls: dict) -> bool:
    """The text names a PR or a sha Candor knows (and, having no explicit link, one no
    production deployment had shipped): no fix or nearness is blamed."""
    tokens, pr_keys = _references(issue)
    if any(key in pulls for key in pr_keys):
        return True
    return bool(tokens) and any(s.startswith(t) for s in known for t in tokens)


def _named_deployments(issue: Issue, deployments: list[ProductionDeployment],
                       pulls: dict) -> list[ProductionDeployment]:
    """Deployments (of any repo) the title or body names: a 7-40 hex string starting the
    deployed sha or a change-set commit's sha, or `#N` / `owner/repo#N` whose merge commit is
    in the change set."""
    tokens, pr_keys = _references(issue)
    merge_shas = set()
    for key in pr_keys:
        pr = pulls.get(key)
        if pr is not None and pr.merged_at is not None and pr.merge_commit_sha:
            merge_shas.add((pr.repo, pr.merge_commit_sha))
    named = []
    for d in deployments:
        carried = [d.sha, *(d.change_set or [])]
        if any(s.startswith(t) for s in carried for t in tokens) or any(
                (d.repo, s) in merge_shas for s in d.change_set or []):
            named.append(d)
    return named


def mark_fix_forward(deployments: list[ProductionDeployment],
                     incidents: list[LinkedIncident]) -> None:
    """Rework: finished while an incident linked to an earlier deployment of the same repo
    (any environment) was open: created <= finish <= closed (or still open)."""
    for incident in incidents:
        cause = incident.deployment
        if cause is None:
            continue
        for d in deployments:
            if (d.repo == cause.repo and d.order > cause.order
                    and incident.created_at <= d.finished_at
                    and (incident.closed_at is None or d.finished_at <= incident.closed_at)
                    and "fix_forward" not in d.rework):
                d.rework.append("fix_forward")
