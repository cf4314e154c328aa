"""GitLab's JSON answers as records. A field the connector cannot read fails the project's sync
with a message naming the object and field (GitLabSyncError), before anything is stored."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from connectors.gitlab import records
from connectors.gitlab.errors import GitLabSyncError


def _field(item: dict[str, Any], name: str, what: str) -> Any:
    if name not in item or item[name] is None:
        raise GitLabSyncError(f"GitLab sent {what} without `{name}`")
    return item[name]


def timestamp(value: Any, what: str, name: str) -> datetime | None:
    """GitLab's ISO 8601 time (`2026-01-05T10:00:00.000Z`, or with an offset) in UTC."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise GitLabSyncError(f"GitLab sent {what} with `{name}` {value!r}, not a time") from None
    if moment.tzinfo is None:
        raise GitLabSyncError(f"GitLab sent {what} with `{name}` {value!r}, without a zone")
    return moment.astimezone(UTC)


def _required_time(item: dict[str, Any], name: str, what: str) -> datetime:
    moment = timestamp(_field(item, name, what), what, name)
    assert moment is not None
    return moment


def _username(person: Any) -> str | None:
    return person.get("username") if isinstance(person, dict) else None


def _sha(value: Any) -> str | None:
    return None if value is None else str(value).lower()


def project(item: dict[str, Any]) -> records.Project:
    what = "a project"
    return records.Project(
        repo=_field(item, "path_with_namespace", what),
        project_id=int(_field(item, "id", what)),
        name=item.get("name") or item["path_with_namespace"],
        default_branch=item.get("default_branch"),
        web_url=item.get("web_url"),
        created_at=timestamp(item.get("created_at"), what, "created_at"),
    )


def deployment(repo: str, item: dict[str, Any]) -> records.Deployment:
    what = f"a deployment of {repo} (id {item.get('id')})"
    environment = _field(item, "environment", what)
    name = environment.get("name") if isinstance(environment, dict) else None
    if not name:
        raise GitLabSyncError(f"GitLab sent {what} without an environment name")
    deployable = item.get("deployable")
    finished = deployable.get("finished_at") if isinstance(deployable, dict) else None
    return records.Deployment(
        repo=repo,
        deployment_id=int(_field(item, "id", what)),
        iid=int(_field(item, "iid", what)),
        environment=name,
        status=_field(item, "status", what),
        sha=_sha(_field(item, "sha", what)),
        ref=item.get("ref"),
        username=_username(item.get("user")),
        created_at=_required_time(item, "created_at", what),
        updated_at=_required_time(item, "updated_at", what),
        finished_at=timestamp(finished, what, "deployable.finished_at"),
    )


def finished_at(record: records.Deployment) -> datetime | None:
    """When a deployment finished: its job's finish, else (an API-created deployment has no
    job) the last update of a successful one; None while it has not succeeded."""
    if record.status != "success":
        return None
    return record.finished_at or record.updated_at


def merge_request(repo: str, item: dict[str, Any]) -> records.MergeRequest:
    what = f"merge request !{item.get('iid')} of {repo}"
    return records.MergeRequest(
        repo=repo,
        iid=int(_field(item, "iid", what)),
        mr_id=int(_field(item, "id", what)),
        title=item.get("title") or "",
        description=item.get("description") or None,
        author_username=_username(item.get("author")),
        state=_field(item, "state", what),
        source_branch=item.get("source_branch"),
        target_branch=item.get("target_branch"),
        sha=_sha(item.get("sha")),
        merge_commit_sha=_sha(item.get("merge_commit_sha")),
        squash_commit_sha=_sha(item.get("squash_commit_sha")),
        labels=tuple(_label_names(item.get("labels"))),
        created_at=_required_time(item, "created_at", what),
        updated_at=_required_time(item, "updated_at", what),
        merged_at=timestamp(item.get("merged_at"), what, "merged_at"),
        closed_at=timestamp(item.get("closed_at"), what, "closed_at"),
    )


def _label_names(labels: Any) -> list[str]:
    # names by default; `with_labels_details=true` answers objects
    if not labels:
        return []
    return [label["name"] if isinstance(label, dict) else str(label) for label in labels]


def commit_times(item: dict[str, Any], what: str) -> tuple[datetime | None, datetime | None]:
    return (timestamp(item.get("authored_date"), what, "authored_date"),
            timestamp(item.get("committed_date") or item.get("created_at"), what,
                      "committed_date"))


def merge_request_commit(repo: str, iid: int, item: dict[str, Any]
                         ) -> records.MergeRequestCommit:
    what = f"a commit of merge request !{iid} of {repo}"
    authored, committed = commit_times(item, what)
    return records.MergeRequestCommit(repo=repo, mr_iid=iid, sha=_sha(_field(item, "id", what)),
                                      authored_at=authored, committed_at=committed,
                                      message=item.get("message"))


def merge_request_note(repo: str, iid: int, item: dict[str, Any]) -> records.MergeRequestNote:
    what = f"a note of merge request !{iid} of {repo}"
    return records.MergeRequestNote(
        repo=repo, mr_iid=iid, note_id=int(_field(item, "id", what)),
        note_type=item.get("type"), is_system=bool(item.get("system", False)),
        author_username=_username(item.get("author")), body=item.get("body"),
        created_at=_required_time(item, "created_at", what),
        updated_at=timestamp(item.get("updated_at"), what, "updated_at"),
    )


def issue(repo: str, item: dict[str, Any]) -> records.Issue:
    what = f"issue #{item.get('iid')} of {repo}"
    return records.Issue(
        repo=repo,
        iid=int(_field(item, "iid", what)),
        issue_id=int(_field(item, "id", what)),
        title=item.get("title") or "",
        description=item.get("description") or None,
        author_username=_username(item.get("author")),
        state=_field(item, "state", what),
        issue_type=item.get("issue_type"),
        labels=tuple(_label_names(item.get("labels"))),
        created_at=_required_time(item, "created_at", what),
        updated_at=_required_time(item, "updated_at", what),
        closed_at=timestamp(item.get("closed_at"), what, "closed_at"),
    )
