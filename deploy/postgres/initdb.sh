#!/usr/bin/env bash
# Creates DokVault's two database roles in the postgres image
# (mounted as /docker-entrypoint-initdb.d/10-dokvault-roles.sh, with
# roles.sql mounted at $DOKVAULT_ROLES_SQL). The image runs it once, when the
# data volume is empty. To re-apply grants or change passwords later:
#   docker compose exec postgres bash /docker-entrypoint-initdb.d/10-dokvault-roles.sh
#
# Environment (set on the postgres service):
#   POSTGRES_USER                  superuser that runs the script (image default: postgres)
#   POSTGRES_DB                    DokVault's database (created by the image)
#   DOKVAULT_DB_MIGRATE_USER       DDL role, owns the tables, runs Alembic (default: dokvault_migrate)
#   DOKVAULT_DB_MIGRATE_PASSWORD   its password (required)
#   DOKVAULT_DB_APP_USER           DML-only role for the app and workers (default: dokvault_app)
#   DOKVAULT_DB_APP_PASSWORD       its password (required)
#   DOKVAULT_ROLES_SQL             path of roles.sql (default: /opt/dokvault/roles.sql)
#
# The entrypoint sources this file when it is not executable, so nothing here
# may change its shell options beyond what it sets itself (-Eeo pipefail).
set -Eeo pipefail

dokvault_create_roles() {
    local superuser="${POSTGRES_USER:-postgres}"
    local database="${POSTGRES_DB:-$superuser}"
    psql --no-psqlrc --no-password -v ON_ERROR_STOP=1 \
        --username "$superuser" \
        --dbname "$database" \
        --set dbname="$database" \
        --set migrate_user="${DOKVAULT_DB_MIGRATE_USER:-dokvault_migrate}" \
        --set migrate_password="${DOKVAULT_DB_MIGRATE_PASSWORD:?DOKVAULT_DB_MIGRATE_PASSWORD is required}" \
        --set app_user="${DOKVAULT_DB_APP_USER:-dokvault_app}" \
        --set app_password="${DOKVAULT_DB_APP_PASSWORD:?DOKVAULT_DB_APP_PASSWORD is required}" \
        --file "${DOKVAULT_ROLES_SQL:-/opt/dokvault/roles.sql}"
    echo "dokvault: database roles ready in $database"
}

dokvault_create_roles
