// The gate in front of Bolt's HTTP receiver (src/slack/request-gate.ts), through signed requests to
// the real receiver: a signature written with a suffix is the same request (issue 13, defect 1),
// and a signed body whose JSON is null, or of any other shape the listeners do not read, is
// answered 400 instead of crashing the process (defect 2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandBody, sendSigned, slackSignature } from '../helpers/slack-requests.ts';
import { eventually, SECRET, startSignedBot, type SignedBot } from './signed-bot.ts';

const nowS = () => Math.floor(Date.now() / 1000);

describe('the receiver gate', () => {
  let b: SignedBot;
  const silences = async () => Number((await b.fixture.app.db.sql.all<{ n: number }>('SELECT COUNT(*) AS n FROM "silences"'))[0]!.n);
  /** The bot still answers a fresh `/kpi help`: the process is alive and serving. */
  const stillServing = async (path: string) => {
    expect((await sendSigned(b.url, commandBody('help', { responseUrl: `${b.slack.url}/response/${path}` }), { secret: SECRET })).status).toBe(200);
    const answer = await eventually(() => b.slack.responses.find((r) => r.path === `/response/${path}`));
    expect(String(answer.body.text)).toContain('/kpi');
  };

  beforeAll(async () => {
    b = await startSignedBot();
  });
  afterAll(async () => b?.close());

  it('an admin silence replayed with suffixed signatures (=a, =b, ==) is stored once; every copy after the first is refused 401', async () => {
    const before = await silences();
    const body = commandBody('silence won_revenue 4h deploy', { user: 'U0ADMIN', responseUrl: `${b.slack.url}/response/suffix` });
    const timestamp = nowS();
    const signature = slackSignature(SECRET, timestamp, body);
    const statuses = [];
    for (const s of [signature, `${signature}=a`, `${signature}=b`, `${signature}==`, signature.toUpperCase().replace('V0=', 'v0='), ` ${signature}`]) {
      statuses.push((await sendSigned(b.url, body, { secret: SECRET, timestamp, signature: s })).status);
    }
    expect(statuses).toEqual([200, 401, 401, 401, 401, 401]);
    await eventually(() => b.slack.responses.find((r) => r.path === '/response/suffix'));
    await new Promise((r) => setTimeout(r, 300));
    expect(await silences()).toBe(before + 1);
    expect(b.slack.responses.filter((r) => r.path === '/response/suffix')).toHaveLength(1);
  });

  it('a suffixed signature is refused even on first delivery: only `v0=` and 64 lower-case hex characters are a signature', async () => {
    const body = commandBody('help', { responseUrl: `${b.slack.url}/response/suffix-first` });
    const timestamp = nowS();
    const signature = slackSignature(SECRET, timestamp, body);
    expect((await sendSigned(b.url, body, { secret: SECRET, timestamp, signature: `${signature}=x` })).status).toBe(401);
    expect((await sendSigned(b.url, body, { secret: SECRET, timestamp: Number(`${timestamp}.5`) })).status).toBe(401);
    // The genuine one is still accepted afterwards: refused forms are not remembered.
    expect((await sendSigned(b.url, body, { secret: SECRET, timestamp, signature })).status).toBe(200);
  });

  it('a signed form `payload=null` is answered 400 with what was wrong, and the bot keeps serving', async () => {
    const res = await sendSigned(b.url, 'payload=null', { secret: SECRET });
    expect(res.status).toBe(400);
    expect(res.text).toBe('[slack] body: expected an object, got null');
    await stillServing('after-form-null');
  });

  it('a signed JSON `null` body is answered 400, and the bot keeps serving', async () => {
    const res = await sendSigned(b.url, 'null', { secret: SECRET, contentType: 'application/json' });
    expect(res.status).toBe(400);
    expect(res.text).toBe('[slack] body: expected an object, got null');
    await stillServing('after-json-null');
  });

  it('other shapes a listener would trip on are 400 with the field named', async () => {
    const cases: [string, string, string][] = [
      [
        'payload=' +
          encodeURIComponent(
            JSON.stringify({ type: 'block_actions', user: { id: 'U0ADMIN' }, actions: [{ action_id: 'alert_ack', type: 'button', value: 7 }] }),
          ),
        'application/x-www-form-urlencoded',
        'body.actions[0].value: expected a string, got a number',
      ],
      [
        'payload=' + encodeURIComponent(JSON.stringify({ type: 'view_submission', user: { id: 'U0ADMIN' }, view: null })),
        'application/x-www-form-urlencoded',
        'body.view: expected an object, got null',
      ],
      ['[1,2]', 'application/json', 'body: expected an object, got an array'],
      ['42', 'application/json', 'body: expected an object, got a number'],
      // Found by the receiver fuzz: a type naming a property every object has.
      [
        '{"type":"__proto__"}',
        'application/json',
        "body.type: '__proto__' is not handled; expected one of block_actions, view_submission, view_closed, event_callback, url_verification",
      ],
      [
        '{"type":"event_callback","team_id":"__proto__","event":{"type":"app_home_opened","user":"U0MEMBER"}}',
        'application/json',
        'body.team_id: not a Slack id',
      ],
      [
        '{"type":"constructor"}',
        'application/json',
        "body.type: 'constructor' is not handled; expected one of block_actions, view_submission, view_closed, event_callback, url_verification",
      ],
      ['{"type":"event_callback","event":{"type":"app_home_opened","user":["U1"]}}', 'application/json', 'body.event.user: expected a string, got an array'],
    ];
    for (const [body, contentType, problem] of cases) {
      const res = await sendSigned(b.url, body, { secret: SECRET, contentType });
      expect([res.status, res.text]).toEqual([400, `[slack] ${problem}`]);
    }
    await stillServing('after-shapes');
  });
});
