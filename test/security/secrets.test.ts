// Every secret crm-pulse is given is set to a recognizable canary, then as many code paths as a
// test can reach are run with them: config and env loading, HubSpot and Salesforce syncs through
// nock (with 401, 429 and 500 answers that echo the credentials back), alert cards to a fake Slack
// that fails in each of Slack's ways, signed /kpi commands and /healthz through the HTTP receiver,
// Socket Mode start-up, CLI errors, and the JSON and pretty logs at debug level. Nothing any of them
// writes (log lines, Slack bodies, replies, errors, stored runs, rejected rows, outbox errors,
// audit entries, CLI output) may contain a canary. Builds on test/ingest/connector-secrets.test.ts,
// which checks each connector alone.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { runCli, type CliIo } from '../../src/cli/run-cli.ts';
import { readEnv } from '../../src/config/env.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { healthCheck } from '../../src/store/health-check.ts';
import { createSlackApp } from '../../src/slack/slack-app.ts';
import { createSlackClient } from '../../src/slack/slack-client.ts';
import { slackNotifier } from '../../src/slack/slack-notifier.ts';
import { DROP_RULES } from '../alerts/alert-fixture.ts';
import { tempPostgres, type TestDatabase } from '../helpers/databases.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { tempFiles } from '../helpers/import.ts';
import { commandBody, sendSigned } from '../helpers/slack-requests.ts';
import { fakeHubspot, type FakeHubspot } from '../ingest/fakes/fake-hubspot.ts';
import { fakeSalesforce, type FakeSalesforce } from '../ingest/fakes/fake-salesforce.ts';
import { eventually } from './signed-bot.ts';
import { slackServices } from '../../src/app/slack-services.ts';

/** The secrets, each with a part no real text would hold. */
const CANARY = {
  SLACK_BOT_TOKEN: 'xoxb-CANARY1bot-7f3a1c9e',
  SLACK_APP_TOKEN: 'xapp-1-CANARY2app-2b9d4e71',
  SLACK_SIGNING_SECRET: 'CANARY3signing5e8c0d2f',
  HUBSPOT_TOKEN: 'pat-na1-CANARY4hubspot-91d2aa07',
  SALESFORCE_TOKEN: '00DCANARY5!sf.access.44aa9be1',
  SALESFORCE_CLIENT_ID: 'CANARY6clientid3MVG9lKcPo',
  SALESFORCE_CLIENT_SECRET: 'CANARY7clientsecret6b1f',
  SALESFORCE_REFRESH_TOKEN: 'CANARY8refresh_0c3e5Aep861',
} as const;
const DB_PASSWORD = 'CANARY9dbpass83e1';
const NOW = new Date('2024-04-01T09:00:00Z');

/** Every form a secret could leak in: as is, URL-encoded, and without its well-known prefix. */
function secretForms(extra: readonly string[] = []): string[] {
  // The OAuth client id (Salesforce's consumer key) is not a secret: OAuth sends it in the open,
  // in browser redirects, and crm-pulse may name it in errors.
  const values = [...Object.values(CANARY).filter((v) => v !== CANARY.SALESFORCE_CLIENT_ID), DB_PASSWORD, ...extra];
  return [...new Set(values.flatMap((v) => [v, encodeURIComponent(v), v.replace(/^(xoxb-|xapp-1-|pat-na1-|00D)/, '')]))];
}

/** Which secrets, if any, a text holds. */
const leaks = (text: string, forms: readonly string[]) => forms.filter((f) => text.includes(f));

/** A JSON and a pretty logger at debug level, with what each wrote. */
function capturing(format: 'json' | 'pretty'): { log: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger({ level: 'debug', format, colorize: false, destination }), lines };
}

/** Runs the CLI in-process with captured output. */
async function cli(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (out += c));
  const code = await runCli(argv, { env: { LOG_LEVEL: 'silent', ...env }, stdout, stderr, stdin: new PassThrough() } as unknown as CliIo);
  return { code, out };
}

const OWNERS = 'id,name,office\nann,Ann,West\nbob,Bob,East\n';
function dealsCsv(): string {
  const lines = ['id,status,amount,owner,engaged_at,closed_at'];
  let id = 0;
  for (let m = 1; m <= 3; m++) {
    const month = `2024-0${m}`;
    lines.push(`${++id},won,${m === 3 ? 40 : 100},ann,${month}-01,${month}-15`, `${++id},won,100,bob,${month}-01,${month}-15`);
  }
  return `${lines.join('\n')}\n`;
}

