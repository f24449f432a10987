// Concurrent evaluations share a range in flight (issue 16: fifty /kpi answers at once): two
// answers about the same trend, asked at the same moment through the app's KPI cache, run its
// query once, and both get the values an evaluation without any cache gets. Counts queries; asserts no time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { readEnv } from '../../src/config/env.ts';
import { createKpiCache } from '../../src/kpi/kpi-cache.ts';
import { kpiReport, type KpiReportRequest } from '../../src/kpi/kpi-report.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { tempSqlite, type TestDatabase } from '../helpers/databases.ts';

let db: TestDatabase;
let app: App;
/** The record queries the KPI engine sent (one per metric and breakdown over all its ranges). */
const metricQueries: string[] = [];

beforeAll(async () => {
  db = tempSqlite();
  app = await createApp(readEnv({ DATABASE_URL: db.url, CRM_PULSE_CONFIG: '' }), silentLogger());
  await app.ingest('maven-crm');
  const all = app.db.sql.all.bind(app.db.sql);
  app.db.sql.all = ((sql: string, params?: never) => {
    if (sql.includes('FROM per JOIN "deals"')) metricQueries.push(sql);
    return all(sql, params);
  }) as typeof app.db.sql.all;
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('the KPI cache with evaluations in flight', () => {
  it('two concurrent reports of the same trend query each metric once, and equal a report without a cache', async () => {
    const kpi = app.kpis.get('win_rate');
    const request: KpiReportRequest = { grain: 'month', asOf: new Date('2017-09-30T12:00:00Z'), count: 12 };
    metricQueries.length = 0;
    const plain = await kpiReport(app.db, kpi, request, app.calendar);
    const alone = metricQueries.length;
    expect(alone).toBe(Object.keys(kpi.metrics).length);

    const cache = createKpiCache();
    metricQueries.length = 0;
    const [a, b] = await Promise.all([
      kpiReport(app.db, kpi, request, app.calendar, { cache: cache.view(app.db) }),
      kpiReport(app.db, kpi, { ...request, by: 'region' }, app.calendar, { cache: cache.view(app.db) }),
    ]);
    // The trend once for both, plus the breakdown of the second.
    expect(metricQueries.filter((q) => !q.includes('COALESCE')).length).toBe(alone);
    expect(cache.stats.computed).toBeGreaterThan(0);
    expect(cache.stats.reused).toBeGreaterThan(0);
    expect(a.rows).toEqual(plain.rows);
    expect(b.rows).toEqual(plain.rows);
    expect(b.breakdown?.length).toBeGreaterThan(0);
  });
});
