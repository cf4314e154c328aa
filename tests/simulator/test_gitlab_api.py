"""The simulated GitLab REST API v4 over real HTTP: protocol (auth, pages, rate limit, faults,
the clock) with `requests`, shapes checked against the Org they come from, and python-gitlab."""

from __future__ import annotations

import time
from datetime import timedelta
from itertools import pairwise
from urllib.parse import quote

import gitlab
import pytest
import requests

from simulator.generator import generate_org
from simulator.gitlab_json import iso
from simulator.gitlab_server import GitLabSandbox
from simulator.model import Deployment, Org, Repo

REPO = "acme/payments-service"  # the busiest repository of seed 5 (2 teams, 3 months)
ENCODED = quote(REPO, safe="")


@pytest.fixture(scope="module")
def org() -> Org:
    """About 40 deployments and 105 merge requests in the busiest repository."""
    return generate_org(seed=5, teams=2, months=3)


@pytest.fixture(scope="module")
def repo(org: Org) -> Repo:
    return org.repos[REPO]


@pytest.fixture
def gl(org: Org):
    with GitLabSandbox(org) as sandbox:
        yield sandbox


def _get(sandbox: GitLabSandbox, path: str, headers: dict[str, str] | None = None,
         **params: object) -> requests.Response:
    sent = {"PRIVATE-TOKEN": sandbox.token} if headers is None else headers
    return requests.get(f"{sandbox.url}/api/v4{path}", headers=sent, params=params, timeout=10)


def _all_pages(sandbox: GitLabSandbox, path: str, **params: object) -> list[dict]:
    """Every item of a list, following `Link rel="next"` from the first page."""
    answer = _get(sandbox, path, **params)
    items = list(answer.json())
    while "next" in answer.links:
        answer = requests.get(answer.links["next"]["url"],
                              headers={"PRIVATE-TOKEN": sandbox.token}, timeout=10)
        items += answer.json()
    return items


def _pull(repo: Repo, method: str | None):
    """The first PR merged with `method`; None: the first PR still open at the org's end."""
    if method is None:
        return next(pr for pr in repo.pulls if pr.merged_at is None and pr.closed_at is None)
    return next(pr for pr in repo.pulls if pr.merge_method == method and pr.merged_at)


# ---------------------------------------------------------------------------------- protocol
def test_requests_need_the_token(gl: GitLabSandbox) -> None:
    missing = _get(gl, f"/projects/{ENCODED}", headers={})
    wrong = _get(gl, f"/projects/{ENCODED}", headers={"PRIVATE-TOKEN": "glpat-wrong"})
    assert [missing.status_code, wrong.status_code] == [401, 401]
    assert missing.json() == {"message": "401 Unauthorized"}
    bearer = _get(gl, f"/projects/{ENCODED}", headers={"Authorization": f"Bearer {gl.token}"})
    assert bearer.status_code == 200
    assert gl.token.startswith("glpat-sandbox")


def test_a_project_by_id_and_by_encoded_path(org: Org, repo: Repo, gl: GitLabSandbox) -> None:
    by_path = _get(gl, f"/projects/{ENCODED}")
    by_id = _get(gl, f"/projects/{repo.repo_id}")
    assert by_path.json() == by_id.json()
    body = by_path.json()
    assert (body["id"], body["path"], body["path_with_namespace"]) == (
        repo.repo_id, repo.name, repo.full_name)
    assert body["namespace"]["full_path"] == org.name
    assert body["web_url"] == f"{gl.url}/{REPO}"
    assert by_path.headers["Content-Type"] == "application/json"
    assert by_path.headers["Date"] == "Sat, 31 Oct 2026 00:00:00 GMT"  # org.end, the clock
    assert _get(gl, "/projects/acme%2Fnothing").json() == {"message": "404 Project Not Found"}
    assert _get(gl, f"/projects/{ENCODED}/pipelines").json() == {"message": "404 Not found"}
    deployments = _get(gl, f"/projects/{ENCODED}/deployments", per_page=1)
    assert deployments.status_code == 200
    assert gl.requests[-1] == f"/api/v4/projects/{ENCODED}/deployments?per_page=1"


def test_a_sandbox_serves_only_its_projects(org: Org) -> None:
    other = next(name for name in org.repos if name != REPO)
    with GitLabSandbox(org, projects=[other]) as sandbox:
        assert _get(sandbox, f"/projects/{ENCODED}").status_code == 404
        assert _get(sandbox, f"/projects/{quote(other, safe='')}").json()["path_with_namespace"
                                                                           ] == other


