"""The SQL model files under models/sql/: what each one builds, read from its header.

Every model is one `.sql` file holding one SELECT. Its leading comment block is the contract
shown to users and read by the runner:

    -- marts.deployments: One row per production deployment ...   (name and description)
    --   ... more description lines ...
    -- grain: one row per (repo, deployment_id)
    -- materialized: table                                          (view or table)
    -- columns:
    --   team: team that owns the repository
    --   finished_at: when the deployment finished ...
    --     (deeper indentation continues the previous column's text)

The name in the header is authoritative (schema and table); the file name must equal the table,
so a file can be found from its warehouse address. Columns not documented in the header inherit
the text of the same-named column of an upstream model, so a thin model that passes columns
through does not repeat their documentation.

A conformed model (`-- conformed: <entity>`) is the source-neutral layer intermediates and marts
read. Its SELECT reads `per_source`: the union by name of every source's model of that entity,
`staging.stg_<source>_<entity>` (source: lowercase letters and digits), each with a `source`
column naming it. The union is generated from the models found, so a new source joins the
conformed layer by adding its staging files, without editing any conformed model; a column a
source cannot fill is NULL in its rows (union by name), and the conformed SELECT's column list
is the contract every source is read through.

A table model applies a rule's pattern as a constant, `getvariable('stg_meta_settings')
.revert_message_regex`, not from a joined settings row (see `rules_read`): the runner sets the
variable to that settings model's row while it builds the model.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any

from warehouse.engine_check import scratch_engine

SQL_ROOT = Path(__file__).resolve().parent / "sql"

_NAME_LINE = re.compile(r"^([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*):\s*(.*)$")
_DIRECTIVE = re.compile(r"^(grain|materialized|conformed|columns):\s*(.*)$")
_SOURCE_NAME = re.compile(r"^[a-z][a-z0-9]*$")
CONFORMED_INPUT = "per_source"  # the CTE a conformed model reads
# A table model reads a settings model's one row as constants through getvariable('<model>')
_RULES_READ = re.compile(r"getvariable\(\s*'([a-z_][a-z0-9_]*)'\s*\)")
_LINE_COMMENT = re.compile(r"--[^\n]*")
_COLUMN_LINE = re.compile(r"^  ([a-z_][a-z0-9_]*):\s*(.*)$")
_MATERIALIZATIONS = ("view", "table")


class ModelFileError(ValueError):
    """A model file's header or SQL cannot be understood; the message names the file."""


@dataclass(frozen=True)
class SqlModel:
    """One SQL model: a view or table in the warehouse built from one SELECT."""

    schema: str
    table: str
    path: Path
    materialization: str  # 'view' or 'table'
    description: str  # plain words, becomes the COMMENT ON of the object
    grain: str  # what one row is, appended to the object comment
    columns: dict[str, str]  # column name -> documentation, as written in the header
    select_sql: str  # the whole file: DuckDB ignores the header comment
    dependencies: frozenset[str]  # every schema.table the SELECT reads (models and raw tables)
    inherited_columns: dict[str, str] = field(default_factory=dict)  # docs from upstream models
    conformed: str = ""  # the entity a conformed model unions across sources; '' otherwise
    # staging settings models (one row each) the SELECT reads as constants, see `rules_read`
    rules_read: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # for a conformed model: the sources found, sorted

    @property
    def name(self) -> str:
        return f"{self.schema}.{self.table}"

    @property
    def key_path(self) -> list[str]:
        """[schema, table]: the Dagster asset key of this model."""
        return [self.schema, self.table]

    @property
    def dependency_key_paths(self) -> list[list[str]]:
        """[schema, table] of every object the model reads, sorted: the asset's deps."""
        return [name.split(".") for name in sorted(self.dependencies)]

    @property
    def comment(self) -> str:
        """The object comment: description, then the grain."""
        return f"{self.description} Grain: {self.grain}." if self.grain else self.description

    def column_doc(self, column: str) -> str | None:
        return self.columns.get(column) or self.inherited_columns.get(column)


