"""Pull requests: timing from the team's culture (of the quarter the PR resolves in), commits,
reviews (by that quarter's reviewers), comments and the merge.

A routine PR is planned backwards from the moment it resolves (merge or close): its cycle time
(first commit -> merge) is lognormal with the team's log-median, split into coding (first
commit -> opened), pickup (opened -> first review) and review (first review -> merge).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator import text
from simulator.context import DAY, HOUR, GenContext, to_datetime
from simulator.git_history import History
from simulator.model import PullRequest, Review, ReviewComment, Team

PR_CYCLE_SD = 0.9
COMMIT_COUNT_WEIGHTS = [0.3, 0.25, 0.18, 0.12, 0.09, 0.06]  # 1..6 commits


@dataclass
class PullPlan:
    """Everything decided about a PR before its commits exist (times are epoch seconds)."""

    author: str
    title: str
    head_ref: str
    kind: str
    labels: list[str]
    commit_times: list[float]
    messages: list[str]
    created: float
    resolved: float | None  # merge or close time; None = still open at the window's end
    merged: bool
    reviews: list[tuple[float, str, str]] = field(default_factory=list)  # time, login, state
    reverts_sha: str | None = None
    remediates: int | None = None
    body: str = ""


def plan_routine(ctx: GenContext, team: Team, resolve_at: float) -> PullPlan:
    """A feature PR of `team` that merges (or, sometimes, closes unmerged) at `resolve_at`."""
    rng = ctx.rng
    author = text.pick(rng, team.members)
    # the cycle time follows the culture of the quarter the PR resolves in
    log_median = team.at(resolve_at).pr_cycle_log_median_hours
    cycle = ctx.lognormal_hours(log_median, PR_CYCLE_SD, 0.3, 30 * 24)
    first = resolve_at - cycle
    coding, pickup = ctx.uniform(0.05, 0.45) * cycle, ctx.uniform(0.05, 0.35) * cycle
    created = first + coding
    if ctx.chance(0.1):  # an old branch: the first commit was written days before
        first -= ctx.uniform(2, 10) * DAY
    count = 1 + int(rng.choice(len(COMMIT_COUNT_WEIGHTS), p=COMMIT_COUNT_WEIGHTS))
    times = [first, *sorted(ctx.uniform(first, created) for _ in range(count - 1))]
    title = text.title(rng)
    plan = PullPlan(author, title, f"feature/{text.slug(title)}", "feature", [], times,
                    [text.commit_message(rng, title, i) for i in range(count)], created,
                    resolve_at, merged=not ctx.chance(0.07), body=f"{title}.\n\nTested locally.")
    _plan_reviews(ctx, team, plan, created + pickup, resolve_at)
    return plan


def _plan_reviews(ctx: GenContext, team: Team, plan: PullPlan, first: float, last: float) -> None:
    """Reviews by teammates between `first` and `last`; a change request adds a fix commit."""
    reviewers = team.at(first).reviewers  # who reviews that quarter
    candidates = [r for r in reviewers if r != plan.author] or [
        m for m in team.members if m != plan.author]
    if not candidates or ctx.chance(0.05):  # some PRs merge without review
        return
    reviewer = text.pick(ctx.rng, candidates)
    roll = ctx.rng.random()
    state = "CHANGES_REQUESTED" if roll < 0.25 else "COMMENTED" if roll < 0.4 else "APPROVED"
    plan.reviews.append((first, reviewer, state))
    if state != "APPROVED":
        fix_time = first + ctx.uniform(0.2, 0.6) * (last - first)
        plan.commit_times.append(fix_time)
        plan.messages.append("Address review comments")
        plan.reviews.append((fix_time + ctx.uniform(0.1, 0.9) * (last - fix_time), reviewer,
                             "APPROVED"))
    others = [c for c in candidates if c != reviewer]
    if others and ctx.chance(0.35):
        plan.reviews.append((ctx.uniform(first, last), text.pick(ctx.rng, others),
                             "APPROVED" if ctx.chance(0.7) else "COMMENTED"))
    plan.reviews.sort()


def plan_remediation(ctx: GenContext, team: Team, kind: str, title: str, message: str,
                     created: float, merged: float) -> PullPlan:
    """A small revert or hotfix PR: one or two commits, a quick approval, merged at `merged`."""
    author = text.pick(ctx.rng, team.members)
    if kind == "hotfix":
        head_ref, labels = f"hotfix/{text.slug(title)}", ["hotfix"]
    else:
        head_ref, labels = f"revert-{text.slug(title)}", []
    times = [created - ctx.uniform(60, 0.5 * HOUR)]
    messages = [message]
    if kind == "hotfix" and ctx.chance(0.5):
        times.append(created + 0.3 * (merged - created))
        messages.append("Add regression test")
    plan = PullPlan(author, title, head_ref, kind, labels, times, messages, created, merged,
                    merged=True, body=message)
    _plan_reviews(ctx, team, plan, created + 0.2 * (merged - created), merged)
    return plan


def realize(ctx: GenContext, history: History, plan: PullPlan, method: str) -> PullRequest:
    """Create the PR's commits, reviews and comments, and merge it if planned (`method`)."""
    horizon = ctx.end if plan.resolved is None else plan.resolved
    keep = [i for i, t in enumerate(plan.commit_times) if t <= horizon] or [0]
    pr_key = ctx.next_id()  # provisional number, shared with issues; renumbered at the end
    branch = history.branch(plan.author, [plan.commit_times[i] for i in keep],
                            [plan.messages[i] for i in keep], pr_key)
    merged_by = next((login for _, login, s in reversed(plan.reviews) if s == "APPROVED"),
                     plan.author)
    merge_sha = None
    if plan.merged and plan.resolved is not None:
        merge_sha = history.merge(method, pr_key, branch, plan.author, merged_by, plan.resolved,
                                  plan.title)
    pr = PullRequest(
        repo=history.repo.full_name, number=pr_key, pr_id=ctx.next_id(), title=plan.title,
        body=plan.body, author_login=plan.author, head_ref=plan.head_ref, base_ref="main",
        labels=list(plan.labels), created_at=to_datetime(plan.created),
        closed_at=None if plan.resolved is None else to_datetime(plan.resolved),
        merged_at=to_datetime(plan.resolved) if merge_sha else None,
        merged_by=merged_by if merge_sha else None, merge_method=method if merge_sha else None,
        merge_commit_sha=merge_sha, head_sha=branch[-1],
        base_sha=history.head_at(plan.created), commit_shas=branch, kind=plan.kind,
        reverts_sha=plan.reverts_sha, remediates_deployment_id=plan.remediates)
    _add_reviews(ctx, history, pr, plan, horizon)
    return pr


def _add_reviews(ctx: GenContext, history: History, pr: PullRequest, plan: PullPlan,
                 horizon: float) -> None:
    commits = history.repo.commits
    for when, login, state in plan.reviews:
        if when > horizon:
            continue
        at = to_datetime(when)
        head = next((s for s in reversed(pr.commit_shas) if commits[s].authored_at <= at),
                    pr.commit_shas[0])
        review = Review(ctx.next_id(), login, state, at, head,
                        "" if state == "APPROVED" else text.pick(ctx.rng, text.REVIEW_REMARKS))
        pr.reviews.append(review)
        count = int(ctx.rng.integers(0, 2 if state == "APPROVED" else 4))
        for _ in range(count):
            pr.comments.append(ReviewComment(
                ctx.next_id(), review.review_id, login, at,
                text.pick(ctx.rng, text.REVIEW_REMARKS), text.pick(ctx.rng, text.FILES),
                int(ctx.rng.integers(1, 300)), head))
