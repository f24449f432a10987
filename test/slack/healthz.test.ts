import { afterEach, describe, expect, it } from 'vitest';
import { readEnv } from '../../src/config/env.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { createSlackApp, type SlackApp } from '../../src/slack/slack-app.ts';
import { type SlackServices } from '../../src/slack/slack-context.ts';
import { renderChartPng } from '../../src/charts/render-chart.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import type { Database } from '../../src/store/open-database.ts';
import { healthCheck } from '../../src/store/health-check.ts';
import { tempPostgres, tempSqlite, type TestDatabase } from '../helpers/databases.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';

describe('/healthz', () => {
  let bot: SlackApp | undefined;
  let test: MigratedDb | undefined;
  let db: Database | undefined;
  afterEach(async () => {
    await bot?.stop();
    await db?.close().catch(() => undefined);
    await test?.drop();
  });
  const serve = async (create: () => TestDatabase | Promise<TestDatabase>) => {
    test = await migratedDb(create);
    db = test.db;
    const env = readEnv({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: 'http://127.0.0.1:1/api/', PORT: '0' });
    const unused = () => Promise.reject(new Error('not used'));
    const services = {
      commands: {},
      alerts: {},
      config: parseConfig('sources: {}\n', 'x.yaml'),
      log: silentLogger(),
      now: unused,
      chartPng: renderChartPng,
      health: () => healthCheck(db!),
    } as unknown as SlackServices;
    bot = createSlackApp(env, services, { botId: 'BBOT', botUserId: 'UBOT' });
    const { port } = await bot.start();
    return `http://127.0.0.1:${port}/healthz`;
  };

  it('reports the database and the last successful sync of each source', async () => {
    const url = await serve(tempSqlite);
    const source = await db!.prisma.source.create({ data: { key: 'hubspot', kind: 'hubspot', name: 'HubSpot' } });
    const run = (status: string, endedAt: string) =>
      db!.prisma.syncRun.create({ data: { sourceId: source.id, object: 'deals', startedAt: new Date(endedAt), endedAt: new Date(endedAt), status } });
    await run('succeeded', '2024-03-31T01:00:00Z');
    await run('failed', '2024-03-31T02:00:00Z');
    await db!.prisma.source.create({ data: { key: 'salesforce', kind: 'salesforce', name: 'Salesforce' } });
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      ok: true,
      database: 'ok',
      sources: [
        { key: 'hubspot', name: 'HubSpot', lastSuccess: '2024-03-31T01:00:00.000Z' },
        { key: 'salesforce', name: 'Salesforce', lastSuccess: null },
      ],
    });
  });

  it('answers 503 when the database does not', async () => {
    const url = await serve(tempPostgres);
    await test!.drop(); // drops the database under the open connections
    const res = await fetch(url);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { ok: boolean; database: string; error: string };
    expect(body).toMatchObject({ ok: false, database: 'unreachable', sources: [] });
    expect(body.error).not.toBe('');
  });
});
