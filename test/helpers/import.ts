import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, parseConfig } from '../../src/config/load-config.ts';
import { csvConnector } from '../../src/ingest/connectors/csv.ts';
import { syncSource, type UnitResult } from '../../src/ingest/sync-source.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import type { Database } from '../../src/store/open-database.ts';

/** A temporary folder with files written from strings or buffers. */
export function tempFiles(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'crm-pulse-files-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}

/** Imports source `key` of a YAML config text, with files relative to `dir`, through the real path. */
export async function importYaml(db: Database, yaml: string, dir: string, key = 'crm'): Promise<UnitResult[]> {
  const config = parseConfig(yaml, 'test.yaml');
  const source = config.sources[key]!;
  return syncSource(
    { db, clock: fixedClock(new Date('2026-01-01T00:00:00Z')), log: silentLogger() },
    { key, kind: source.kind, name: key },
    csvConnector(source, dir),
  );
}

/** Imports one of the bundled demo sources (maven-crm, online-retail) through the real path. */
export async function importBundled(db: Database, key: 'maven-crm' | 'online-retail'): Promise<UnitResult[]> {
  const { config, dir } = loadConfig('/nonexistent/crm-pulse.yaml', { explicit: false });
  const source = config.sources[key]!;
  return syncSource(
    { db, clock: fixedClock(new Date('2026-01-01T00:00:00Z')), log: silentLogger() },
    { key, kind: source.kind, name: source.name ?? key },
    csvConnector(source, dir),
  );
}
