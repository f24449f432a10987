// Slash-command benchmark: 50 concurrent signed `/kpi win_rate` requests against crm-pulse's HTTP
// receiver (Bolt, signature checked), answering from the Maven CRM data on SQLite, with a fake
// Slack Web API on loopback receiving the answers and the chart uploads. It reports the ack latency
// (HTTP 200 back to "Slack"; Slack's limit is 3 s) and the time to the full answer with its chart
// in the user's DM. The baseline, in the same child, is a bare Bolt app on the same HTTP receiver
// whose /kpi listener only acks: what Bolt's signature check and routing cost on their own.
// Runs in a child process so that its peak RSS is its own.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchRow, type BenchCaseResult } from './bench-row.ts';

const REQUESTS = 50;
const SECRET = 'bench-signing-secret';

/** What one run measured. */
export interface SlashResult {
  requests: number;
  ackMs: number[];
  fullMs: number[];
  /** the same concurrent requests to a bare Bolt app that only acks */
  bareAckMs: number[];
  failures: number;
  peakRssMb: number;
}

/** Runs the benchmark in a child process. */
export function runSlashBench(): SlashResult {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child'], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, LOG_LEVEL: 'silent' } });
  if (child.status !== 0) throw new Error(`slash bench failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as SlashResult;
}

/** The report lines. */
export function slashBenchReport(r: SlashResult): string {
  const q = quantile;
  return [
    `slash commands: ${r.requests} concurrent signed "/kpi win_rate" requests to the HTTP receiver (Maven CRM on SQLite, fake Slack on loopback)`,
    `  ack (HTTP 200 to Slack)          p50 ${q(r.ackMs, 50).toFixed(0).padStart(5)} ms   p99 ${q(r.ackMs, 99).toFixed(0).padStart(5)} ms   (Slack allows 3,000 ms)`,
    `  full answer with its chart       p50 ${q(r.fullMs, 50).toFixed(0).padStart(5)} ms   p95 ${q(r.fullMs, 95).toFixed(0).padStart(5)} ms`,
    `  baseline: bare Bolt app, ack only   p50 ${q(r.bareAckMs, 50).toFixed(0).padStart(5)} ms   p99 ${q(r.bareAckMs, 99).toFixed(0).padStart(5)} ms   (same receiver and signature check, same ${r.requests} concurrent requests)`,
    `  ratio: p99 ack ${(q(r.ackMs, 99) / q(r.bareAckMs, 99)).toFixed(2)}x the bare Bolt app's, and ${((q(r.ackMs, 99) / 3000) * 100).toFixed(1)}% of Slack's 3 s budget; failures ${r.failures}; peak RSS ${r.peakRssMb.toFixed(0)} MB`,
  ].join('\n');
}

/** The percentile `p` of a list of milliseconds. */
function quantile(xs: number[], p: number): number {
  return [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
}

/** The case for `npm run bench`: p99 ack against the bare Bolt app, the full answer, and the detail lines. */
export function slashBenchCase(): BenchCaseResult {
  const r = runSlashBench();
  const fails = r.failures ? `, ${r.failures} FAILED` : '';
  const rows = [
    benchRow({ case: 'slash', measured: `/kpi ack p99, ${r.requests} concurrent signed requests${fails}`, unit: 'ms', value: quantile(r.ackMs, 99), baseline: 'bare Bolt app, ack only', baselineValue: quantile(r.bareAckMs, 99), peakRssMb: r.peakRssMb }),
    benchRow({ case: 'slash', measured: `/kpi full answer with chart p95 (ack limit 3,000 ms)`, unit: 'ms', value: quantile(r.fullMs, 95), peakRssMb: r.peakRssMb }),
  ];
  return { rows, detail: slashBenchReport(r), raw: r };
}

async function child(): Promise<void> {
  const { createApp } = await import('../src/app.ts');
  const { readEnv } = await import('../src/config/env.ts');
  const { silentLogger } = await import('../src/lib/logger.ts');
  const { commandService } = await import('../src/commands/command-service.ts');
  const { createSlackApp } = await import('../src/slack/slack-app.ts');
  const { renderChartPng } = await import('../src/slack/slack-context.ts');
  const { startFakeSlack } = await import('../test/helpers/fake-slack.ts');
  const { commandBody, sendSigned } = await import('../test/helpers/slack-requests.ts');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');

  const dir = mkdtempSync(join(tmpdir(), 'crm-pulse-slash-'));
  const slack = await startFakeSlack();
  const app = await createApp(readEnv({ DATABASE_URL: `file:${join(dir, 'bench.db')}`, CRM_PULSE_CONFIG: '' }), silentLogger());
  await app.ingest('maven-crm');
  const now = await app.asOf();
  const services = { commands: commandService(app), alerts: app.alerts, config: app.config.config, log: silentLogger(), now: async () => now, chartPng: renderChartPng };
  const bot = createSlackApp(readEnv({ SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0' }), services, { botId: 'BBOT', botUserId: 'UBOT' });
  const { port } = await bot.start();
  const url = `http://127.0.0.1:${port}/slack/events`;
  // One warm-up request, so that the first measured one does not pay for module loading.
  await sendSigned(url, commandBody('win_rate', { user: 'UWARM', responseUrl: `${slack.url}/response/warm` }), { secret: SECRET });
  await waitFor(() => slack.messages.some((m) => m.channel === 'DUWARM' && m.files));

  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: REQUESTS }, async (_, i) => {
      const t0 = performance.now();
      const res = await sendSigned(url, commandBody('win_rate', { user: `U${i}`, responseUrl: `${slack.url}/response/${i}` }), { secret: SECRET });
      const ackMs = performance.now() - t0;
      const ok = await waitFor(() => slack.responses.some((r) => r.path === `/response/${i}`) && slack.messages.some((m) => m.channel === `DU${i}` && m.files), 60_000);
      return { ackMs, fullMs: performance.now() - t0, ok: ok && res.status === 200 };
    }),
  );
  void started;
  await bot.stop();
  const bareAckMs = await bareBolt(slack.apiUrl, sendSigned, commandBody, slack.url);
  await slack.close();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
  const out: SlashResult = {
    requests: REQUESTS,
    ackMs: results.map((r) => r.ackMs),
    fullMs: results.map((r) => r.fullMs),
    bareAckMs,
    failures: results.filter((r) => !r.ok).length,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

/** The baseline: the same concurrent requests to a Bolt app whose /kpi listener only acks. */
async function bareBolt(
  apiUrl: string,
  sendSigned: typeof import('../test/helpers/slack-requests.ts').sendSigned,
  commandBody: typeof import('../test/helpers/slack-requests.ts').commandBody,
  slackUrl: string,
): Promise<number[]> {
  const { App } = await import('@slack/bolt');
  const app = new App({ token: 'xoxb-bench', signingSecret: SECRET, clientOptions: { slackApiUrl: apiUrl }, tokenVerificationEnabled: false });
  app.command('/kpi', async ({ ack }) => ack());
  const server = (await app.start(0)) as import('node:http').Server;
  const url = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}/slack/events`;
  await sendSigned(url, commandBody('win_rate', { user: 'UWARM', responseUrl: `${slackUrl}/response/bare-warm` }), { secret: SECRET });
  const ms = await Promise.all(
    Array.from({ length: REQUESTS }, async (_, i) => {
      const t0 = performance.now();
      const res = await sendSigned(url, commandBody('win_rate', { user: `U${i}`, responseUrl: `${slackUrl}/response/bare-${i}` }), { secret: SECRET });
      if (res.status !== 200) throw new Error(`[bench] [slash] the bare Bolt app answered ${res.status}`);
      return performance.now() - t0;
    }),
  );
  await app.stop();
  return ms;
}

async function waitFor(check: () => boolean, ms = 30_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

if (process.argv.includes('--child')) await child();
