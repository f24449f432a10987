// The golden backtest: on the real Maven CRM data, the bundled rule "won revenue fell more than
// 30% month over month" must be in breach in exactly the months where that happened, computed
// here independently in SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { readEnv } from '../../src/config/env.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { tempSqlite, type TestDatabase } from '../helpers/databases.ts';

describe('golden backtest on the Maven CRM data', () => {
  let db: TestDatabase;
  let app: App;
  beforeAll(async () => {
    db = tempSqlite();
    app = await createApp(readEnv({ DATABASE_URL: db.url, CRM_PULSE_CONFIG: '' }), silentLogger());
    await app.ingest('maven-crm');
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('fires in exactly the months whose won revenue dropped more than 30% from the month before', async () => {
    // Deal dates are midnight UTC, the same calendar day in the config's Europe/London.
    const expected = await app.db.sql.all<{ month: string; rev: number; prev: number }>(`
      WITH m AS (
        SELECT strftime('%Y-%m', "closed_at") AS month, SUM("amount") AS rev
        FROM "deals" WHERE "status" = 'won' AND "closed_at" IS NOT NULL GROUP BY 1)
      SELECT cur.month, cur.rev, prev.rev AS prev FROM m cur
      JOIN m prev ON prev.month = strftime('%Y-%m', date(cur.month || '-01', '-1 month'))
      WHERE cur.rev < 0.7 * prev.rev ORDER BY cur.month`);
    expect(expected.length).toBeGreaterThan(0);

    const [report] = await app.alerts.backtest({ rule: 'won_revenue_drop' }, new Date('2016-10-01T00:00:00Z'), new Date('2018-01-01T12:00:00Z'));
    expect(report!.breaches.map((b) => b.period)).toEqual(expected.map((e) => e.month));
    // Each drop was followed by a better month, so each is one episode of one month.
    expect(report!.episodes.map((e) => [e.startPeriod, e.endPeriod])).toEqual(
      expected.map((e) => {
        const [y, m] = e.month.split('-').map(Number) as [number, number];
        const next = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7);
        return [e.month, next];
      }),
    );
    expect(report!.episodes.map((e) => e.peak)).toEqual(expected.map((e) => e.rev));
    expect(report!.episodes.map((e) => e.severity)).toEqual(expected.map((e) => (e.rev < 0.55 * e.prev ? 'critical' : 'warning')));
  });
});
