// Local mode (the prompt of `crm-pulse start`, and `crm-pulse ask`) answers the forecast and the
// predictive CLV questions in Chinese and English, and writes their charts as real PNGs. The CLV
// figures are checked against predictClv (whose fit reproduces the published CDNOW parameters,
// clv-cdnow.test.ts); the forecast's figures are checked in test/answers/forecast-command.test.ts,
// here only that local mode answers it, in the asked language, with its chart.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { progressBars } from '../../src/cli/progress-bars.ts';
import { runCli, type CliIo } from '../../src/cli/run-cli.ts';
import { readEnv } from '../../src/config/env.ts';
import { predictClv } from '../../src/kpi/clv/predict-clv.ts';
import { startLocal } from '../../src/cli/start-local.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { pngStats } from '../charts/png-stats.ts';
import { tempSqlite, type TestDatabase } from '../helpers/databases.ts';
import { tempFiles } from '../helpers/import.ts';
import { ordersCsv, SOURCE } from '../kpi/clv-shop-fixture.ts';

function terminal(tty: boolean) {
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  stdin.isTTY = tty;
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (c) => (out += c));
  stderr.resume();
  return { io: { env: {}, stdin, stdout, stderr } as unknown as CliIo, stdin, output: () => out };
}

const n0 = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 0 });

async function expectPng(file: string): Promise<void> {
  const png = await pngStats(readFileSync(file));
  expect(png.format).toBe('png');
  expect(png.width).toBeGreaterThan(800);
  expect(Math.max(...png.stdev)).toBeGreaterThan(10);
}

describe('local mode: forecasts and predictive CLV, in Chinese and English', () => {
  let db: TestDatabase;
  let dir: string;
  let app: App;
  let out: string;
  beforeAll(async () => {
    db = tempSqlite();
    dir = tempFiles({ 'orders.csv': ordersCsv() });
    writeFileSync(join(dir, 'crm-pulse.yaml'), `${SOURCE}\nslack: { locale: zh }\n`);
    app = await createApp(
      readEnv({ DATABASE_URL: db.url, CRM_PULSE_CONFIG: join(dir, 'crm-pulse.yaml'), CRM_PULSE_NOTIFICATIONS: join(dir, 'n.jsonl') }),
      silentLogger(),
    );
    expect((await app.ingest('shop')).every((r) => r.status === 'succeeded')).toBe(true);
    out = mkdtempSync(join(tmpdir(), 'crm-pulse-out-'));
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await db?.drop();
    rmSync(out, { recursive: true, force: true });
  });

  it('the prompt answers 预测, 预测终身价值 and 流失风险客户 with their charts', async () => {
    const expected = await predictClv(app.db, { asOf: new Date('2024-11-30T23:59:59.999Z') });
    const { io, stdin, output } = terminal(true);
    const done = startLocal(app, { asOf: '2024-11-30', io, bars: progressBars(io.stderr), outDir: out });
    stdin.write('预测 订单数 未来4周\n');
    stdin.write('预测终身价值\n');
    stdin.write('/kpi 流失风险客户\n');
    stdin.end('quit\n');
    expect(await done).toBe(0);
    const text = output();
    expect(text).toContain('订单数：未来 4 周预测');
    expect(text).toContain(`未来 12 个月预测终身价值：${n0(expected.total)} · 120 位客户 · 截至 2024-11-30`);
    expect(text).toContain(`流失风险客户：${expected.atRisk.flagged} 位存活概率 < 50.0% · 截至 2024-11-30`);
    const pngs = [...text.matchAll(/📈 (\S+\.png)/g)].map((m) => m[1]!);
    expect(pngs).toHaveLength(3);
    expect(pngs[0]).toMatch(/forecast-订单数-/);
    expect(pngs[2]).toMatch(/clv-流失风险客户-2024-11-30\.png$/);
    for (const file of pngs) await expectPng(file);
  }, 120_000);

  it('crm-pulse ask answers forecast, clv_predicted and customers at risk in English', async () => {
    const env = { DATABASE_URL: db.url, CRM_PULSE_CONFIG: join(dir, 'crm-pulse.yaml'), LOG_LEVEL: 'silent', CRM_PULSE_NOTIFICATIONS: join(dir, 'n.jsonl') };
    const expected = await predictClv(app.db, { asOf: new Date('2024-11-30T23:59:59.999Z') });
    const ask = async (...words: string[]) => {
      const t = terminal(false);
      expect(await runCli(['ask', ...words, '--locale', 'en', '--as-of', '2024-11-30', '--out', join(out, 'en')], { ...t.io, env } as CliIo)).toBe(0);
      return t.output();
    };
    expect(await ask('forecast', 'orders', 'next', '4', 'weeks')).toContain('Orders: forecast for the next 4 weeks');
    expect(await ask('clv_predicted')).toContain(`Predicted CLV, next 12 months: ${n0(expected.total)} · 120 customers · as of 2024-11-30`);
    expect(await ask('customers', 'at', 'risk')).toContain(`Customers at risk: ${expected.atRisk.flagged} with P(alive) < 50.0% · as of 2024-11-30`);
  }, 120_000);
});