def _header_lines(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].removeprefix(" ").rstrip())
    return lines


def _parse_header(path: Path, text: str) -> dict:
    lines = _header_lines(text)
    first = _NAME_LINE.match(lines[0]) if lines else None
    if first is None:
        raise ModelFileError(
            f"{path}: the first line must be '-- schema.table: description'; add that header"
        )
    schema, table, description = first.groups()
    parsed = {"schema": schema, "table": table, "description": [description], "grain": "",
              "materialized": "", "conformed": "", "columns": {}}
    section, last_column = "description", None
    for line in lines[1:]:
        directive = _DIRECTIVE.match(line)
        if directive:
            key, value = directive.groups()
            section = key
            if key != "columns":
                parsed[key] = value.strip()
            continue
        if section == "description":
            parsed["description"].append(line.strip())
        elif section == "grain":
            parsed["grain"] = f"{parsed['grain']} {line.strip()}".strip()
        elif section == "columns":
            column = _COLUMN_LINE.match(line)
            if column:
                last_column = column.group(1)
                parsed["columns"][last_column] = column.group(2).strip()
            elif line.startswith("    ") and last_column:
                parsed["columns"][last_column] += " " + line.strip()
            elif line.strip():
                raise ModelFileError(
                    f"{path}: column doc line '{line.strip()}' is not '  name: text'; "
                    "indent columns by two spaces and continuations by four"
                )
    return parsed


def read_dependencies(path: Path, sql: str) -> frozenset[str]:
    """Every schema-qualified table or view the SELECT reads (CTE names have no schema).

    Read by DuckDB's own parser (`json_serialize_sql`, the statement's syntax tree as JSON),
    the engine that runs the SQL: what it reads as a table is what the dependency graph holds,
    and it parses the 62 models in about a tenth of the time sqlglot took (0.14 s against
    1.2 s, measured at import of the Dagster definitions).
    """
    with scratch_engine() as parser:  # one session per process, shared by threads
        [(serialized,)] = parser.execute("select json_serialize_sql(?)", [sql]).fetchall()
    tables: set[str] = set()

    def note_table(node: dict[str, Any]) -> dict[str, Any]:
        # called for every object of the tree as it is decoded, innermost first
        if node.get("type") == "BASE_TABLE" and node.get("schema_name"):
            tables.add(f"{node['schema_name']}.{node['table_name']}".lower())
        return node

    tree = json.loads(serialized, object_hook=note_table)
    if tree.get("error"):
        raise ModelFileError(
            f"{path}: DuckDB cannot parse the SELECT ({tree.get('error_message')}"
            f"{', at character ' + tree['position'] if tree.get('position') else ''})"
        )
    return frozenset(tables)


def read_model(path: Path) -> SqlModel:
    text = path.read_text(encoding="utf-8")
    header = _parse_header(path, text)
    if header["table"] != path.stem:
        raise ModelFileError(
            f"{path}: header names table '{header['table']}' but the file is '{path.stem}.sql'; "
            "rename one so they match"
        )
    if header["materialized"] not in _MATERIALIZATIONS:
        raise ModelFileError(
            f"{path}: '-- materialized:' must be 'view' or 'table', "
            f"not '{header['materialized']}'"
        )
    sql = text.strip().removesuffix(";")
    rules = rules_read(path, sql, header["materialized"])
    return SqlModel(
        schema=header["schema"],
        table=header["table"],
        path=path,
        materialization=header["materialized"],
        description=" ".join(part for part in header["description"] if part),
        grain=header["grain"],
        columns=header["columns"],
        select_sql=sql,
        dependencies=read_dependencies(path, sql) | {f"staging.{name}" for name in rules},
        conformed=header["conformed"],
        rules_read=rules,
    )


