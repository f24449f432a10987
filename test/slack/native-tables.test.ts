// Tables of /kpi answers as Slack's data_table block, end to end: signed slash commands through the
// production app (its Web API client from slack-client.ts) to the fake Slack, which checks every
// body against the Block Kit schema. The values come from the fixture's CSV (alert-fixture.ts):
// West won 40 in 2024-03 and 100 in 2024-02, East 100 in both. A workspace that refuses the block
// gets the answer at once as monospaced text, and is not sent the block again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../src/config/env.ts';
import { fitTable } from '../../src/answers/reply-limits.ts';
import type { Reply } from '../../src/answers/reply.ts';
import { postReply } from '../../src/slack/post-reply.ts';
import { createSlackApp, type SlackApp } from '../../src/slack/slack-app.ts';
import { createSlackClient } from '../../src/slack/slack-client.ts';
import { type SlackServices } from '../../src/slack/slack-context.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { alertFixture, at, DROP_RULES } from '../alerts/alert-fixture.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { commandBody, sendSigned } from '../helpers/slack-requests.ts';
import { slackServices } from '../../src/app/slack-services.ts';

type Cell = { type: string; text: string; value?: number };
type DataTable = { type: 'data_table'; caption: string; rows: Cell[][] };
const tableOf = (blocks: unknown[] | undefined) => (blocks ?? []).find((b) => (b as { type: string }).type === 'data_table') as DataTable | undefined;
/** A data_table's rows as { first cell: the number of each other cell }. */
const numbers = (t: DataTable) =>
  Object.fromEntries(t.rows.slice(1).map((r) => [r[0]!.text, r.slice(1).map((c) => (c.type === 'raw_number' ? c.value : c.text))]));

