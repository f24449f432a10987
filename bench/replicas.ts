// Replicas benchmark: one cold alert tick on PostgreSQL, done by two bot replicas that share it
// (src/alerts/share-tick.ts: one work item per KPI and breakdown, claimed with SKIP LOCKED) against
// the same tick done by one replica alone, through the same code. The data is the bundled demo
// (Maven B2B deals: 35 sales agents) loaded once into a template database; the rules are a prefix
// of bench/evaluate.ts's 1,000 rules by sales agent (`--rules`, default 100), at the end of the
// B2B data. Each run copies the template (CREATE DATABASE … TEMPLATE), so every tick is cold (series
// go pending and firing, episodes and notifications are written), and the one- and two-replica runs
// take turns. A run's time is from the moment the replicas fire to the tick's lease being done, on
// the tick holder's clock. Each run checks that every work item was done exactly once (done, epoch 1)
// and that both sides queue the same notifications.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { stringify } from 'yaml';
import type { Calendar } from '../src/domain/period.ts';
import { benchRow, median, type BenchCaseResult } from './bench-row.ts';
import { generateRules, NOW } from './evaluate.ts';

const ADMIN_URL = process.env.CRM_PULSE_BENCH_PG ?? process.env.CRM_PULSE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const TEMPLATE = 'crm_pulse_bench_replicas';
const CAL: Calendar = { timeZone: 'UTC', fiscalYearStartMonth: 1 };
/** The tick: the evaluation cron's minute at the end of the B2B data. */
const TICK = '2017-12-31T12:00:00.000Z';
/** Time for a replica process to start (tsx, the app, its pool) before the replicas fire together. */
const START_MS = 40_000;

/** One side of one run. */
export interface ReplicaRun {
  readonly replicas: 1 | 2;
  readonly ms: number;
  readonly items: number;
  /** items done by each replica */
  readonly itemsBy: number[];
  /** CPU of each replica process during the tick (the database server's is not counted) */
  readonly cpuMs: number[];
  readonly notifications: number;
  readonly loadAverage1m: number;
}

/** What the replicas case measured. */
export interface ReplicasBenchResults {
  readonly rules: number;
  readonly cpus: number;
  readonly runs: ReplicaRun[];
}

