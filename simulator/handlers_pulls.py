"""Handlers for pull requests, commits, compare and issues (which include PRs, as on GitHub)."""

from __future__ import annotations

from datetime import datetime

from simulator.api_types import Call, Document, Listing, NotFound, parse_since
from simulator.model import Issue, Repo
from simulator.pagination import PageRequest, link_header
from simulator.pull_json import PullAtClock, pull_as_issue, pull_at, pull_json

COMPARE_DEFAULT_PER_PAGE = 250  # compare pages its commits 250 at a time by default
COMPARE_MAX_PER_PAGE = 1000


def _visible_pulls(call: Call, repo: Repo) -> list[PullAtClock]:
    return [pull_at(repo, p, call.clock) for p in repo.pulls if p.created_at <= call.clock]


def _pull(call: Call) -> tuple[Repo, PullAtClock]:
    repo = call.repo()
    number = call.values["number"]
    found = next((p for p in repo.pulls if p.number == number), None)
    if found is None or found.created_at > call.clock:
        raise NotFound
    return repo, pull_at(repo, found, call.clock)


def _order(call: Call, items: list, created, updated) -> list:
    sort = call.args.get("sort", "created")
    key = updated if sort in ("updated", "long-running") else created
    descending = call.choice("direction", ("asc", "desc"), "desc") == "desc"
    return sorted(items, key=lambda x: (key(x), created(x)), reverse=descending)


def pulls(call: Call) -> Listing:
    repo = call.repo()
    state = call.choice("state", ("open", "closed", "all"), "open")
    call.choice("sort", ("created", "updated", "popularity", "long-running"), "created")
    items = [v for v in _visible_pulls(call, repo) if state in ("all", v.state)]
    if "base" in call.args:
        items = [v for v in items if v.pr.base_ref == call.args["base"]]
    if "head" in call.args:  # "user:ref-name" or "organization:ref-name"
        ref = call.args["head"].split(":", 1)[-1]
        items = [v for v in items if v.pr.head_ref == ref]
    items = _order(call, items, lambda v: v.pr.created_at, lambda v: v.updated_at)
    return Listing(items, lambda v: pull_json(call.render, repo, v, full=False))


def pull(call: Call) -> Document:
    repo, view = _pull(call)
    return Document(pull_json(call.render, repo, view, full=True))


def pull_commits(call: Call) -> Listing:
    repo, view = _pull(call)
    return Listing(view.commits, lambda s: call.render.commit(repo, repo.commits[s]),
                   max_per_page=250)


def pull_reviews(call: Call) -> Listing:
    repo, view = _pull(call)
    return Listing(view.reviews, lambda v: call.render.review(repo, view.pr, v))


def pull_comments(call: Call) -> Listing:
    repo, view = _pull(call)
    return Listing(view.comments, lambda c: call.render.review_comment(repo, view.pr, c))


def review_comments(call: Call) -> Listing:
    """`GET /repos/{o}/{r}/pulls/comments`: the review comments of every PR of the repository.

    As GitHub documents it: ascending by id without `sort`; with `sort` (created, updated,
    created_at) ordered by it in `direction` (default desc), ties by id; `since` keeps the
    comments updated at or after it. A comment's updated_at is its created_at (never edited).
    """
    repo = call.repo()
    since = parse_since(call.args.get("since"))
    items = [(view, comment) for view in _visible_pulls(call, repo) for comment in view.comments
             if since is None or comment.created_at >= since]
    if "sort" in call.args:
        call.choice("sort", ("created", "updated", "created_at"), "created")
        descending = call.choice("direction", ("asc", "desc"), "desc") == "desc"
        items.sort(key=lambda item: (item[1].created_at, item[1].comment_id), reverse=descending)
    else:
        items.sort(key=lambda item: item[1].comment_id)
    return Listing(items, lambda item: call.render.review_comment(repo, item[0].pr, item[1]))


