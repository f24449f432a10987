// The digest's "forecast against targets" lines on the Maven CRM data with the bundled targets,
// in English and Chinese. The expected shortfall and likelihood are computed here from the raw
// CSV with the forecasting module (checked against FPP's published fits elsewhere).
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { commandService } from '../../src/answers/command-service.ts';
import type { Reply, ReplyBlock } from '../../src/answers/reply.ts';
import { readEnv } from '../../src/config/env.ts';
import { forecastSeries, forecastSum } from '../../src/kpi/forecast/forecast-series.ts';
import { normalCdf } from '../../src/kpi/forecast/normal.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { tempSqlite, type TestDatabase } from '../helpers/databases.ts';

const pipeline = parse(readFileSync('data/demo/maven-crm/sales_pipeline.csv'), { columns: true }) as Record<string, string>[];
const won = pipeline.filter((d) => d.deal_stage === 'Won');
const revenue = (months: string[]) => months.map((m) => won.filter((d) => d.close_date!.startsWith(m)).reduce((s, d) => s + Number(d.close_value), 0));
const texts = (r: Reply) =>
  r.blocks
    .filter((b): b is Extract<ReplyBlock, { kind: 'text' }> => b.kind === 'text')
    .map((b) => b.text)
    .join('\n');

describe('the weekly digest says which KPIs are forecast to miss their targets', () => {
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

  it('won revenue against 3,200,000 for 2018-Q1, as of the end of the digest week 2017-W51', async () => {
    // The week ends on 24 December: November is the last complete month. December and Q1 are
    // forecast; Q1's total is the sum of its three monthly forecasts (steps 2–4).
    const months = [...new Set(won.map((d) => d.close_date!.slice(0, 7)))].sort().filter((m) => m <= '2017-11');
    const fc = forecastSeries(revenue(months), { horizon: 4, seasonPeriod: 12 });
    const q1 = forecastSum(fc, 1, 3);
    const missBy = ((3_200_000 - q1.mean) / 3_200_000) * 100;
    const likely = normalCdf((3_200_000 - q1.mean) / q1.sd!) * 100;
    expect(missBy).toBeGreaterThan(0); // the bundled target is out of reach: the line must appear

    const kpi = commandService(app);
    const now = new Date('2017-12-31T12:00:00Z');
    const en = await kpi.run('digest preview', { userId: 'U1', locale: 'en', isAdmin: false, now });
    expect(texts(en)).toContain(`*Forecast against targets*`);
    expect(texts(en)).toContain(`• Won revenue is forecast to miss 2018-Q1 by ${missBy.toFixed(0)}%, ${likely.toFixed(0)}% likely`);
    const zh = await kpi.run('周报 预览', { userId: 'U1', locale: 'zh', isAdmin: false, now });
    expect(texts(zh)).toContain(`• 赢单收入预计 2018-Q1 未达目标 ${missBy.toFixed(0)}%，可能性 ${likely.toFixed(0)}%`);
  });
});
