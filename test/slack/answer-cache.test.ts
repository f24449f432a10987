// /kpi answers cached by (command, as-of, data version) and shared while in flight (issue 16):
// the bot's wiring (app.offloadReads, app.dataVersion, commandService, answerCache) over a real
// SQLite store fed by real CSV syncs. Counts computations; asserts no time.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { commandService, type CommandService } from '../../src/answers/command-service.ts';
import type { CommandContext } from '../../src/answers/reply.ts';
import { readEnv } from '../../src/config/env.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { answerCache, startOfMinute } from '../../src/slack/answer-cache.ts';
import type { ChartInput } from '../../src/charts/chart-input.ts';
import { tempSqlite, type TestDatabase } from '../helpers/databases.ts';
import { tempFiles } from '../helpers/import.ts';

const CONFIG = `
sources:
  crm:
    kind: csv
    files:
      - object: owners
        path: owners.csv
        key: agent
        columns: { name: agent, manager: manager, office: office }
      - object: deals
        path: deals.csv
        key: id
        columns:
          stage: stage
          status: { from: stage, map: { Won: won, Lost: lost }, other: open }
          owner: agent
          amount: amount
          created_at: created
          closed_at: closed
`;
const OWNERS = 'agent,manager,office\nAnn,Mia,East\nBob,Mia,West\n';
const DEALS = [
  'id,stage,agent,amount,created,closed',
  'D1,Won,Ann,100,2017-02-01,2017-03-01',
  'D2,Lost,Bob,40,2017-02-01,2017-03-02',
  'D3,Won,Bob,200,2017-01-05,2017-02-10',
];
/** The same deals plus one more won in March 2017: March's won revenue goes from 100 to 100 + 250. */
const MORE_DEALS = [...DEALS, 'D4,Won,Ann,250,2017-02-15,2017-03-10'];

const ctx = (userId: string): CommandContext => ({ userId, locale: 'en', isAdmin: false, now: new Date('2017-03-31T12:00:00Z') });

let test: TestDatabase;
let dir: string;
let app: App;
let service: CommandService;
let runs = 0;
/** The command service, counting the answers it works out. */
const counted = () => ({ ...service, run: (text: string, c: CommandContext) => (runs++, service.run(text, c)) });

