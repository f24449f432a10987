// Exactly-once delivery across crashes: the CLI is killed with SIGKILL at points between
// evaluation and delivery (failpoints), restarted, and must end with every notification of a
// crash-free run delivered exactly once.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertFixture } from './alert-fixture.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const DAYS = ['2024-04-01', '2024-04-02', '2024-05-01', '2024-07-01'];

/** Runs `crm-pulse evaluate --as-of day` and resolves with its exit code or the signal that killed it. */
function evaluate(dir: string, db: string, day: string, failpoints = ''): Promise<string> {
  const env = {
    ...process.env,
    DATABASE_URL: `file:${db}`,
    CRM_PULSE_CONFIG: join(dir, 'crm-pulse.yaml'),
    CRM_PULSE_NOTIFICATIONS: join(dir, 'notifications.jsonl'),
    CRM_PULSE_FAILPOINTS: failpoints,
    LOG_LEVEL: 'silent',
  };
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin/crm-pulse.js'), 'evaluate', '--as-of', day], { env, cwd: ROOT }, (error) => {
      resolve(error ? (error.signal ?? `exit ${error.code}`) : 'ok');
    });
  });
}

/** The dedup keys in the notifications file, in order, with how often each appears. */
function delivered(dir: string): string[] {
  const file = join(dir, 'notifications.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { dedupKey: string }).dedupKey);
}

describe('a crash anywhere between evaluation and delivery loses nothing and sends nothing twice', () => {
  let dir: string;
  let pristine: string;
  beforeAll(async () => {
    const f = await alertFixture();
    dir = f.dir;
    pristine = join(dir, 'pristine.db');
    await f.app.close();
    copyFileSync(f.app.db.sqliteFile!, pristine);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the days in order, each first with the failpoints and, when killed, again without. */
  async function scenario(failpoints: string): Promise<{ keys: string[]; kills: number }> {
    const db = join(dir, 'run.db');
    for (const f of [db, `${db}-wal`, `${db}-shm`, join(dir, 'notifications.jsonl')]) rmSync(f, { force: true });
    copyFileSync(pristine, db);
    let kills = 0;
    for (const day of DAYS) {
      const first = await evaluate(dir, db, day, failpoints);
      if (first === 'SIGKILL') {
        kills++;
        expect(await evaluate(dir, db, day)).toBe('ok');
      } else expect(first).toBe('ok');
    }
    return { keys: delivered(dir), kills };
  }

  let expected: string[] = [];
  it('a run without crashes delivers firing, reminders and resolution once each', async () => {
    const { keys, kills } = await scenario('');
    expect(kills).toBe(0);
    expect(keys.map((k) => k.split(':')[1])).toEqual(['firing', 'firing', 'reminder', 'reminder', 'resolved', 'resolved', 'firing']);
    expect(new Set(keys).size).toBe(keys.length);
    expected = keys;
  });

  const points = ['tick:before-commit@1', 'tick:after-commit@1', 'deliver:after-send@1', 'deliver:after-send@2', 'tick:before-commit@1,deliver:after-send@1'];
  for (const failpoints of points) {
    it(`killed at ${failpoints}`, async () => {
      const { keys, kills } = await scenario(failpoints);
      expect(kills).toBeGreaterThan(0);
      expect(keys).toEqual(expected);
    });
  }
});
