// PostgreSQL goes away under a running bot: a TCP proxy between the app and the server is cut,
// then restored. While it is down /kpi keeps answering, through the signed Slack request path,
// with "storage unavailable" in the user's language and /healthz says 503; once it is back both
// work again without a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../src/config/env.ts';
import { commandService } from '../../src/answers/command-service.ts';
import { messages } from '../../src/answers/messages.ts';
import { CrmPulseError } from '../../src/lib/errors.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createSlackApp, type SlackApp } from '../../src/slack/slack-app.ts';
import { renderChartPng } from '../../src/charts/render-chart.ts';
import { healthCheck } from '../../src/store/health-check.ts';
import { alertFixture, at, DROP_RULES } from '../alerts/alert-fixture.ts';
import { tempPostgres } from '../helpers/databases.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { actionBody, commandBody, sendSigned } from '../helpers/slack-requests.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

const EN = messages('en');
const ZH = messages('zh');

const SECRET = 'outage-signing-secret';
let proxy: TcpProxy;
let slack: FakeSlack;
let bot: SlackApp;
let events: string;
let healthz: string;
let f: Awaited<ReturnType<typeof alertFixture>>;
let n = 0;

beforeAll(async () => {
  const real = await tempPostgres();
  proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
  const viaProxy = new URL(real.url);
  viaProxy.port = String(proxy.port);
  f = await alertFixture(`${DROP_RULES}\nslack:\n  admins: [U0ADMIN]\n  user_locales: { U0ZH: zh }\n`, {
    database: { url: viaProxy.toString(), drop: real.drop },
  });
  slack = await startFakeSlack({ channels: { alerts: 'C0ALERTS', leads: 'C0LEADS' } });
  const env = readEnv({ SLACK_BOT_TOKEN: 'xoxb-outage', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0' });
  const services = {
    commands: commandService(f.app),
    alerts: f.app.alerts,
    config: f.app.config.config,
    log: silentLogger(),
    now: async () => at('2024-04-01T09:00:00Z'),
    chartPng: renderChartPng,
    health: () => healthCheck(f.app.db),
  };
  bot = createSlackApp(env, services, { botId: 'BBOT', botUserId: 'UBOT' });
  const { port } = await bot.start();
  events = `http://127.0.0.1:${port}/slack/events`;
  healthz = `http://127.0.0.1:${port}/healthz`;
});
afterAll(async () => {
  await bot?.stop();
  await slack?.close();
  proxy?.restore();
  await f?.close();
  await proxy?.close();
});

/** Sends a signed /kpi and waits for its answer on response_url; returns the answer's text. */
async function kpi(text: string, user = 'U0ADMIN'): Promise<string> {
  return String((await kpiAnswer(text, user)).text);
}

/** Sends a signed /kpi and waits for its answer on response_url: the whole message. */
async function kpiAnswer(text: string, user = 'U0ADMIN'): Promise<Record<string, unknown>> {
  const path = `/response/outage-${++n}`;
  const res = await sendSigned(events, commandBody(text, { user, responseUrl: `${slack.url}${path}` }), { secret: SECRET });
  expect(res.status).toBe(200);
  for (;;) {
    const answer = slack.responses.find((r) => r.path === path);
    if (answer) return answer.body;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Presses Acknowledge on alert 1 as `user`, signed; returns what response_url received. */
async function button(user: string): Promise<string> {
  const path = `/response/outage-button-${++n}`;
  const res = await sendSigned(
    events,
    actionBody({ type: 'button', action_id: 'alert_ack', value: '1' }, { user, channel: 'C0ALERTS', ts: '1.1', responseUrl: `${slack.url}${path}` }),
    { secret: SECRET },
  );
  expect(res.status).toBe(200);
  for (;;) {
    const answer = slack.responses.find((r) => r.path === path);
    if (answer) return String(answer.body.text);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function health(): Promise<{ status: number; body: { ok: boolean; database: string; error?: string } }> {
  const res = await fetch(healthz);
  return { status: res.status, body: (await res.json()) as { ok: boolean; database: string; error?: string } };
}

describe('PostgreSQL unavailable for a while', () => {
  it('answers normally while the database is up', async () => {
    expect(JSON.stringify(await kpiAnswer('won_revenue 2024-03 by region'))).toMatch(/West.*40/);
    expect((await health()).status).toBe(200);
  });

  it('keeps answering /kpi with "storage unavailable", in English and Chinese, and /healthz says 503', async () => {
    proxy.cut();
    const before = proxy.accepted;
    expect(await kpi('won_revenue 2024-03 by region')).toBe(`⚠️ ${EN.storageUnavailable}`);
    expect(await kpi('alerts')).toBe(`⚠️ ${EN.storageUnavailable}`);
    expect(await kpi('won_revenue 2024-03', 'U0ZH')).toBe(`⚠️ 出错了：${ZH.storageUnavailable}`);
    // A usage mistake needs no database and is still answered as one.
    expect(await kpi('won_revenu')).toContain('won_revenue');
    // A button pressed meanwhile is answered too, in the presser's language (issue 13, defect 9).
    expect(await button('U0ADMIN')).toBe(`⚠️ ${EN.storageUnavailable}`);
    expect(await button('U0ZH')).toBe(`⚠️ 出错了：${ZH.storageUnavailable}`);
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body.ok).toBe(false);
    expect(down.body.database).toBe('unreachable');
    expect(down.body.error).toMatch(
      /^\[store\] storage unavailable: the database at postgres:\/\/postgres@127\.0\.0\.1:\d+\/crm_pulse_t_\w+ did not answer \(\w+\)$/,
    );
    // The app did try to reconnect rather than giving up after the first failure.
    expect(proxy.accepted).toBeGreaterThan(before);
  });

  it('the store reports the outage as a retryable storage error, never a raw driver error', async () => {
    const error = await f.app.status().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CrmPulseError);
    expect((error as CrmPulseError).code).toBe('storage');
    expect((error as CrmPulseError).retryable).toBe(true);
    expect((error as CrmPulseError).message).toContain('crm-pulse reconnects by itself when it is back');
  });

  it('recovers by itself when PostgreSQL is back: the next command and /healthz work', async () => {
    proxy.restore();
    expect(JSON.stringify(await kpiAnswer('won_revenue 2024-03 by region'))).toMatch(/West.*40/);
    expect(await kpi('won_revenue 2024-03', 'U0ZH')).not.toContain(ZH.storageUnavailable);
    const up = await health();
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ ok: true, database: 'ok' });
  });
});