beforeAll(async () => {
  dir = tempFiles({ 'owners.csv': OWNERS, 'deals.csv': DEALS.join('\n'), 'crm-pulse.yaml': CONFIG });
  test = tempSqlite();
  app = await createApp(
    readEnv({ DATABASE_URL: test.url, CRM_PULSE_CONFIG: join(dir, 'crm-pulse.yaml') }),
    silentLogger(),
    fixedClock(new Date('2026-01-01T00:00:00Z')),
  );
  const results = await app.ingest('crm');
  expect(results.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
  app.offloadReads();
  service = commandService(app);
});
afterAll(async () => {
  await app?.close();
  await test?.drop();
});

describe('the answer cache', () => {
  it('serves a repeated command from the cache, and a sync that changes the data makes it work the answer out again', async () => {
    const cache = answerCache({ commands: counted(), dataVersion: () => app.dataVersion(), chartPng: async () => Buffer.alloc(0) });
    runs = 0;
    const first = await cache.run('won_revenue 2017-03', ctx('U1'));
    expect(first.kind).toBe('answer');
    expect(first.text).toContain('100');
    const again = await cache.run('  won_revenue   2017-03 ', ctx('U2'));
    expect(again).toBe(first);
    expect(runs).toBe(1);
    expect(cache.stats()).toMatchObject({ computations: 1, hits: 1 });

    const version = await app.dataVersion();
    expect(version).toMatch(/^sqlite:\d+$/);
    writeFileSync(join(dir, 'deals.csv'), MORE_DEALS.join('\n'));
    const synced = await app.ingest('crm');
    expect(synced.find((r) => r.object === 'deals')?.counts.inserted).toBe(1);
    expect(await app.dataVersion()).not.toBe(version);
    const after = await cache.run('won_revenue 2017-03', ctx('U1'));
    expect(runs).toBe(2);
    expect(after).not.toBe(first);
    expect(first.text).toBe('Won revenue · March 2017: 100');
    expect(after.text).toBe('Won revenue · March 2017: 350');
  });

  it('is invalidated by a target set with /kpi target (a stored record, not a sync)', async () => {
    const cache = answerCache({ commands: counted(), dataVersion: () => app.dataVersion(), chartPng: async () => Buffer.alloc(0) });
    runs = 0;
    const before = await cache.run('won_revenue 2017-03', ctx('U1'));
    await service.run('target won_revenue 1000 by 2017-06-30', { ...ctx('UADMIN'), isAdmin: true });
    const after = await cache.run('won_revenue 2017-03', ctx('U1'));
    expect(runs).toBe(2);
    expect(JSON.stringify(after.blocks)).toContain('1,000');
    expect(JSON.stringify(before.blocks)).not.toContain('1,000');
  });

  it('two identical commands in flight are worked out once, and their chart is rendered once', async () => {
    let pngs = 0;
    const cache = answerCache({ commands: counted(), dataVersion: () => app.dataVersion(), chartPng: async () => (pngs++, Buffer.from('png')) });
    runs = 0;
    const [a, b] = await Promise.all([cache.run('won_revenue 2017-02 by region', ctx('U1')), cache.run('won_revenue 2017-02 by region', ctx('U2'))]);
    expect(runs).toBe(1);
    expect(b).toBe(a);
    expect(cache.stats()).toMatchObject({ computations: 1, shared: 1 });
    const charts = a.blocks.flatMap((x) => (x.kind === 'chart' ? [x.chart as ChartInput] : []));
    expect(charts.length).toBeGreaterThan(0);
    await Promise.all([...charts, ...charts].map((c) => cache.chartPng(c)));
    expect(pngs).toBe(charts.length);
  });

  it('keys by the as-of and the language: another period, minute or locale is another answer; errors are not cached', async () => {
    const cache = answerCache({ commands: counted(), dataVersion: () => app.dataVersion(), chartPng: async () => Buffer.alloc(0), asOf: startOfMinute });
    runs = 0;
    await cache.run('won_revenue 2017-03', ctx('U1'));
    await cache.run('won_revenue 2017-03', { ...ctx('U1'), now: new Date('2017-03-31T12:00:59Z') });
    expect(runs).toBe(1);
    await cache.run('won_revenue 2017-03', { ...ctx('U1'), now: new Date('2017-03-31T12:01:00Z') });
    await cache.run('won_revenue 2017-03', { ...ctx('U1'), locale: 'zh' });
    await cache.run('won_revenue 2017-02', ctx('U1'));
    expect(runs).toBe(4);
    const unknown = await cache.run('won_revenu 2017-03', ctx('U1'));
    expect(unknown.kind).not.toBe('answer');
    await cache.run('won_revenu 2017-03', ctx('U1'));
    expect(runs).toBe(6);
  });

  it('answers share KPI values through the app KPI cache, and a late record into a closed month reaches the next answer', async () => {
    const cache = answerCache({ commands: counted(), dataVersion: () => app.dataVersion(), chartPng: async () => Buffer.alloc(0) });
    // February's won deals in the files: D3 (200) only.
    const before = await cache.run('won_revenue 2017-02 by office', ctx('U1'));
    expect(before.text).toBe('Won revenue · February 2017: 200');
    // A deal won on 2017-02-20 arrives late, after March's answers were given.
    writeFileSync(join(dir, 'deals.csv'), [...MORE_DEALS, 'D5,Won,Ann,75,2017-01-20,2017-02-20'].join('\n'));
    expect((await app.ingest('crm')).find((r) => r.object === 'deals')?.counts.inserted).toBe(1);
    // Another command (so not the answer cache) over the same February range as the first one.
    const after = await cache.run('won_revenue 2017-02 by manager', ctx('U1'));
    expect(after.text).toBe('Won revenue · February 2017: 275');
    const again = await cache.run('won_revenue 2017-02', ctx('U1'));
    expect(again.text).toBe('Won revenue · February 2017: 275');
  });

  it('stays within its bounds: the least recently used answer goes first', async () => {
    const cache = answerCache({ commands: counted(), dataVersion: () => app.dataVersion(), chartPng: async () => Buffer.alloc(0), maxEntries: 2 });
    runs = 0;
    for (const p of ['2017-01', '2017-02', '2017-03']) await cache.run(`won_revenue ${p}`, ctx('U1'));
    expect(cache.stats().entries).toBe(2);
    await cache.run('won_revenue 2017-03', ctx('U1'));
    expect(runs).toBe(3);
    await cache.run('won_revenue 2017-01', ctx('U1'));
    expect(runs).toBe(4);
  });
});
