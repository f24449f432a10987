// What reading commands and killed syncs leave behind, through the command line as a user runs it:
// `status` never creates storage, and a sync killed mid-run (a real process, SIGKILLed at a
// failpoint) is marked abandoned when the next run of its unit starts, not left running forever.
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { dealsCsv, SOURCE } from '../alerts/alert-fixture.ts';
import { runCliCaptured } from '../helpers/cli.ts';
import { tempSqlite } from '../helpers/databases.ts';
import { tempFiles } from '../helpers/import.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const db = tempSqlite();
afterAll(() => db.drop());

const cli = runCliCaptured;

/** The sync_runs rows, read straight from the SQLite file. */
function syncRuns(): { object: string; status: string; error: string | null }[] {
  const raw = new Sqlite(db.url.slice('file:'.length), { readonly: true });
  try {
    return raw.prepare('SELECT object, status, error FROM sync_runs ORDER BY id').all() as { object: string; status: string; error: string | null }[];
  } finally {
    raw.close();
  }
}

describe('storage', () => {
  it('status with DATABASE_URL in a folder that does not exist says so and creates neither folder nor database', async () => {
    const dir = tempFiles({});
    const url = `file:${join(dir, 'missing', 'deeper', 'crm.db')}`;
    const { code, err } = await cli(['status'], { DATABASE_URL: url });
    expect(code).toBe(2);
    expect(err).toContain(
      `[store] no database at ${join(dir, 'missing', 'deeper', 'crm.db')} (its folder does not exist either); this command only reads, so it creates none`,
    );
    expect(err).toContain('fix: check DATABASE_URL, or load data first: crm-pulse ingest --demo');
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });

  it('a sync killed mid-run is marked abandoned when the next run of the unit starts', async () => {
    const dir = tempFiles({ 'owners.csv': 'id,name,office\nann,Ann,West\nbob,Bob,East\n', 'deals.csv': dealsCsv() });
    writeFileSync(join(dir, 'crm-pulse.yaml'), SOURCE);
    const env = { DATABASE_URL: db.url, CRM_PULSE_CONFIG: join(dir, 'crm-pulse.yaml') };
    // A real `crm-pulse ingest crm`, killed (SIGKILL) in the middle of its first unit.
    const killed = await new Promise<string | null>((done) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'src/main.ts', 'ingest', 'crm'],
        { cwd: ROOT, env: { ...process.env, ...env, LOG_LEVEL: 'silent', CRM_PULSE_FAILPOINTS: 'sync:batch-committed@1' } },
        (error) => done(error?.signal ?? null),
      );
    });
    expect(killed).toBe('SIGKILL');
    const runs0 = syncRuns();
    expect(runs0.map((r) => [r.object, r.status])).toEqual([['owners', 'running']]);

    expect((await cli(['ingest', 'crm'], env)).code).toBe(0);
    const runs = syncRuns();
    expect(runs.filter((r) => r.status === 'running')).toEqual([]);
    expect(runs.filter((r) => r.status === 'abandoned')).toEqual([
      {
        object: 'owners',
        status: 'abandoned',
        error: '[ingest] abandoned: the process running it stopped before it finished; a later run started over from the saved cursor',
      },
    ]);
    expect(runs.filter((r) => r.status === 'succeeded').map((r) => r.object)).toEqual(['owners', 'deals']);
  });
});