/** Runs the case: `runs` turns of one replica then two, each on a fresh copy of the demo data. */
export async function runReplicasBench(runs = 3, rules = 100): Promise<ReplicasBenchResults> {
  const dir = mkdtempSync(join(tmpdir(), 'crm-pulse-bench-replicas-'));
  try {
    const config = join(dir, 'crm-pulse.yaml');
    await prepareTemplate(config, rules);
    const out: ReplicaRun[] = [];
    let golden: string[] | undefined;
    for (let i = 0; i < runs; i++) {
      for (const replicas of [1, 2] as const) {
        const run = await oneRun(config, replicas, `${TEMPLATE}_run`);
        golden ??= run.lines;
        if (JSON.stringify(run.lines) !== JSON.stringify(golden))
          throw new Error(`[bench] [replicas] ${replicas} replica(s) queued other notifications than the first run`);
        out.push(run.figures);
        console.error(`[bench] [replicas] run ${i + 1}, ${replicas} replica(s): ${run.figures.ms} ms, items by replica ${run.figures.itemsBy.join('+')}`);
      }
    }
    return { rules, cpus: availableParallelism(), runs: out };
  } finally {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The case for `npm run bench`: the two-replica tick against the one-replica tick of the same run. */
export async function replicasBenchCase(runs = 3, rules = 100): Promise<BenchCaseResult> {
  const results = await runReplicasBench(runs, rules);
  const ms = (n: 1 | 2) => median(results.runs.filter((r) => r.replicas === n).map((r) => r.ms));
  return {
    rows: [
      benchRow({
        case: 'replicas',
        measured: `cold tick, ${rules} rules, 2 replicas (PostgreSQL)`,
        unit: 's',
        value: ms(2) / 1000,
        baseline: '1 replica, same code',
        baselineValue: ms(1) / 1000,
      }),
    ],
    detail: replicasBenchReport(results),
    raw: results,
  };
}

/** The detail lines: every run, and the speed-up. */
export function replicasBenchReport(r: ReplicasBenchResults): string {
  const lines = [`replicas: one cold tick of ${r.rules} rules by sales agent on PostgreSQL (demo data), ${r.cpus} CPUs`];
  for (const run of r.runs) {
    lines.push(
      `  ${run.replicas} replica(s): ${run.ms} ms; ${run.items} items done once each (by replica: ${run.itemsBy.join(', ')}); replica CPU ${run.cpuMs.map((c) => Math.round(c)).join(' + ')} ms; ${run.notifications} notifications; load ${run.loadAverage1m.toFixed(1)}`,
    );
  }
  const ms = (n: 1 | 2) => median(r.runs.filter((x) => x.replicas === n).map((x) => x.ms));
  lines.push(`  speed-up (median one ÷ median two): ${(ms(1) / ms(2)).toFixed(2)}×`);
  return lines.join('\n');
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function dbUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The template database: migrated, the demo data loaded; and the config with the rules, read from it. */
async function prepareTemplate(config: string, count: number): Promise<void> {
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${TEMPLATE}`);
  });
  const { createApp } = await import('../src/app.ts');
  const { readEnv } = await import('../src/config/env.ts');
  const { silentLogger } = await import('../src/lib/logger.ts');
  const { kpiRegistry } = await import('../src/kpi/kpi-registry.ts');
  const { evaluateKpi } = await import('../src/kpi/evaluate-kpi.ts');
  const { judgedPeriod } = await import('../src/alerts/evaluate-rule.ts');
  writeFileSync(config, stringify({ timezone: 'UTC' }));
  const app = await createApp(readEnv({ DATABASE_URL: dbUrl(TEMPLATE), CRM_PULSE_CONFIG: config }), silentLogger());
  try {
    await app.ingestDemo();
    // Threshold levels from the data, as bench/evaluate.ts reads them from the scaled copy.
    const kpis = kpiRegistry()
      .all.filter((k) => Object.values(k.metrics).every((m) => m.entity === 'deals'))
      .map((k) => ({ key: k.key, direction: k.direction, countMetric: Object.entries(k.metrics).find(([, m]) => m.aggregate === 'count')?.[0] }));
    const values: Record<string, number[]> = {};
    for (const kpi of kpis) {
      for (const grain of ['month', 'week'] as const) {
        const series = await evaluateKpi(app.db, kpiRegistry().get(kpi.key), [judgedPeriod({ grain, period: 'complete' }, new Date(NOW), CAL)], CAL, {
          by: 'owner',
        });
        values[`${kpi.key}|${grain}`] = (series.points[0]?.breakdown ?? [])
          .map((b) => b.value)
          .filter((x): x is number => typeof x === 'number' && Number.isFinite(x))
          .sort((a, b) => a - b);
      }
    }
    const rules = Object.fromEntries(Object.entries(generateRules(kpis, values)).slice(0, count));
    const schedules = { evaluate: '0 12 * * *', deliver_every: '1h', catch_up: 'none', lease: '2m' };
    writeFileSync(
      config,
      `# Generated by bench/replicas.ts: ${count} rules by owner at ${NOW}\n${stringify({ timezone: 'UTC', schedules, alerts: { channels: ['#bench'], rules } })}`,
    );
  } finally {
    await app.close();
  }
}

/** One tick by `replicas` replica processes on a fresh copy of the template. */
async function oneRun(config: string, replicas: 1 | 2, name: string): Promise<{ figures: ReplicaRun; lines: string[] }> {
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`);
  });
  const url = dbUrl(name);
  try {
    const fireAt = Date.now() + START_MS;
    const child = new URL('./replica-child.ts', import.meta.url).pathname;
    const outs = await Promise.all(
      Array.from({ length: replicas }, (_, i) =>
        promisify(execFile)(process.execPath, ['--import', 'tsx', child], {
          env: { ...process.env, URL: url, CONFIG: config, TICK, FIRE_AT: String(fireAt), INSTANCE: `bench-${i}`, LOG_LEVEL: 'warn' },
          cwd: new URL('..', import.meta.url).pathname,
          maxBuffer: 16 << 20,
        }),
      ),
    );
    const results = outs.map((o) => JSON.parse(o.stdout.trim().split('\n').at(-1)!) as { holder: string; outcome: string; cpuMs: number; late: number });
    const late = Math.max(...results.map((r) => r.late));
    if (late > 0)
      throw new Error(`[bench] [replicas] a replica was ready ${late} ms after the others fired: the machine is too loaded for START_MS (${START_MS} ms)`);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const items = (await c.query<{ holder: string; state: string; epoch: number }>('SELECT "holder", "state", "epoch" FROM "tick_items"')).rows;
      if (items.length === 0 || items.some((i) => i.state !== 'done' || i.epoch !== 1))
        throw new Error(`[bench] [replicas] not every item was done exactly once: ${JSON.stringify(items)}`);
      // done_at is on the holder's clock, which read TICK + 10 ms at FIRE_AT.
      const lease = (
        await c.query<{ ms: string }>(
          `SELECT EXTRACT(EPOCH FROM "done_at" - "tick") * 1000 - 10 AS "ms" FROM "job_leases" WHERE "job" = 'evaluate' AND "done_at" IS NOT NULL`,
        )
      ).rows[0];
      if (!lease) throw new Error('[bench] [replicas] the tick was not finished');
      const lines = (
        await c.query<{ line: string }>(
          `SELECT e."rule" || ' ' || e."series_key" || ' ' || o."event" || ' ' || o."channel" AS "line" FROM "alert_outbox" o JOIN "alert_episodes" e ON e."id" = o."episode_id" ORDER BY 1`,
        )
      ).rows.map((r) => r.line);
      const ms = Math.round(Number(lease.ms));
      return {
        figures: {
          replicas,
          ms,
          items: items.length,
          itemsBy: results.map((r) => items.filter((i) => i.holder === r.holder).length),
          cpuMs: results.map((r) => r.cpuMs),
          notifications: lines.length,
          loadAverage1m: loadavg()[0]!,
        },
        lines,
      };
    } finally {
      await c.end();
    }
  } finally {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // `npx tsx bench/replicas.ts [runs] [rules]`: this case alone.
  const results = await runReplicasBench(Number(process.argv[2] ?? 3), Number(process.argv[3] ?? 100));
  console.log(replicasBenchReport(results));
}