describe('data_table in /kpi answers', () => {
  const SECRET = 'tables-secret-5c02';
  let slack: FakeSlack;
  let f: Awaited<ReturnType<typeof alertFixture>>;
  const bots: SlackApp[] = [];
  let sent = 0;
  beforeAll(async () => {
    slack = await startFakeSlack({ channels: { alerts: 'C0ALERTS', leads: 'C0LEADS' } });
    f = await alertFixture(`${DROP_RULES}\nslack:\n  admins: [U0ADMIN]\n  user_locales: { U0ZH: zh }\n`);
  });
  afterAll(async () => {
    // The charts of ephemeral answers go to the DM after the answer: let the last uploads land.
    for (let n = -1; n !== slack.messages.length; ) {
      n = slack.messages.length;
      await new Promise((r) => setTimeout(r, 300));
    }
    for (const b of bots) await b.stop();
    await slack.close();
    await f.close();
  });

  function services(tables: 'native' | 'text'): SlackServices {
    const config = { ...f.app.config.config, slack: { ...f.app.config.config.slack, tables } };
    return slackServices(f.app, { config, log: silentLogger(), now: async () => at('2024-04-01T10:00:00Z') });
  }
  const env = () => readEnv({ SLACK_BOT_TOKEN: 'xoxb-tables', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0' });

  /** A Slack app (one workspace) with slack.tables set to `tables`; its events URL. */
  async function bot(tables: 'native' | 'text'): Promise<string> {
    const b = createSlackApp(env(), services(tables), { botId: 'BBOT', botUserId: 'UBOT' });
    bots.push(b);
    return `http://127.0.0.1:${(await b.start()).port}/slack/events`;
  }

  /** Sends `/kpi text` as `user` and waits for what its response_url got. */
  async function ask(url: string, text: string, user = 'U0ADMIN'): Promise<Record<string, unknown>> {
    const path = `/response/tables-${++sent}`;
    expect((await sendSigned(url, commandBody(text, { user, responseUrl: `${slack.url}${path}` }), { secret: SECRET })).status).toBe(200);
    for (let i = 0; i < 400; i++) {
      const answer = slack.responses.find((r) => r.path === path);
      if (answer) return answer.body;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no answer on ${path}`);
  }

  it('a breakdown is a data_table of raw_number cells with the CRM values, and the text fallback carries them', async () => {
    const answer = await ask(await bot('native'), 'won_revenue 2024-03 by region');
    const table = tableOf(answer.blocks as unknown[])!;
    expect(table.rows[0]!.map((c) => c.text)).toEqual(['region', '2024-03', '2024-02', 'change']);
    expect(numbers(table)).toEqual({ West: [40, 100, -60], East: [100, 100, 0] });
    // Each number cell shows the number as the text table does.
    const text = answer.text as string;
    for (const row of table.rows.slice(1)) expect(text).toContain(row.map((c) => c.text).join(' · '));
    expect(slack.nonConforming).toEqual([]);
  });

  it('in Chinese the same table, with Chinese headers, passes the schema', async () => {
    const answer = await ask(await bot('native'), 'won_revenue 2024-03 by region', 'U0ZH');
    const table = tableOf(answer.blocks as unknown[])!;
    expect(table.rows[0]![0]!.text).toMatch(/[\u4e00-\u9fff]/);
    expect(numbers(table)).toEqual({ West: [40, 100, -60], East: [100, 100, 0] });
    expect(slack.nonConforming).toEqual([]);
  });

  // Segments, cohorts and the scorecard need customers and targets the fixture lacks: the demo data covers them (command-service-demo.test.ts).
  it.each(['list', 'alerts'])('/kpi %s answers with a data_table', async (text) => {
    await f.app.alerts.evaluate(at('2024-04-01T09:00:00Z'));
    const answer = await ask(await bot('native'), text);
    const table = tableOf(answer.blocks as unknown[]);
    expect(table!.rows.slice(1).some((r) => r.some((c) => c.type === 'raw_number'))).toBe(true);
    expect(slack.nonConforming).toEqual([]);
  });

  it('slack.tables: text keeps the monospaced table', async () => {
    const answer = await ask(await bot('text'), 'won_revenue 2024-03 by region');
    expect(tableOf(answer.blocks as unknown[])).toBeUndefined();
    expect(JSON.stringify(answer.blocks)).toMatch(/```\\nregion +2024-03 +2024-02 +change\\n[- ]+\\nEast +100 +100 +±0\\nWest +40 +100 +−60/);
  });

  it('a workspace whose Slack refuses data_table gets the answer at once as text, and no data_table again', async () => {
    const url = await bot('native');
    const refused: unknown[] = [];
    slack.inject = (method, params) => {
      if (!JSON.stringify(params.blocks ?? '').includes('"data_table"')) return undefined;
      refused.push(method);
      return { error: 'invalid_blocks' };
    };
    try {
      const first = await ask(url, 'won_revenue 2024-03 by region');
      expect(refused).toEqual(['response_url']);
      expect(tableOf(first.blocks as unknown[])).toBeUndefined();
      // The resent answer holds the same rows as monospaced text.
      expect(JSON.stringify(first.blocks)).toMatch(/West +\$?40/);
      const second = await ask(url, 'won_revenue 2024-03 by region');
      expect(refused).toHaveLength(1);
      expect(tableOf(second.blocks as unknown[])).toBeUndefined();
      // Posted answers in that workspace skip the block too.
      const before = slack.messages.length;
      expect(
        (
          await sendSigned(url, commandBody('won_revenue 2024-03 by region post', { responseUrl: `${slack.url}/response/tables-${++sent}` }), {
            secret: SECRET,
          })
        ).status,
      ).toBe(200);
      for (let i = 0; i < 400 && !slack.messages.slice(before).some((m) => m.channel === 'C0ALERTS'); i++) await new Promise((r) => setTimeout(r, 25));
      expect(slack.messages.slice(before).some((m) => tableOf(m.blocks))).toBe(false);
      expect(refused).toHaveLength(1);
    } finally {
      slack.inject = undefined;
    }
  });

  it('posted: a refused data_table is resent at once by chat.postMessage without it', async () => {
    const s = services('native');
    const client = createSlackClient(env());
    const refused: string[] = [];
    slack.inject = (method, params) => {
      if (method !== 'chat.postMessage' || !JSON.stringify(params.blocks ?? '').includes('"data_table"')) return undefined;
      refused.push(method);
      return { error: 'invalid_blocks' };
    };
    try {
      const reply = await s.commands.run('won_revenue 2024-03 by region post', {
        userId: 'U0ADMIN',
        channelId: 'C0ALERTS',
        locale: 'en',
        isAdmin: true,
        now: at('2024-04-01T10:00:00Z'),
      });
      const before = slack.messages.length;
      await postReply(
        s,
        { client, userId: 'U0ADMIN', channelId: 'C0ALERTS', respond: async () => undefined },
        { ...reply, blocks: reply.blocks.filter((b) => b.kind !== 'chart') },
      );
      // Charts of earlier ephemeral answers may still be arriving in DMs: only this channel's messages count.
      const posted = slack.messages.slice(before).filter((m) => m.channel === 'C0ALERTS' && !m.files);
      expect(refused).toEqual(['chat.postMessage']);
      expect(posted).toHaveLength(1);
      expect(tableOf(posted[0]!.blocks)).toBeUndefined();
      expect(posted[0]!.text).toMatch(/West · \$?40/);
    } finally {
      slack.inject = undefined;
    }
  });

  it('posted: a table of 150 rows is rows 1–100 in the answer and 101–150 in its thread', async () => {
    const s = services('native');
    const client = createSlackClient(env());
    const cells = Array.from({ length: 150 }, (_, i) => [{ text: `owner${i + 1}` }, { text: String(i + 1), value: i + 1 }]);
    const reply: Reply = {
      text: 'Deals by owner',
      blocks: [
        { kind: 'header', text: 'Deals by owner' },
        { kind: 'table', ...fitTable(['owner', 'deals'], cells, (n) => `… and ${n} more`) },
      ],
      visibility: 'in_channel',
      kind: 'answer',
      locale: 'en',
    };
    const before = slack.messages.length;
    await postReply(s, { client, userId: 'U0ADMIN', channelId: 'C0ALERTS', respond: async () => undefined }, reply);
    const [answer, rest, ...none] = slack.messages.slice(before).filter((m) => m.channel === 'C0ALERTS' && !m.files);
    expect(none).toEqual([]);
    expect(tableOf(answer!.blocks)!.caption).toBe('Deals by owner · rows 1–100 of 150');
    expect(rest!.thread_ts).toBe(answer!.ts);
    expect(tableOf(rest!.blocks)!.caption).toBe('Deals by owner · rows 101–150 of 150');
    expect([...tableOf(answer!.blocks)!.rows.slice(1), ...tableOf(rest!.blocks)!.rows.slice(1)].map((r) => r[1]!.value)).toEqual(cells.map((c) => c[1]!.value));
    expect(slack.nonConforming).toEqual([]);
  });
});
