// Mutating /kpi commands sent as Slack sends them (signed, through the real receiver) by a user who
// is not in slack.admins: each is refused to that user, audited with what was asked, and changes
// nothing. The same commands from the admin do change things, so the refusal is not a broken path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandBody, sendSigned } from '../helpers/slack-requests.ts';
import { eventually, SECRET, startSignedBot, type SignedBot } from './signed-bot.ts';

const MUTATING = [
  ['target', 'target won_revenue 250 by 2024-12-31'],
  ['subscribe', 'subscribe #leads won_revenue'],
  ['unsubscribe', 'unsubscribe #alerts won_revenue'],
  ['silence', 'silence won_revenue 4h deploy'],
  ['ack', 'ack #1'],
] as const;

describe('mutating /kpi commands through signed requests', () => {
  let b: SignedBot;
  const rows = async () => {
    const count = async (table: string) => Number((await b.fixture.app.db.sql.all<{ n: number }>(`SELECT COUNT(*) AS n FROM "${table}"`))[0]!.n);
    return { targets: await count('kpi_targets'), subscriptions: await count('channel_subscriptions'), silences: await count('silences') };
  };
  /** Sends `/kpi text` as `user` and returns what Slack's response_url received. */
  const run = async (text: string, user: string, path: string) => {
    const res = await sendSigned(b.url, commandBody(text, { user, channel: 'C0ALERTS', responseUrl: `${b.slack.url}/response/${path}` }), { secret: SECRET });
    expect(res.status).toBe(200);
    return (await eventually(() => b.slack.responses.find((r) => r.path === `/response/${path}`))).body;
  };

  beforeAll(async () => {
    b = await startSignedBot();
  });
  afterAll(async () => b?.close());

  it('a non-admin is refused each one, politely and only to themselves, and each refusal is audited', async () => {
    const before = await rows();
    for (const [name, text] of MUTATING) {
      const answer = await run(text, 'U0MEMBER', `member-${name}`);
      expect(answer.response_type, name).toBe('ephemeral');
      expect(answer.text, name).toBe(`Sorry, only admins can run \`/kpi ${name}\`. Ask <@U0ADMIN>.`);
    }
    expect(await rows()).toEqual(before);
    const refusals = (await b.fixture.app.alerts.audit(50)).filter((e) => e.action === 'refused');
    expect(refusals.map((e) => [e.actor, e.subject, JSON.parse(e.detail!)]).reverse()).toEqual(
      MUTATING.map(([name, text]) => ['U0MEMBER', `/kpi ${name}`, { text, channel: 'C0ALERTS' }]),
    );
  });

  it('a refused command audits what was read of it, not the 100 kB pasted after', async () => {
    const text = `silence won_revenue 4h ${'x'.repeat(100_000)}`;
    const answer = await run(text, 'U0MEMBER', 'member-long');
    expect(answer.text).toContain('only admins');
    const [last] = (await b.fixture.app.alerts.audit(1)).filter((e) => e.action === 'refused');
    expect(JSON.parse(last!.detail!).text).toBe(text.slice(0, 4000));
  });

  it("a user id that differs from the admin's only in case is not the admin", async () => {
    const answer = await run('target won_revenue 300 by 2024-12-31', 'u0admin', 'lookalike');
    expect(answer.text).toContain('only admins');
    expect((await rows()).targets).toBe(0);
  });

  it('the admin may: the same target, subscription and silence are stored, and audited as done', async () => {
    const before = await rows();
    expect((await run('target won_revenue 250 by 2024-12-31', 'U0ADMIN', 'admin-target')).text).toContain('250');
    await run('subscribe #leads won_revenue', 'U0ADMIN', 'admin-subscribe');
    await run('silence won_revenue 4h deploy', 'U0ADMIN', 'admin-silence');
    expect(await rows()).toEqual({ targets: before.targets + 1, subscriptions: before.subscriptions + 1, silences: before.silences + 1 });
    const actions = (await b.fixture.app.alerts.audit(50)).filter((e) => e.actor === 'U0ADMIN').map((e) => e.action);
    expect(actions.length).toBeGreaterThanOrEqual(3);
    expect(actions).not.toContain('refused');
  });
});
