-- Bookkeeping of applied migrations (warehouse/migrations.py).

-- name: migrations_table_exists
select count(*) > 0
from duckdb_tables()
where database_name = current_database()
  and schema_name = 'meta'
  and table_name = 'schema_migrations';

-- name: create_migrations_table
create schema if not exists meta;
create table if not exists meta.schema_migrations (
    version     integer primary key,
    name        varchar not null,
    applied_at  timestamptz not null
);
comment on table meta.schema_migrations is 'Migrations (warehouse/migrations/NNN_name.sql) applied to this file, one row per migration, each written in the transaction that applied it.';
comment on column meta.schema_migrations.version is 'Migration number NNN from the file name; applied in increasing order.';
comment on column meta.schema_migrations.name is 'Rest of the migration file name, e.g. raw_github for 001_raw_github.sql.';
comment on column meta.schema_migrations.applied_at is 'When (UTC) the migration was applied to this file.';

-- name: applied_migrations
select version, name
from meta.schema_migrations
order by version;

-- name: record_migration
insert into meta.schema_migrations (version, name, applied_at)
values ($version, $name, current_timestamp);
