#!/usr/bin/env bash
# Regenerates prisma/migrations/*/0001_init from prisma/models.prisma. Only valid while no
# database anywhere has applied 0001_init; after the first release, add numbered migrations.
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/prisma-generate.mjs
npx prisma migrate diff --from-empty --to-schema-datamodel prisma/sqlite/schema.prisma --script > prisma/migrations/sqlite/0001_init/migration.sql
PRISMA_CLI_DATABASE_URL=${PG_URL:-postgresql://postgres@127.0.0.1:5432/test} \
  npx prisma migrate diff --from-empty --to-schema-datamodel prisma/pg/schema.prisma --script > prisma/migrations/pg/0001_init/migration.sql