def compare(call: Call) -> Document:
    """`base...head`: the commits reachable from head and not from base, oldest first."""
    repo = call.repo()
    base_ref, separator, head_ref = call.values["basehead"].partition("...")
    if not separator:
        raise NotFound
    graph = call.graph(repo)
    base, head = graph.resolve(base_ref, call.clock), graph.resolve(head_ref, call.clock)
    if base is None or head is None:
        raise NotFound
    result = graph.compare(base, head)
    page = PageRequest.from_args(call.args, COMPARE_DEFAULT_PER_PAGE, COMPARE_MAX_PER_PAGE)
    render = call.render
    api = f"{render.api}/repos/{repo.full_name}"
    web = f"{render.web}/{repo.full_name}"
    body = {
        "url": f"{api}/compare/{base_ref}...{head_ref}",
        "html_url": f"{web}/compare/{base_ref}...{head_ref}",
        "permalink_url": f"{web}/compare/{base}...{head}",
        "diff_url": f"{web}/compare/{base_ref}...{head_ref}.diff",
        "patch_url": f"{web}/compare/{base_ref}...{head_ref}.patch",
        "base_commit": render.commit(repo, repo.commits[base]),
        "merge_base_commit": render.commit(repo, repo.commits[result.merge_base]),
        "status": result.status, "ahead_by": len(result.commits),
        "behind_by": result.behind_by, "total_commits": len(result.commits),
        "commits": [render.commit(repo, repo.commits[s]) for s in page.slice(result.commits)],
        "files": [],
    }
    return Document(body, link_header(call.url, call.args, page, len(result.commits)))


def commit(call: Call) -> Document:
    repo = call.repo()
    sha = call.graph(repo).resolve(call.values["sha"], call.clock)
    if sha is None:
        raise NotFound
    body = call.render.commit(repo, repo.commits[sha])
    body["stats"] = {"total": 13, "additions": 10, "deletions": 3}
    body["files"] = []
    return Document(body)


def commit_pulls(call: Call) -> Listing:
    """PRs associated with a commit: the PR it was made for (branch, merge, squash, rebase)."""
    repo = call.repo()
    sha = call.graph(repo).resolve(call.values["sha"], call.clock)
    if sha is None:
        raise NotFound
    number = repo.commits[sha].pr_number
    items = [v for v in _visible_pulls(call, repo) if v.pr.number == number]
    return Listing(items, lambda v: pull_json(call.render, repo, v, full=False))


def _issue_at(issue: Issue, clock: datetime) -> tuple[str, datetime]:
    closed = issue.closed_at is not None and issue.closed_at <= clock
    return ("closed" if closed else "open"), (issue.closed_at if closed else issue.created_at)


def issues(call: Call) -> Listing:
    """Issues and PRs; `labels` must all match; `since` = updated at or after."""
    repo = call.repo()
    state = call.choice("state", ("open", "closed", "all"), "open")
    call.choice("sort", ("created", "updated", "comments"), "created")
    since = parse_since(call.args.get("since"))
    wanted = {x.strip() for x in call.args.get("labels", "").split(",") if x.strip()}
    rows = []  # (created, updated, state, labels, render)
    for issue in repo.issues:
        if issue.created_at <= call.clock:
            issue_state, updated = _issue_at(issue, call.clock)
            rows.append((issue.created_at, updated, issue_state, issue.labels,
                         lambda i=issue: call.render.issue(repo, i, call.clock)))
    for view in _visible_pulls(call, repo):
        rows.append((view.pr.created_at, view.updated_at, view.state, view.pr.labels,
                     lambda v=view: pull_as_issue(call.render, repo, v)))
    rows = [r for r in rows if state in ("all", r[2]) and wanted <= set(r[3])
            and (since is None or r[1] >= since)]
    rows = _order(call, rows, lambda r: r[0], lambda r: r[1])
    return Listing(rows, lambda r: r[4]())


def issue(call: Call) -> Document:
    repo = call.repo()
    number = call.values["number"]
    found = next((i for i in repo.issues if i.number == number), None)
    if found is not None and found.created_at <= call.clock:
        return Document(call.render.issue(repo, found, call.clock))
    pr = next((p for p in repo.pulls if p.number == number), None)
    if pr is None or pr.created_at > call.clock:
        raise NotFound
    return Document(pull_as_issue(call.render, repo, pull_at(repo, pr, call.clock)))


HANDLERS = {
    "pulls": pulls, "pull": pull, "pull_commits": pull_commits, "pull_reviews": pull_reviews,
    "pull_comments": pull_comments, "review_comments": review_comments, "compare": compare,
    "commit": commit, "commit_pulls": commit_pulls, "issues": issues, "issue": issue,
}
