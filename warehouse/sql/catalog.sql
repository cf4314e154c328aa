-- Questions about the warehouse's own catalog (keys, comments, columns, file path).
-- Every query is limited to the current database, so attached files and temp tables don't leak in.

-- name: primary_keys
select schema_name || '.' || table_name as qualified_name, constraint_column_names
from duckdb_constraints()
where database_name = current_database()
  and constraint_type = 'PRIMARY KEY';

-- name: relations
-- Tables and views of the listed schemas, with their COMMENT ON text.
select schema_name, table_name as relation_name, 'table' as kind, comment
from duckdb_tables()
where database_name = current_database() and list_contains($schemas, schema_name)
union all
select schema_name, view_name, 'view', comment
from duckdb_views()
where database_name = current_database() and not internal
  and list_contains($schemas, schema_name)
order by schema_name, relation_name;

-- name: columns
-- Columns of the tables and views of the listed schemas, in declared order.
select schema_name, table_name as relation_name, column_name, comment
from duckdb_columns()
where database_name = current_database() and list_contains($schemas, schema_name)
order by schema_name, relation_name, column_index;

-- name: database_path
select path
from duckdb_databases()
where database_name = current_database();

-- name: publishable_tables
-- Every base table of the current database with its CREATE statement and comment, in
-- dependency-free order (tables only: views are never published, the copy holds their rows).
select schema_name, table_name, sql, comment
from duckdb_tables()
where database_name = current_database() and not temporary
order by schema_name, table_name;

-- name: table_column_comments
-- Column comments of one table, in declared order.
select column_name, comment
from duckdb_columns()
where database_name = current_database() and schema_name = $schema and table_name = $table
order by column_index;

-- name: relation_kind
-- 'table' or 'view' for one relation of the current database; no row when it does not exist.
select 'table' as kind
from duckdb_tables()
where database_name = current_database() and schema_name = $schema and table_name = $name
union all
select 'view'
from duckdb_views()
where database_name = current_database() and not internal
  and schema_name = $schema and view_name = $name;

-- name: relation_columns
-- The columns of one table or view and their types, in declared order.
select column_name, data_type
from duckdb_columns()
where database_name = current_database() and schema_name = $schema and table_name = $name
order by column_index;

-- name: relation_kinds
-- 'table' or 'view' for every relation of the current database (as relation_kind, for all).
select schema_name, table_name, 'table' as kind
from duckdb_tables()
where database_name = current_database()
union all
select schema_name, view_name, 'view'
from duckdb_views()
where database_name = current_database() and not internal;

-- name: all_relation_columns
-- Every column of every table and view of the current database with its type, in declared
-- order per relation (as relation_columns, for all).
select schema_name, table_name, column_name, data_type
from duckdb_columns()
where database_name = current_database()
order by schema_name, table_name, column_index;