describe('secrets stay secret', () => {
  let pg: TestDatabase;
  let hubspot: FakeHubspot;
  let salesforce: FakeSalesforce;
  let slack: FakeSlack;
  let env: NodeJS.ProcessEnv;
  let app: App;
  const json = capturing('json');
  const pretty = capturing('pretty');
  /** every text crm-pulse produced, by where it went */
  const outputs: Record<string, string[]> = {};
  const record = (place: string, value: unknown) => void (outputs[place] ??= []).push(typeof value === 'string' ? value : JSON.stringify(value));

  beforeAll(async () => {
    // Bolt's and the Web API client's own loggers write to the console: capture that too.
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const)
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) =>
        record('console', args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' ')),
      );
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    pg = await tempPostgres();
    const dbUrl = new URL(pg.url);
    dbUrl.password = DB_PASSWORD;
    hubspot = fakeHubspot('https://api.hubapi.test', CANARY.HUBSPOT_TOKEN);
    salesforce = fakeSalesforce();
    Object.assign(salesforce, {
      clientId: CANARY.SALESFORCE_CLIENT_ID,
      clientSecret: CANARY.SALESFORCE_CLIENT_SECRET,
      refreshToken: CANARY.SALESFORCE_REFRESH_TOKEN,
    });
    slack = await startFakeSlack({ channels: { alerts: 'C0ALERTS', leads: 'C0LEADS' } });
    const dir = tempFiles({ 'owners.csv': OWNERS, 'deals.csv': dealsCsv() });
    writeFileSync(
      join(dir, 'crm-pulse.yaml'),
      `timezone: UTC
sources:
  crm:
    kind: csv
    files:
      - { object: owners, path: owners.csv, key: id, columns: { name: name, office: office } }
      - { object: deals, path: deals.csv, key: id, columns: { stage: status, status: status, amount: amount, owner: owner, engaged_at: engaged_at, closed_at: closed_at } }
  hs:
    kind: hubspot
    base_url: ${hubspot.base}
    objects: [owners, deals]
  sf:
    kind: salesforce
    objects: [User, Opportunity]
    refresh: { client_id_env: SALESFORCE_CLIENT_ID, client_secret_env: SALESFORCE_CLIENT_SECRET, refresh_token_env: SALESFORCE_REFRESH_TOKEN, token_url: '${salesforce.tokenUrl}' }
${DROP_RULES}
slack:
  admins: [U0ADMIN]
`,
    );
    env = {
      ...CANARY,
      DATABASE_URL: dbUrl.toString(),
      CRM_PULSE_CONFIG: join(dir, 'crm-pulse.yaml'),
      CRM_PULSE_NOTIFICATIONS: join(dir, 'n.jsonl'),
      SALESFORCE_INSTANCE_URL: salesforce.instanceUrl,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      LOG_LEVEL: 'debug',
    };
    app = await createApp(readEnv(env), json.log, fixedClock(NOW));
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await app?.close();
    await slack?.close();
    await pg?.drop();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('syncs HubSpot through a 500, a 429 and a 401, each echoing the token, without keeping it anywhere', async () => {
    const echo = `Bearer ${CANARY.HUBSPOT_TOKEN}`;
    hubspot.owners = [
      {
        id: '1',
        email: 'a@example.com',
        firstName: 'Ann',
        lastName: 'Lee',
        createdAt: '2024-01-01T00:00:00Z',
        updatedAt: '2024-01-01T00:00:00Z',
        archived: false,
        teams: [],
      },
    ];
    hubspot.objects.deals = [
      {
        id: '11',
        properties: { dealname: `leaked ${CANARY.HUBSPOT_TOKEN}`, dealstage: null, pipeline: 'default', hs_lastmodifieddate: '2024-03-01T00:00:00.000Z' },
        createdAt: '2024-03-01T00:00:00Z',
        updatedAt: '2024-03-01T00:00:00Z',
      },
      {
        id: '12',
        properties: { dealname: 'fine', dealstage: 'closedwon', pipeline: 'default', hs_lastmodifieddate: '2024-03-01T01:00:00.000Z' },
        createdAt: '2024-03-01T00:00:00Z',
        updatedAt: '2024-03-01T00:00:00Z',
      },
    ];
    hubspot.fail((r) => r.path.endsWith('/search'), { status: 500, body: { status: 'error', message: `upstream refused ${echo}` } });
    hubspot.fail((r) => r.path.startsWith('/crm/v3/owners'), {
      status: 429,
      headers: { 'retry-after': '0' },
      body: { status: 'error', message: `slow down, ${echo}`, errorType: 'RATE_LIMIT' },
    });
    const first = await app.ingest('hs');
    expect(first.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    hubspot.objects.deals[1]!.properties.hs_lastmodifieddate = '2024-03-02T00:00:00.000Z';
    hubspot.fail((r) => r.path.startsWith('/crm/v3/owners'), {
      status: 401,
      body: { status: 'error', message: `token ${CANARY.HUBSPOT_TOKEN} is expired`, category: 'INVALID_AUTHENTICATION' },
    });
    const second = await app.ingest('hs');
    expect(second[0]!.status).toBe('failed');
    record('sync results', [first, second]);
    record('cli', (await cli(['ingest', 'hs'], env)).out);
    expect(json.lines.some((l) => l.includes('retrying a request'))).toBe(true);
  });

  it('syncs Salesforce through an expired token, a refresh, a 500 and a failing refresh that echoes the client secret', async () => {
    salesforce.objects.User = [{ Id: '005A', Name: 'Ann Lee', SystemModstamp: '2024-01-01T00:00:00.000+0000' }];
    salesforce.objects.Opportunity = [
      {
        Id: '006A',
        IsDeleted: false,
        Name: `leaked ${CANARY.SALESFORCE_CLIENT_SECRET}`,
        StageName: null,
        IsClosed: false,
        IsWon: false,
        SystemModstamp: '2024-03-01T00:00:00.000+0000',
      },
    ];
    salesforce.fail((r) => r.path.includes('/query'), {
      status: 401,
      body: [{ message: `Session expired or invalid: ${CANARY.SALESFORCE_TOKEN}`, errorCode: 'INVALID_SESSION_ID' }],
    });
    salesforce.fail((r) => r.path.includes('/query'), {
      status: 500,
      body: [{ message: `internal error for ${CANARY.SALESFORCE_TOKEN}`, errorCode: 'UNKNOWN_EXCEPTION' }],
    });
    const first = await app.ingest('sf');
    expect(first.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    const renewed = salesforce.issued[0]!;
    salesforce.fail((r) => r.path.includes('/query'), { status: 401, body: [{ message: `bad session ${renewed}`, errorCode: 'INVALID_SESSION_ID' }] });
    salesforce.fail((r) => r.path.includes('oauth2'), {
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: `refresh_token=${CANARY.SALESFORCE_REFRESH_TOKEN}&client_secret=${CANARY.SALESFORCE_CLIENT_SECRET}&client_id=${CANARY.SALESFORCE_CLIENT_ID}`,
      },
    });
    const second = await app.ingest('sf');
    expect(second[0]!.status).toBe('failed');
    record('sync results', [first, second]);
    outputs.renewed = [renewed];
  });

  it('posts alert cards through a Slack that answers 500, 429, channel_not_found and invalid_blocks before it takes one', async () => {
    expect((await app.ingest('crm')).every((r) => r.status === 'succeeded')).toBe(true);
    await app.alerts.evaluate(NOW);
    const client = createSlackClient(readEnv({ SLACK_BOT_TOKEN: CANARY.SLACK_BOT_TOKEN, SLACK_API_URL: slack.apiUrl }));
    const notifier = slackNotifier({ client, locale: 'en', perChannelMs: 0 });
    // Retryable failures (429, 500) leave the card pending for the next round; the others fail it.
    const policy = { policy: { attempts: 10, baseMs: 1_000, capMs: 1_000, maxWaitMs: Infinity }, random: () => 0.5 };
    const failures = [
      { status: 429, retryAfter: 0 },
      { status: 500 },
      { status: 429, retryAfter: 0 },
      { error: 'invalid_blocks' },
      { error: 'channel_not_found' },
    ];
    for (const [i, failure] of failures.entries()) {
      slack.fail('chat.postMessage', failure);
      record('delivery reports', await app.alerts.deliver(notifier, new Date(NOW.getTime() + i * 60_000), policy));
    }
    record('delivery reports', await app.alerts.deliver(notifier, new Date(NOW.getTime() + 3_600_000), policy));
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage').length).toBeGreaterThanOrEqual(failures.length);
    const cards = slack.messages.filter((m) => m.channel === 'C0ALERTS' || m.channel === 'C0LEADS');
    expect(cards.length).toBeGreaterThan(0);
    const outbox = await app.db.sql.all<{ last_error: string | null }>(`SELECT * FROM "alert_outbox"`);
    expect(outbox.some((r) => r.last_error !== null)).toBe(true);
    record('outbox', outbox);
  });

  it('answers signed /kpi commands and /healthz through the HTTP receiver, and fails Socket Mode start-up, without a secret in any answer', async () => {
    const services = slackServices(app, { log: pretty.log, now: async () => NOW });
    const bot = createSlackApp(readEnv({ ...env, SLACK_APP_TOKEN: undefined }), services, { botId: 'BBOT', botUserId: 'UBOT' });
    const { port } = await bot.start();
    try {
      const url = `http://127.0.0.1:${port}/slack/events`;
      const texts = ['help', 'status', 'won_revenue 2024-03 by region', 'target won_revenue 1 by 2030-01-01', 'alerts'];
      for (const [i, text] of texts.entries()) {
        const res = await sendSigned(url, commandBody(text, { user: i === 3 ? 'U0OTHER' : 'U0ADMIN', responseUrl: `${slack.url}/response/s${i}` }), {
          secret: CANARY.SLACK_SIGNING_SECRET,
        });
        expect(res.status).toBe(200);
      }
      // A forged request and a replay: refused, and the refusal says nothing of the secret.
      record('receiver answers', (await sendSigned(url, commandBody('help', { responseUrl: `${slack.url}/response/x` }), { secret: 'wrong' })).text);
      const once = commandBody('help', { responseUrl: `${slack.url}/response/r` });
      const timestamp = Math.floor(Date.now() / 1000);
      expect((await sendSigned(url, once, { secret: CANARY.SLACK_SIGNING_SECRET, timestamp })).status).toBe(200);
      // The replay is refused and logged (through the pretty logger): the log line must not hold the secret either.
      const replay = await sendSigned(url, once, { secret: CANARY.SLACK_SIGNING_SECRET, timestamp });
      expect(replay.status).toBe(401);
      record('receiver answers', replay.text);
      await eventually(() => slack.responses.filter((r) => r.path.startsWith('/response/s')).length >= texts.length || undefined, 20_000);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      record('healthz', await health.text());
    } finally {
      await bot.stop();
    }

    const socket = createSlackApp(readEnv(env), services, { botId: 'BBOT', botUserId: 'UBOT' });
    expect(socket.transport).toBe('socket');
    const failed = await Promise.race([
      socket.start().then(
        () => 'started',
        (error: Error) => error.message,
      ),
      new Promise<string>((r) => setTimeout(() => r('still connecting'), 3_000)),
    ]);
    await socket.stop().catch(() => undefined);
    expect(failed).not.toBe('started');
    record('socket mode', failed);
  });

  it('CLI errors, env errors and an unreachable database name neither password nor token', async () => {
    const unreachable = `postgres://postgres:${DB_PASSWORD}@127.0.0.1:1/crm`;
    const status = await cli(['status'], { ...env, DATABASE_URL: unreachable });
    expect(status.code).not.toBe(0);
    record('cli', status.out);
    const badPort = await cli(['status'], { ...env, PORT: 'not-a-port', SLACK_BOT_TOKEN: `${CANARY.SLACK_BOT_TOKEN} ` });
    record('cli', badPort.out);
    const ok = await cli(['status'], env);
    expect(ok.code).toBe(0);
    record('cli', ok.out);
    record('cli', (await cli(['config', 'check'], env)).out);
    record('health', await healthCheck(app.db));
    let thrown = '';
    await createApp(readEnv({ ...env, DATABASE_URL: unreachable }), json.log).catch(
      (error: Error) => (thrown = `${error.message}\n${String(error.cause ?? '')}`),
    );
    expect(thrown).not.toBe('');
    record('errors', thrown);
  });

  it('nothing written anywhere holds a secret', async () => {
    const forms = secretForms(outputs.renewed ?? []);
    const stored = [
      await app.db.sql.all(`SELECT "error", "notes" FROM "sync_runs"`),
      await app.db.sql.all(`SELECT "file", "reason", "raw" FROM "rejected_rows"`),
      await app.db.sql.all(`SELECT * FROM "audit_log"`),
      await app.db.sql.all(`SELECT * FROM "alert_outbox"`),
    ];
    record('stored', stored);
    record('logs (json)', json.lines.join(''));
    record('logs (pretty)', pretty.lines.join(''));
    // What Slack received: messages, uploads, answers, views; the Authorization header is where the token belongs.
    record('slack', [slack.messages, slack.responses, slack.views, slack.calls.map((c) => c.body)]);
    const found = Object.entries(outputs).flatMap(([place, texts]) =>
      place === 'renewed' ? [] : texts.flatMap((t) => leaks(t, forms).map((f) => `${place}: ${f}`)),
    );
    expect([...new Set(found)]).toEqual([]);
    // The capture saw real traffic: the syncs' and deliveries' lines, redaction at work, cards posted.
    expect(json.log.level).toBe('debug');
    expect(json.lines.length).toBeGreaterThan(10);
    expect(json.lines.some((l) => l.includes('delivery failed'))).toBe(true);
    expect(pretty.lines.length).toBeGreaterThan(0);
    expect(outputs.console?.join('\n')).toContain('unknown_method');
    expect(JSON.stringify(stored)).toContain('[redacted]');
    expect(slack.calls.some((c) => c.authorization === `Bearer ${CANARY.SLACK_BOT_TOKEN}`)).toBe(true);
  });
});