def test_pages_link_to_each_other_and_list_every_deployment_once(
        repo: Repo, gl: GitLabSandbox) -> None:
    path = f"/projects/{ENCODED}/deployments"
    first = _get(gl, path, per_page=2, sort="asc")
    total = len(repo.deployments)
    assert first.headers["x-total"] == str(total)
    assert first.headers["x-total-pages"] == str(-(-total // 2))
    assert (first.headers["x-page"], first.headers["x-per-page"]) == ("1", "2")
    assert (first.headers["x-prev-page"], first.headers["x-next-page"]) == ("", "2")
    assert set(first.links) == {"next", "first", "last"}
    assert "sort=asc" in first.links["next"]["url"]  # other parameters are kept
    assert first.links["next"]["url"].startswith(f"{gl.url}/api/v4{path}?")
    last = requests.get(first.links["last"]["url"], headers={"PRIVATE-TOKEN": gl.token},
                        timeout=10)
    assert last.headers["x-next-page"] == "" and "next" not in last.links
    assert set(last.links) == {"prev", "first", "last"}
    ids = [d["id"] for d in _all_pages(gl, path, per_page=2, sort="asc")]
    assert ids == sorted(d.deployment_id for d in repo.deployments)  # each once, id order


def test_per_page_is_capped_at_100(repo: Repo, gl: GitLabSandbox) -> None:
    answer = _get(gl, f"/projects/{ENCODED}/merge_requests", per_page=500)
    assert len(repo.pulls) > 100
    assert answer.headers["x-per-page"] == "100"
    assert len(answer.json()) == 100
    assert _get(gl, f"/projects/{ENCODED}/merge_requests").headers["x-per-page"] == "20"


def test_rate_limit_answers_429_with_retry_after_then_recovers(org: Org) -> None:
    with GitLabSandbox(org, rate_limit=2) as sandbox:
        ok = [_get(sandbox, "/version") for _ in range(2)]
        assert [a.status_code for a in ok] == [200, 200]
        assert ok[1].headers["RateLimit-Limit"] == "2"
        assert (ok[1].headers["RateLimit-Remaining"], ok[1].headers["RateLimit-Observed"]) == (
            "0", "2")
        refused = _get(sandbox, "/version")
        assert refused.status_code == 429
        assert refused.json() == {"message": "429 Too Many Requests"}
        # the budget is spent: wait until the minute's window rolls over, as RateLimit-Reset
        reset = int(refused.headers["RateLimit-Reset"])
        assert reset > 1_700_000_000  # epoch seconds
        wait = int(refused.headers["Retry-After"])
        assert 1 <= wait <= 61 and abs(time.time() + wait - reset) <= 2
        sandbox.limiter.start_next_window()
        assert _get(sandbox, "/version").json()["version"] == "17.11.0"
        assert sandbox.requests == ["/api/v4/version"] * 3


def test_injected_faults(gl: GitLabSandbox) -> None:
    gl.faults.script([500, 429])
    failed = _get(gl, "/user")
    assert (failed.status_code, failed.json()) == (500, {"message": "500 Internal Server Error"})
    limited = _get(gl, "/user")
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "1")
    assert _get(gl, "/user").json()["username"] == "candor-bot"
    assert gl.requests == ["/api/v4/user"]


# ---------------------------------------------------------------------------------- deployments
def test_deployments_filter_by_update_window_and_order(repo: Repo, gl: GitLabSandbox) -> None:
    path = f"/projects/{ENCODED}/deployments"
    listed = _all_pages(gl, path, per_page=100)
    by_updated = sorted(listed, key=lambda d: (d["updated_at"], d["id"]))
    pivot = by_updated[len(by_updated) // 2]["updated_at"]
    after = _all_pages(gl, path, per_page=100, updated_after=pivot)
    before = _all_pages(gl, path, per_page=100, updated_before=pivot)
    assert {d["id"] for d in after} == {d["id"] for d in listed if d["updated_at"] >= pivot}
    assert {d["id"] for d in before} == {d["id"] for d in listed if d["updated_at"] < pivot}
    assert len(after) + len(before) == len(repo.deployments)
    newest = _all_pages(gl, path, per_page=100, order_by="updated_at", sort="desc")
    assert [d["id"] for d in newest] == [d["id"] for d in reversed(by_updated)]
    production = _all_pages(gl, path, per_page=100, environment="production", status="success")
    assert {d["id"] for d in production} == {
        d.deployment_id for d in repo.deployments
        if d.environment == "production" and d.succeeded}
    finished = _all_pages(gl, path, per_page=100, order_by="finished_at")
    times = [d["deployable"]["finished_at"] for d in finished
             if d["deployable"] and d["deployable"]["finished_at"]]
    assert times == sorted(times)
    assert _get(gl, path, order_by="sha").status_code == 400


def _failed_attempt(repo: Repo) -> Deployment:
    return next(d for d in repo.deployments if not d.succeeded and len(d.statuses) > 1)


def test_deployment_status_mapping_and_api_created_share(repo: Repo, gl: GitLabSandbox) -> None:
    listed = {d["id"]: d for d in _all_pages(gl, f"/projects/{ENCODED}/deployments",
                                             per_page=100)}
    without_job = [i for i, d in listed.items() if d["deployable"] is None]
    assert 0 < len(without_job) < 0.3 * len(listed)
    assert without_job == [i for i in listed if gl.world.api_created(i)]
    failed = _failed_attempt(repo)
    assert listed[failed.deployment_id]["status"] == "failed"
    assert listed[failed.deployment_id]["updated_at"] == iso(failed.statuses[-1].created_at)
    superseded = next(d for d in repo.deployments if d.statuses[-1].state == "inactive"
                      and not gl.world.api_created(d.deployment_id))
    body = listed[superseded.deployment_id]
    assert body["status"] == "success"  # GitLab has no inactive
    assert body["updated_at"] == iso(superseded.finished_at)
    assert body["deployable"]["finished_at"] == iso(superseded.finished_at)
    assert body["deployable"]["pipeline"]["sha"] == superseded.sha
    assert body["iid"] == sorted(repo.deployments, key=lambda d: d.created_at).index(
        superseded) + 1
    assert body["user"]["username"] == superseded.creator_login
    one = _get(gl, f"/projects/{repo.repo_id}/deployments/{superseded.deployment_id}")
    assert one.json() == body


def test_the_clock_hides_later_deployments_and_finishes(repo: Repo, gl: GitLabSandbox) -> None:
    target = next(d for d in repo.deployments[len(repo.deployments) // 2:]
                  if [s.state for s in d.statuses][:2] == ["in_progress", "success"])
    started, finished = target.statuses[0].created_at, target.statuses[1].created_at
    gl.set_clock(started)
    listed = _all_pages(gl, f"/projects/{ENCODED}/deployments", per_page=100)
    assert {d["id"] for d in listed} == {
        d.deployment_id for d in repo.deployments if d.created_at <= started}
    running = next(d for d in listed if d["id"] == target.deployment_id)
    assert (running["status"], running["updated_at"]) == ("running", iso(started))
    if running["deployable"] is not None:
        assert running["deployable"]["finished_at"] is None
    shipped = _get(gl, f"/projects/{ENCODED}/deployments/{target.deployment_id}/merge_requests")
    assert shipped.json() == []  # GitLab links merge requests once a deployment succeeded
    gl.set_clock(finished)
    done = _get(gl, f"/projects/{ENCODED}/deployments/{target.deployment_id}").json()
    assert (done["status"], done["updated_at"]) == ("success", iso(finished))
    assert _get(gl, "/version").headers["Date"] == finished.strftime("%a, %d %b %Y %H:%M:%S GMT")


def test_a_deployment_lists_the_merge_requests_it_shipped(repo: Repo, gl: GitLabSandbox) -> None:
    production = [d for d in repo.deployments if d.environment == "production" and d.succeeded]
    position = {sha: i for i, sha in enumerate(repo.main_history)}
    previous, deployment = next(
        (a, b) for a, b in pairwise(production)
        if position[a.sha] < position[b.sha] - 2)
    change_set = set(repo.main_history[position[previous.sha] + 1: position[deployment.sha] + 1])
    expected = {pr.number for pr in repo.pulls if pr.merge_commit_sha in change_set}
    listed = _all_pages(gl, f"/projects/{ENCODED}/deployments/{deployment.deployment_id}"
                            "/merge_requests", per_page=100)
    assert expected and {mr["iid"] for mr in listed} == expected
    failed = _failed_attempt(repo)
    assert _get(gl, f"/projects/{ENCODED}/deployments/{failed.deployment_id}"
                    "/merge_requests").json() == []


# ---------------------------------------------------------------------------------- merge requests
def test_the_landed_commit_per_merge_method(repo: Repo, gl: GitLabSandbox) -> None:
    def mr(number: int) -> dict:
        return _get(gl, f"/projects/{ENCODED}/merge_requests/{number}").json()

    squash, rebase, merge = (_pull(repo, m) for m in ("squash", "rebase", "merge"))
    body = mr(squash.number)
    assert (body["merge_commit_sha"], body["squash_commit_sha"], body["squash"]) == (
        None, squash.merge_commit_sha, True)
    assert body["state"] == "merged" and body["closed_at"] is None
    assert body["merged_at"] == iso(squash.merged_at)
    body = mr(rebase.number)
    assert (body["merge_commit_sha"], body["squash_commit_sha"], body["sha"]) == (
        None, None, rebase.merge_commit_sha)
    body = mr(merge.number)
    assert (body["merge_commit_sha"], body["squash_commit_sha"]) == (merge.merge_commit_sha, None)
    assert body["merged_by"]["username"] == merge.merged_by
    assert body["references"]["full"] == f"{REPO}!{merge.number}"
    open_one = _pull(repo, None)
    body = mr(open_one.number)
    assert (body["state"], body["sha"], body["merge_commit_sha"]) == (
        "opened", open_one.head_sha, None)
    gl.set_clock(squash.merged_at - timedelta(seconds=1))
    assert mr(squash.number)["state"] == "opened"
    assert mr(squash.number)["squash_commit_sha"] is None


def test_merge_request_lists_filter_by_state_and_update(repo: Repo, gl: GitLabSandbox) -> None:
    path = f"/projects/{ENCODED}/merge_requests"
    merged = _all_pages(gl, path, per_page=100, state="merged")
    assert {m["iid"] for m in merged} == {pr.number for pr in repo.pulls if pr.merged_at}
    listed = _all_pages(gl, path, per_page=100)
    assert [m["created_at"] for m in listed] == sorted(
        (m["created_at"] for m in listed), reverse=True)  # created_at desc by default
    pivot = sorted(m["updated_at"] for m in listed)[len(listed) // 3]
    after = _all_pages(gl, path, per_page=100, updated_after=pivot, order_by="updated_at",
                       sort="asc")
    assert [m["iid"] for m in after] == [
        m["iid"] for m in sorted(listed, key=lambda m: (m["updated_at"], m["id"]))
        if m["updated_at"] >= pivot]


def test_merge_request_commits_come_newest_first(org: Org, repo: Repo, gl: GitLabSandbox
                                                 ) -> None:
    pr = max(repo.pulls, key=lambda p: len(p.commit_shas))
    commits = _get(gl, f"/projects/{ENCODED}/merge_requests/{pr.number}/commits").json()
    assert [c["id"] for c in commits] == list(reversed(pr.commit_shas))
    first = repo.commits[pr.commit_shas[0]]
    assert commits[-1]["author_name"] == org.people[first.author_login].name
    assert commits[-1]["authored_date"] == iso(first.authored_at)
    assert commits[-1]["title"] == first.message.split("\n")[0]
    assert "username" not in commits[-1]


def test_notes_map_reviews_and_inline_comments(repo: Repo, gl: GitLabSandbox) -> None:
    pr = next(p for p in repo.pulls if p.comments
              and any(v.state == "APPROVED" for v in p.reviews))
    notes = _get(gl, f"/projects/{ENCODED}/merge_requests/{pr.number}/notes",
                 per_page=100).json()
    assert len(notes) == len(pr.reviews) + len(pr.comments)
    assert [n["created_at"] for n in notes] == sorted((n["created_at"] for n in notes),
                                                      reverse=True)
    by_id = {n["id"]: n for n in notes}
    approval = next(v for v in pr.reviews if v.state == "APPROVED")
    note = by_id[gl.world.note_id_of_review(approval.review_id)]
    assert (note["system"], note["type"], note["body"]) == (
        True, None, "approved this merge request")
    assert note["author"]["username"] == approval.reviewer_login
    assert note["created_at"] == iso(approval.submitted_at)
    comment = pr.comments[0]
    inline = by_id[gl.world.note_id_of_comment(comment.comment_id)]
    assert (inline["type"], inline["system"], inline["body"]) == ("DiffNote", False, comment.body)
    assert (inline["position"]["new_path"], inline["position"]["new_line"]) == (
        comment.path, comment.line)
    assert (inline["noteable_iid"], inline["noteable_id"]) == (pr.number, pr.pr_id)
    org_ids = {v.review_id for v in pr.reviews} | {c.comment_id for c in pr.comments}
    assert not org_ids & set(by_id)


# ---------------------------------------------------------------------------------- issues
def test_issues_of_type_incident(repo: Repo, gl: GitLabSandbox) -> None:
    path = f"/projects/{ENCODED}/issues"
    incidents = _all_pages(gl, path, per_page=100, issue_type="incident")
    assert {i["iid"] for i in incidents} == {
        i.number for i in repo.issues if "incident" in i.labels}
    assert incidents and all(i["type"] == "INCIDENT" and "incident" not in i["labels"]
                             for i in incidents)
    plain = _all_pages(gl, path, per_page=100, issue_type="issue")
    assert len(plain) + len(incidents) == len(repo.issues)
    bugs = _all_pages(gl, path, per_page=100, labels="bug")
    assert {i["iid"] for i in bugs} == {i.number for i in repo.issues if "bug" in i.labels}
    closed = next(i for i in repo.issues if i.closed_at)
    gl.set_clock(closed.closed_at - timedelta(seconds=1))
    body = next(i for i in _all_pages(gl, path, per_page=100) if i["iid"] == closed.number)
    assert (body["state"], body["closed_at"], body["updated_at"]) == (
        "opened", None, iso(closed.created_at))


# ---------------------------------------------------------------------------------- compare
def test_compare_lists_what_to_has_and_from_lacks(repo: Repo, gl: GitLabSandbox) -> None:
    path = f"/projects/{ENCODED}/repository/compare"
    base, head = repo.main_history[-12], repo.main_history[-3]
    ahead = _get(gl, path, **{"from": base[:8], "to": head, "straight": "false"}).json()
    assert [c["id"] for c in ahead["commits"]] == repo.main_history[-11:-2]
    assert ahead["commit"]["id"] == head
    assert ahead["compare_same_ref"] is False
    behind = _get(gl, path, **{"from": head, "to": base}).json()
    assert (behind["commits"], behind["commit"]) == ([], None)
    to_main = _get(gl, path, **{"from": base, "to": "main"}).json()
    assert to_main["commits"][-1]["id"] == repo.main_history[-1]
    missing = _get(gl, path, **{"from": "no-such-branch", "to": "main"})
    assert (missing.status_code, missing.json()) == (404, {"message": "404 Ref Not Found"})


# ---------------------------------------------------------------------------------- python-gitlab
def test_python_gitlab_reads_the_sandbox(repo: Repo, gl: GitLabSandbox) -> None:
    client = gitlab.Gitlab(gl.url, private_token=gl.token, per_page=100)
    project = client.projects.get(REPO)
    assert project.id == repo.repo_id
    deployments = list(project.deployments.list(iterator=True, order_by="updated_at",
                                                sort="asc"))
    assert sorted(d.id for d in deployments) == sorted(d.deployment_id for d in repo.deployments)
    updated = [d.updated_at for d in deployments]
    assert updated == sorted(updated)
    since = repo.pulls[len(repo.pulls) // 2].created_at
    mrs = list(client.projects.get(REPO, lazy=True).mergerequests.list(
        iterator=True, state="all", updated_after=since.isoformat()))
    assert {m.iid for m in mrs} >= {pr.number for pr in repo.pulls if pr.created_at >= since}
    assert all(m.updated_at >= iso(since) for m in mrs)
    commits = project.mergerequests.get(mrs[0].iid, lazy=True).commits()
    assert [c.id for c in commits] == list(reversed(
        next(pr for pr in repo.pulls if pr.number == mrs[0].iid).commit_shas))
    gl.faults.script([429])  # python-gitlab waits Retry-After (1 s) and asks again
    assert client.projects.get(repo.repo_id).path == repo.name
    client.session.close()


def test_above_the_totals_cap_lists_leave_out_totals_and_last(
        repo: Repo, gl: GitLabSandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("simulator.gitlab_app.TOTALS_CAP", 10)  # GitLab's is 10,000
    answer = _get(gl, f"/projects/{ENCODED}/merge_requests", per_page=5, page=2)
    assert "x-total" not in answer.headers and "x-total-pages" not in answer.headers
    assert set(answer.links) == {"prev", "next", "first"}
    assert (answer.headers["x-prev-page"], answer.headers["x-next-page"]) == ("1", "3")


def test_dropped_and_truncated_answers(gl: GitLabSandbox) -> None:
    gl.faults.script(["drop", "truncate"])
    with pytest.raises(requests.ConnectionError):
        _get(gl, "/version")
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        _get(gl, "/version")
    assert _get(gl, "/version").status_code == 200
