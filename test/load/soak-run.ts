// The soak: one bot process (fixtures/soak-bot.ts: `crm-pulse start` on SQLite with the Maven CRM
// data, HTTP receiver, a sped-up clock) runs its scheduled jobs (a weekly sync, evaluation every 6
// hours and delivery every hour of its clock, woken every second) while this process sends it
// signed `/kpi` commands through the HTTP receiver and plays Slack (test/helpers/fake-slack.ts).
// The bot's RSS is read from /proc every few seconds. Errors are counted from every side: the bot's
// error log lines, commands not acknowledged with 200 or never answered, Slack API errors the bot
// counted (/metrics), failed ticks, outbox rows that failed, a notification posted twice, and the
// bot's exit code. Used by the short soak test
// (test/load/soak.test.ts) and by `npm run bench soak` (bench/soak.ts).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Sqlite from 'better-sqlite3';
import { startFakeSlack } from '../helpers/fake-slack.ts';
import { commandBody, sendSigned } from '../helpers/slack-requests.ts';

const BOT = fileURLToPath(new URL('./fixtures/soak-bot.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SECRET = 'soak-signing-secret';
/** The bot's clock runs through this span of the Maven data in a 10-minute soak. */
const VIRTUAL_FROM = Date.parse('2017-01-01T00:00:00Z');
const VIRTUAL_TO = Date.parse('2017-12-31T00:00:00Z');
/** The commands sent in turn: answers with charts, breakdowns, explanations, lists and status. */
const COMMANDS = [
  'win_rate',
  'won_revenue last month by office',
  'why won_revenue last month',
  'avg_deal_size this quarter by product',
  'alerts',
  'status',
  'sales_cycle_days last 8 weeks',
  'help',
];

/** How long and how hard to soak. */
export interface SoakOptions {
  /** wall time of the measured part, after the bot is up */
  readonly seconds: number;
  /** samples before this many seconds are warm-up, left out of the flatness figures */
  readonly warmupSeconds: number;
  readonly sampleEverySeconds: number;
  readonly commandEveryMs: number;
  /** the bot's clock: where it starts (default 2017-01-01) and how many days it moves a wall minute (default 36.4, a year in 10 minutes) */
  readonly virtualStart?: string;
  readonly virtualDaysPerMinute?: number;
  /** progress lines to stderr */
  readonly progress?: (line: string) => void;
}

/** One RSS reading of the bot process. */
export interface RssSample {
  /** seconds since the bot was up */
  readonly t: number;
  readonly rssMb: number;
}

/** What a soak measured. */
export interface SoakResult {
  readonly seconds: number;
  readonly samples: RssSample[];
  /** medians of the first and last third of the samples after warm-up, and the change between them */
  readonly firstThirdMb: number;
  readonly lastThirdMb: number;
  readonly growthPct: number;
  readonly peakRssMb: number;
  readonly commands: { sent: number; acked: number; answered: number };
  /** evaluation, delivery and sync ticks run, from the bot's /metrics and Slack */
  readonly evaluations: number;
  readonly syncs: number;
  readonly notificationsPosted: number;
  readonly virtualDays: number;
  /** every error seen, each as one line; the count must be 0 */
  readonly errors: string[];
}

/** The bot's config: the Maven CRM source, rules that fire and resolve over 2017, fast schedules. */
function soakConfig(): string {
  const data = join(ROOT, 'data/demo/maven-crm');
  return `timezone: UTC
sources:
  maven-crm:
    kind: csv
    files:
      - { object: accounts, path: ${data}/accounts.csv, key: account, columns: { name: account, sector: sector, country: office_location } }
      - { object: products, path: ${data}/products.csv, key: product, columns: { name: product, series: series, list_price: sales_price } }
      - { object: owners, path: ${data}/sales_teams.csv, key: sales_agent, columns: { name: sales_agent, manager: manager, office: regional_office } }
      - object: deals
        path: ${data}/sales_pipeline.csv
        key: opportunity_id
        columns:
          stage: deal_stage
          status: { from: deal_stage, map: { Won: won, Lost: lost }, other: open }
          product: { from: product, map: { GTXPro: GTX Pro } }
          owner: sales_agent
          account: account
          engaged_at: engage_date
          closed_at: close_date
          amount: close_value
schedules:
  sync: { maven-crm: '0 3 * * 1' }
  evaluate: '0 */6 * * *'
  deliver_every: 1h
  catch_up: latest
alerts:
  channels: ['#crm-alerts']
  routes:
    - { severity: critical, channels: ['#revenue-leadership'] }
  rules:
    won_revenue_drop:
      kpi: won_revenue
      grain: month
      conditions:
        - { type: change, vs: previous, measure: percent, drop: { warning: 30, critical: 45 } }
    win_rate_by_office:
      kpi: win_rate
      grain: month
      by: office
      conditions:
        - { type: threshold, below: { warning: 0.64, critical: 0.6, recover: 0.65 } }
    deal_size_by_owner:
      kpi: avg_deal_size
      grain: week
      by: owner
      conditions:
        - { type: anomaly, window: 8, direction: both, sensitivity: 3 }
    won_revenue_weekly_by_product:
      kpi: won_revenue
      grain: week
      by: product
      repeat: 2d
      conditions:
        - { type: change, vs: previous, measure: percent, drop: { warning: 50, critical: 70 } }
`;
}

/** Resident set size of a process in MB, from /proc (Linux). */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(/\d+/.exec(line ?? '')?.[0] ?? NaN) / 1024;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** A counter's total over its label sets in Prometheus text, optionally only lines containing `having`. */
function metricSum(text: string, name: string, having = ''): number {
  return text
    .split('\n')
    .filter((l) => (l.startsWith(`${name} `) || l.startsWith(`${name}{`)) && l.includes(having))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

/**
 * Runs the soak and returns what it measured; never throws for what the bot did wrong, so the
 * caller sees every error. Takes `seconds` plus the start-up (data load, ~10 s) and shutdown.
 * @example const r = await runSoak({ seconds: 600, warmupSeconds: 60, sampleEverySeconds: 10, commandEveryMs: 2000 });
 */
export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const say = o.progress ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'crm-pulse-soak-'));
  const slack = await startFakeSlack();
  const errors: string[] = [];
  const config = join(dir, 'crm-pulse.yaml');
  writeFileSync(config, soakConfig());
  const dbFile = join(dir, 'soak.db');
  // By default the 10-minute soak's pace for any shorter run (a tick of each kind every few
  // seconds); a longer run is slowed down so that its clock still ends within the data.
  const from = o.virtualStart ? Date.parse(o.virtualStart) : VIRTUAL_FROM;
  const speed = o.virtualDaysPerMinute ? (o.virtualDaysPerMinute * 86_400_000) / 60_000 : (VIRTUAL_TO - from) / (Math.max(o.seconds, 600) * 1000);
  const bot = spawn(process.execPath, ['--import', 'tsx', BOT], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: `file:${dbFile}`,
      CRM_PULSE_CONFIG: config,
      SLACK_BOT_TOKEN: 'xoxb-soak-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      LOG_LEVEL: 'warn',
      SOAK_SPEED: String(speed),
      SOAK_START: new Date(from).toISOString(),
      SOAK_FIRE_MS: '1000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderrRest = '';
  bot.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  bot.stderr.on('data', (d: Buffer) => {
    const text = stderrRest + d.toString('utf8');
    const lines = text.split('\n');
    stderrRest = lines.pop()!;
    for (const l of lines) {
      // warn lines (level 40) are expected events, such as a held alert; error and fatal are errors.
      if (l.trim() && !/"level":(10|20|30|40)\b/.test(l)) errors.push(`bot log: ${l.slice(0, 400)}`);
    }
  });
  const exited = new Promise<number | null>((resolve) => bot.on('exit', (code) => resolve(code)));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = /HTTP on port (\d+)/.exec(stdout);
        if (m) {
          clearInterval(timer);
          resolve(Number(m[1]));
        } else if (bot.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`soak: the bot exited with ${bot.exitCode} before it was up: ${errors.join('\n')}`));
        }
      }, 100);
    });
    say(`soak: bot up on port ${port} (pid ${bot.pid}), ${o.seconds} s, clock ×${Math.round(speed)}`);
    const url = `http://127.0.0.1:${port}`;
    const up = Date.now();
    const samples: RssSample[] = [];
    const sample = () => samples.push({ t: Math.round((Date.now() - up) / 100) / 10, rssMb: Math.round(rssMb(bot.pid!) * 10) / 10 });
    sample();
    const sampler = setInterval(() => {
      sample();
      const s = samples.at(-1)!;
      if (samples.length % Math.max(1, Math.round(60 / o.sampleEverySeconds)) === 0)
        say(`soak: ${s.t.toFixed(0)} s, RSS ${s.rssMb.toFixed(0)} MB, ${sent} commands, ${errors.length} errors`);
    }, o.sampleEverySeconds * 1000);
    let sent = 0;
    let acked = 0;
    const pending: Promise<void>[] = [];
    const send = async (i: number) => {
      const text = COMMANDS[i % COMMANDS.length]!;
      const user = `U${i % 5}`;
      const res = await sendSigned(`${url}/slack/events`, commandBody(text, { user, responseUrl: `${slack.url}/response/${i}` }), { secret: SECRET });
      if (res.status === 200) acked++;
      else errors.push(`command ${i} "${text}": HTTP ${res.status} ${res.text.slice(0, 200)}`);
    };
    while (Date.now() - up < o.seconds * 1000) {
      const i = sent++;
      pending.push(send(i).catch((error: unknown) => void errors.push(`command ${i}: ${(error as Error).message}`)));
      await new Promise((r) => setTimeout(r, o.commandEveryMs));
    }
    await Promise.all(pending);
    // Every command gets an answer at its response_url; give the last ones time to arrive.
    const answeredAll = () => new Set(slack.responses.map((r) => r.path)).size >= sent;
    for (const until = Date.now() + 60_000; !answeredAll() && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
    clearInterval(sampler);
    sample();
    const answeredPaths = new Set(slack.responses.map((r) => r.path));
    for (let i = 0; i < sent; i++)
      if (!answeredPaths.has(`/response/${i}`)) errors.push(`command ${i} "${COMMANDS[i % COMMANDS.length]}": no answer at its response_url`);
    for (const r of slack.responses) {
      const text = JSON.stringify(r.body);
      if (text.includes(':warning:')) errors.push(`answer ${r.path}: ${text.slice(0, 300)}`);
    }
    // Nothing twice: every alert post carries its outbox dedup key.
    const seen = new Map<string, number>();
    for (const m of slack.messages) {
      const key = m.metadata?.event_payload.dedup_key;
      if (typeof key === 'string') seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    for (const [key, n] of seen) if (n > 1) errors.push(`notification ${key} posted ${n} times`);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const evaluations = metricSum(metrics, 'crm_pulse_alert_evaluation_seconds_count', 'outcome="ok"');
    const failedEvaluations = metricSum(metrics, 'crm_pulse_alert_evaluation_seconds_count', 'outcome="failed"');
    if (failedEvaluations) errors.push(`${failedEvaluations} evaluation ticks failed (/metrics)`);
    const syncs = metricSum(metrics, 'crm_pulse_sync_runs_total', 'status="succeeded"');
    const failedSyncs = metricSum(metrics, 'crm_pulse_sync_runs_total', 'status="failed"');
    if (failedSyncs) errors.push(`${failedSyncs} sync runs failed (/metrics)`);
    const slackErrors = metricSum(metrics, 'crm_pulse_slack_api_errors_total');
    if (slackErrors)
      errors.push(
        `${slackErrors} Slack API errors (/metrics): ${metrics
          .split('\n')
          .filter((l) => l.startsWith('crm_pulse_slack_api_errors_total{'))
          .join('; ')}`,
      );
    const virtualDays = Math.round(((Date.now() - up) * speed) / 86_400_000);
    bot.kill('SIGTERM');
    const code = await exited;
    if (code !== 0) errors.push(`the bot exited with ${code}`);
    const db = new Sqlite(dbFile, { readonly: true });
    try {
      for (const row of db.prepare(`SELECT "status", COUNT(*) AS n FROM "alert_outbox" WHERE "status" IN ('failed', 'dropped') GROUP BY "status"`).all() as {
        status: string;
        n: number;
      }[]) {
        errors.push(`${row.n} alert notifications ${row.status}`);
      }
    } finally {
      db.close();
    }
    const measured = samples.filter((s) => s.t >= o.warmupSeconds);
    const third = Math.max(1, Math.floor(measured.length / 3));
    const firstThirdMb = median(measured.slice(0, third).map((s) => s.rssMb));
    const lastThirdMb = median(measured.slice(-third).map((s) => s.rssMb));
    return {
      seconds: o.seconds,
      samples,
      firstThirdMb,
      lastThirdMb,
      growthPct: ((lastThirdMb - firstThirdMb) / firstThirdMb) * 100,
      peakRssMb: Math.max(...samples.map((s) => s.rssMb)),
      commands: { sent, acked, answered: answeredPaths.size },
      evaluations,
      syncs,
      notificationsPosted: slack.messages.filter((m) => m.channel.startsWith('C') && !m.thread_ts).length,
      virtualDays,
      errors,
    };
  } finally {
    if (bot.exitCode === null) bot.kill('SIGKILL');
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
