-- DokVault database roles: a DDL role that owns the schema objects and runs
-- Alembic (DATABASE_MIGRATE_URL), and a DML-only role the app and workers use
-- (DATABASE_URL). A bug or an injection in the app can then read and change
-- rows, but never create, alter or drop tables.
--
-- Run as a superuser, with every variable set:
--
--   psql -v ON_ERROR_STOP=1 -d postgres \
--        -v dbname=dokvault \
--        -v migrate_user=dokvault_migrate -v migrate_password=... \
--        -v app_user=dokvault_app -v app_password=... \
--        -f deploy/postgres/roles.sql
--
-- Idempotent: roles and the database are created when missing; running it
-- again resets the passwords and re-applies the grants (also to tables that
-- already exist). Works on PostgreSQL 15 and 17.

\set ON_ERROR_STOP on

-- Every variable is required; psql would otherwise send the literal ":'name'".
\if :{?dbname}
\else
DO $$BEGIN RAISE EXCEPTION 'roles.sql: set -v dbname=<database>'; END$$;
\endif
\if :{?migrate_user}
\else
DO $$BEGIN RAISE EXCEPTION 'roles.sql: set -v migrate_user=<role>'; END$$;
\endif
\if :{?migrate_password}
\else
DO $$BEGIN RAISE EXCEPTION 'roles.sql: set -v migrate_password=<password>'; END$$;
\endif
\if :{?app_user}
\else
DO $$BEGIN RAISE EXCEPTION 'roles.sql: set -v app_user=<role>'; END$$;
\endif
\if :{?app_password}
\else
DO $$BEGIN RAISE EXCEPTION 'roles.sql: set -v app_password=<password>'; END$$;
\endif

SELECT :'app_password' = '' OR :'migrate_password' = '' AS empty_password,
       :'app_user' = :'migrate_user' AS same_role,
       EXISTS (
           SELECT FROM pg_roles
           WHERE rolname IN (:'app_user', :'migrate_user') AND rolsuper
       ) AS names_superuser
\gset
\if :empty_password
DO $$BEGIN RAISE EXCEPTION 'roles.sql: the passwords must not be empty'; END$$;
\endif
\if :same_role
DO $$BEGIN RAISE EXCEPTION 'roles.sql: app_user and migrate_user must differ'; END$$;
\endif
-- The ALTER ROLE below would strip a superuser (e.g. "postgres") of its rights.
\if :names_superuser
DO $$BEGIN RAISE EXCEPTION 'roles.sql: app_user/migrate_user name an existing superuser'; END$$;
\endif

-- Roles ------------------------------------------------------------------------
-- Variables are not expanded inside DO blocks, so "create if missing" is a
-- generated statement run by \gexec.
SELECT format('CREATE ROLE %I', :'migrate_user')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'migrate_user')
\gexec
SELECT format('CREATE ROLE %I', :'app_user')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_user')
\gexec

SELECT format(
    'ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION '
    'NOBYPASSRLS INHERIT PASSWORD %L',
    :'migrate_user', :'migrate_password')
\gexec
SELECT format(
    'ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION '
    'NOBYPASSRLS INHERIT PASSWORD %L',
    :'app_user', :'app_password')
\gexec

-- Database ---------------------------------------------------------------------
-- The postgres image creates POSTGRES_DB itself; elsewhere we create it here.
SELECT format('CREATE DATABASE %I', :'dbname')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'dbname')
\gexec

-- Only the two DokVault roles (and superusers) may connect.
REVOKE ALL ON DATABASE :"dbname" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"dbname" TO :"migrate_user";
GRANT CONNECT ON DATABASE :"dbname" TO :"app_user";

-- Schema privileges and default privileges live inside the database.
\connect :"dbname"

-- The search's indexes (migration 0008): GIN over plain columns, and trigrams of field
-- values. Trusted extensions, but creating them needs rights on the database the
-- migrate role lacks.
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- PostgreSQL 15+ already denies this; older clusters upgraded in place do not.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO :"migrate_user";
GRANT USAGE ON SCHEMA public TO :"app_user";

-- Tables and sequences the migrate role creates from now on (Alembic).
ALTER DEFAULT PRIVILEGES FOR ROLE :"migrate_user" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_user";
ALTER DEFAULT PRIVILEGES FOR ROLE :"migrate_user" IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO :"app_user";

-- Tables that already exist when the script is run again after migrations.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_user";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_user";
