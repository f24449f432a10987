#!/usr/bin/env node
// Writes one Prisma schema per database from prisma/models.prisma and generates a client for
// each. A Prisma schema names exactly one provider, so SQLite and PostgreSQL each get their own
// header around the same models. Runs offline: engineType "client" needs no engine download.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const models = readFileSync(join(root, 'prisma/models.prisma'), 'utf8');

// The URLs are literal placeholders: the CLI must validate the schema without env, and the
// application always connects through a driver adapter with the real URL.
const providers = {
  sqlite: { provider: 'sqlite', url: 'file:./placeholder.db' },
  pg: { provider: 'postgresql', url: 'postgresql://placeholder@127.0.0.1:5432/placeholder' },
};

for (const [dir, { provider, url }] of Object.entries(providers)) {
  const header = `// GENERATED from prisma/models.prisma by scripts/prisma-generate.mjs. Do not edit.

generator client {
  provider     = "prisma-client"
  output       = "../../src/store/generated/${dir}"
  engineType   = "client"
  moduleFormat = "esm"
}

datasource db {
  provider = "${provider}"
  url      = "${url}"
}
`;
  const file = join(root, 'prisma', dir, 'schema.prisma');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${header}\n${models}`);
  if (!process.argv.includes('--schemas-only')) {
    execFileSync(process.execPath, [join(root, 'node_modules/prisma/build/index.js'), 'generate', '--schema', file], {
      stdio: ['ignore', 'ignore', 'inherit'],
      cwd: root,
      env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
    });
  }
}
