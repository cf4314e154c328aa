"""Pure functions from GitHub Actions run and release JSON to the connector's records.

Same conventions as `normalize.py`: every field is read through `shape.ApiObject`, so a
malformed object raises MalformedObject naming the object and the field.
"""

from __future__ import annotations

from typing import Any

from connectors.github.records import Release, WorkflowRun
from connectors.github.shape import ApiObject, MalformedObject


def workflow_run(repo: str, raw: Any) -> WorkflowRun:
    """A run from the `workflow_runs` of GET /repos/{o}/{r}/actions/runs."""
    obj = ApiObject(raw, "workflow run")
    return WorkflowRun(
        repo=repo,
        run_id=obj.id(),
        workflow_id=obj.id("workflow_id") if obj.raw.get("workflow_id") is not None else None,
        name=obj.text("name", required=False),
        path=obj.text("path", required=False),
        head_branch=obj.text("head_branch", required=False),
        head_sha=obj.text("head_sha"),
        event=obj.text("event", required=False),
        status=obj.text("status"),
        conclusion=obj.text("conclusion", required=False),
        run_attempt=obj.count("run_attempt") if obj.raw.get("run_attempt") is not None else None,
        actor_login=obj.login("actor"),
        created_at=obj.time("created_at"),
        run_started_at=obj.time("run_started_at", required=False),
        updated_at=obj.time("updated_at"),
        payload=obj.raw,
    )


def release(repo: str, raw: Any, sha: str | None = None) -> Release:
    """A release from GET /repos/{o}/{r}/releases; `sha` is its tag's commit, if resolved."""
    obj = ApiObject(raw, "release")
    return Release(
        repo=repo,
        release_id=obj.id(),
        tag_name=obj.text("tag_name"),
        name=obj.text("name", required=False),
        draft=obj.flag("draft"),
        prerelease=obj.flag("prerelease"),
        target_commitish=obj.text("target_commitish", required=False),
        sha=sha,
        author_login=obj.login("author"),
        created_at=obj.time("created_at"),
        published_at=obj.time("published_at", required=False),
        payload=obj.raw,
    )


def tag_object(raw: Any, kind: str) -> tuple[str, str]:
    """(type, sha) of the `object` of a git ref or annotated tag answer (`type` is commit for a
    lightweight tag, tag for an annotated one)."""
    obj = ApiObject(raw, kind, None)
    target = obj.child("object")
    if target is None:
        raise MalformedObject(f"{kind}: field 'object' is missing, expected an object")
    return target.text("type"), target.text("sha")
