#!/usr/bin/env bash
# Writes the next migration for both engines from the change to prisma/models.prisma since the last
# commit: prisma/migrations/{sqlite,pg}/NNNN_<name>/migration.sql. Needs the PostgreSQL test server
# (Prisma's diff for PostgreSQL connects to one). Usage: npm run db:migrations -- <name>
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: npm run db:migrations -- <name>}
node scripts/prisma-generate.mjs
last=$(ls prisma/migrations/sqlite | sort | tail -1)
next=$(printf '%04d_%s' $((10#${last%%_*} + 1)) "$name")
tmp=$(mktemp -d)
for engine in sqlite pg; do
  # The previous models with this engine's header, from the committed models file.
  awk -v first="$(head -1 prisma/models.prisma)" '$0 == first { exit } { print }' "prisma/$engine/schema.prisma" > "$tmp/$engine.prisma"
  git show HEAD:prisma/models.prisma >> "$tmp/$engine.prisma"
  mkdir -p "prisma/migrations/$engine/$next"
done
npx prisma migrate diff --from-schema-datamodel "$tmp/sqlite.prisma" --to-schema-datamodel prisma/sqlite/schema.prisma --script \
  > "prisma/migrations/sqlite/$next/migration.sql"
PRISMA_CLI_DATABASE_URL=${PG_URL:-postgresql://postgres@127.0.0.1:5432/test} \
  npx prisma migrate diff --from-schema-datamodel "$tmp/pg.prisma" --to-schema-datamodel prisma/pg/schema.prisma --script \
  > "prisma/migrations/pg/$next/migration.sql"
rm -rf "$tmp"
echo "wrote prisma/migrations/{sqlite,pg}/$next"