def rules_read(path: Path, sql: str, materialization: str) -> tuple[str, ...]:
    """The settings models a SELECT reads through `getvariable('stg_meta_settings')`.

    A pattern read from a column is compiled by DuckDB for every row (the same revert rule
    over 200,000 commit messages: 8 s from a joined settings row, 0.02 s as a constant), so a
    model applying a rule reads its settings row as a constant: the runner sets the variable
    `stg_meta_settings` to that model's one row (a struct) before building, and the SQL reads
    `getvariable('stg_meta_settings').revert_message_regex`. Only a table may do so: a view is
    computed when it is queried, in a session where the variable is unset, and would silently
    match nothing.
    """
    names = tuple(sorted(set(_RULES_READ.findall(_LINE_COMMENT.sub("", sql)))))
    if names and materialization != "table":
        raise ModelFileError(
            f"{path}: reads getvariable('{names[0]}') but is materialized as a {materialization}; "
            "rules read as constants need '-- materialized: table' (a view would be computed "
            "in the reader's session, where the variable is unset)"
        )
    return names


def per_source_table(entity: str, source: str) -> str:
    """The staging model a source provides for a conformed entity."""
    return f"stg_{source}_{entity}"


def _conform(model: SqlModel, models: list[SqlModel]) -> SqlModel:
    """`model` with its SELECT reading the union of every source's model of its entity."""
    suffix = f"_{model.conformed}"
    sources = sorted(
        source
        for other in models
        if other.schema == "staging" and other.table.startswith("stg_")
        and other.table.endswith(suffix)
        and _SOURCE_NAME.match(source := other.table[len("stg_"):-len(suffix)])
    )
    if not sources:
        raise ModelFileError(
            f"{model.path}: no source provides the conformed entity '{model.conformed}'; "
            f"add staging.{per_source_table(model.conformed, '<source>')} for at least one"
        )
    # Source names are [a-z][a-z0-9]*, so they are safe as literals and identifiers.
    union = "\n    union all by name\n".join(
        f"    select '{source}' as source, * "
        f"from staging.{per_source_table(model.conformed, source)}"
        for source in sources
    )
    # The file's own SELECT (it may have its own WITH) runs as a subquery seeing the CTE.
    sql = f"with {CONFORMED_INPUT} as (\n{union}\n)\nselect * from (\n{model.select_sql}\n)"
    return replace(
        model, select_sql=sql, dependencies=read_dependencies(model.path, sql),
        sources=tuple(sources),
    )


def sort_models(models: list[SqlModel]) -> list[SqlModel]:
    """Models in dependency order (upstream first), ties broken by name for stable runs."""
    by_name = {model.name: model for model in models}
    graph = TopologicalSorter(
        {name: sorted(by_name[name].dependencies & by_name.keys()) for name in sorted(by_name)}
    )
    try:
        return [by_name[name] for name in graph.static_order()]
    except CycleError as error:
        cycle = " -> ".join(error.args[1])
        raise ModelFileError(f"SQL models read each other in a cycle: {cycle}") from None


def _with_inherited_docs(ordered: list[SqlModel]) -> list[SqlModel]:
    docs: dict[str, dict[str, str]] = {}
    result = []
    for model in ordered:
        inherited: dict[str, str] = {}
        for dependency in sorted(model.dependencies):
            for column, text in docs.get(dependency, {}).items():
                inherited.setdefault(column, text)
        docs[model.name] = {**inherited, **model.columns}
        result.append(replace(model, inherited_columns=inherited))
    return result


def discover_models(*roots: Path) -> list[SqlModel]:
    """Read every `.sql` file under the roots (default: models/sql), in dependency order, with
    inherited column docs and the conformed models' unions over the sources found."""
    paths = [path for root in (roots or (SQL_ROOT,)) for path in sorted(Path(root).rglob("*.sql"))]
    models = [read_model(path) for path in paths]
    seen: dict[str, Path] = {}
    for model in models:
        if model.name in seen:
            raise ModelFileError(
                f"{model.path}: builds {model.name}, which {seen[model.name]} builds too; "
                "rename one of them"
            )
        seen[model.name] = model.path
    models = [_conform(m, models) if m.conformed else m for m in models]
    return _with_inherited_docs(sort_models(models))
