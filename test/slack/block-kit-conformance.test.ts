// Block Kit conformance against the schema other people published (test/fixtures/slack/README.md):
// the checker itself must refuse what Slack refuses, the limits production fits replies to must be
// the schema's, and the views only the Slack app builds (App Home, the Silence… modal) must pass in
// both languages when they reach the fake Slack, which checks every body it receives.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../src/config/env.ts';
import { commandService } from '../../src/answers/command-service.ts';
import { REPLY_LIMITS } from '../../src/answers/reply-limits.ts';
import { DATA_TABLE_LIMITS } from '../../src/slack/blocks/data-table.ts';
import { createSlackApp, type SlackApp } from '../../src/slack/slack-app.ts';
import { renderChartPng } from '../../src/charts/render-chart.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { alertFixture, at, DROP_RULES } from '../alerts/alert-fixture.ts';
import { messageProblems, viewProblems } from '../helpers/block-kit.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { actionBody, sendSigned } from '../helpers/slack-requests.ts';
import { ownerKpi } from '../../src/kpi/kpi-dimensions.ts';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const chart = (series: { name: string; data: { label: string; value: number }[] }[], categories = ['Jan', 'Feb']) => ({
  type: 'data_visualization',
  title: 'Won revenue',
  chart: { type: 'line', series, axis_config: { categories } },
});
const table = (rows: unknown[][]) => ({ type: 'data_table', caption: 'Won revenue by region', rows });
const num = (value: number) => ({ type: 'raw_number', value, text: String(value) });
const txt = (text: string) => ({ type: 'raw_text', text });

describe('the checker refuses what Slack refuses', () => {
  it('passes a plain message and a native chart and table', () => {
    expect(messageProblems({ text: 'ok', blocks: [section('*ok*')] })).toEqual([]);
    const points = [
      { label: 'Jan', value: 1 },
      { label: 'Feb', value: 2 },
    ];
    expect(
      messageProblems({
        text: 'Won revenue: Jan 1, Feb 2',
        blocks: [
          chart([{ name: 'West', data: points }]),
          table([
            [txt('Region'), txt('Won')],
            [txt('West'), num(3)],
          ]),
        ],
      }),
    ).toEqual([]);
  });

  // Each case breaks one rule: the schema's (field shapes and lengths) or one of the rules its
  // authors check in code (README.md in test/fixtures/slack).
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['a section with neither text nor fields', { text: 'x', blocks: [{ type: 'section' }] }, /blocks\[0\] \(section\): must have required property 'text'/],
    [
      'a header over 150 characters',
      { text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] },
      /blocks\[0\] \(header\)\.text\.text: must NOT have more than 150 characters/,
    ],
    ['a section over 3,000 characters', { text: 'x', blocks: [section('s'.repeat(3001))] }, /must NOT have more than 3000 characters/],
    ['a mrkdwn header', { text: 'x', blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }] }, /blocks\[0\] \(header\)\.text\.type/],
    ['an unknown block type', { text: 'x', blocks: [{ type: 'sparkline' }] }, /unknown block type 'sparkline'/],
    ['an unknown field on a block', { text: 'x', blocks: [{ type: 'divider', colour: 'red' }] }, /must NOT have additional properties 'colour'/],
    ['51 blocks in a message', { text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }, /message: 51 blocks; at most 50/],
    [
      'the same block_id twice',
      {
        text: 'x',
        blocks: [
          { ...section('a'), block_id: 'b' },
          { ...section('b'), block_id: 'b' },
        ],
      },
      /block_id 'b' is also used by blocks\[0\]/,
    ],
    [
      'the same action_id twice in one block',
      {
        text: 'x',
        blocks: [{ type: 'actions', elements: [1, 2].map((i) => ({ type: 'button', action_id: 'go', text: { type: 'plain_text', text: `b${i}` } })) }],
      },
      /action_id 'go' appears twice/,
    ],
    [
      'three charts in a message',
      {
        text: 'x',
        blocks: [1, 2, 3].map(() =>
          chart([
            {
              name: 'a',
              data: [
                { label: 'Jan', value: 1 },
                { label: 'Feb', value: 1 },
              ],
            },
          ]),
        ),
      },
      /3 data_visualization blocks; at most 2/,
    ],
    [
      'a chart title over 50 characters',
      {
        text: 'x',
        blocks: [
          {
            ...chart([
              {
                name: 'a',
                data: [
                  { label: 'Jan', value: 1 },
                  { label: 'Feb', value: 1 },
                ],
              },
            ]),
            title: 't'.repeat(51),
          },
        ],
      },
      /title: must NOT have more than 50 characters/,
    ],
    [
      'seven series',
      {
        text: 'x',
        blocks: [
          chart(
            Array.from({ length: 7 }, (_, i) => ({
              name: `s${i}`,
              data: [
                { label: 'Jan', value: 1 },
                { label: 'Feb', value: 1 },
              ],
            })),
          ),
        ],
      },
      /series: must NOT have more than 6 items/,
    ],
    [
      'a series missing a category',
      { text: 'x', blocks: [chart([{ name: 'a', data: [{ label: 'Jan', value: 1 }] }])] },
      /series 'a' must have exactly one point per category \(missing \["Feb"\]/,
    ],
    [
      'two series of one name',
      {
        text: 'x',
        blocks: [
          chart(
            [1, 2].map(() => ({
              name: 'a',
              data: [
                { label: 'Jan', value: 1 },
                { label: 'Feb', value: 1 },
              ],
            })),
          ),
        ],
      },
      /series name 'a' repeats/,
    ],
    ['two tables in a message', { text: 'x', blocks: [1, 2].map(() => table([[txt('a')], [num(1)]])) }, /2 table blocks; at most 1/],
    ['a table row narrower than its header', { text: 'x', blocks: [table([[txt('a'), txt('b')], [num(1)]])] }, /row 1 has 1 cells; the header has 2/],
    [
      'a table over 10,000 characters',
      { text: 'x', blocks: [table([[txt('a')], ...Array.from({ length: 100 }, () => [txt('x'.repeat(101))])])] },
      /10101 characters in its cells; at most 10000/,
    ],
    ['102 table rows', { text: 'x', blocks: [table([[txt('a')], ...Array.from({ length: 101 }, () => [num(1)])])] }, /rows: must NOT have more than 101 items/],
    ['a message without content', { channel: 'C1' }, /message: needs text, blocks or attachments/],
    [
      'an attachment colour that is not a colour',
      { text: 'x', attachments: [{ color: 'reddish', blocks: [section('a')] }] },
      /attachments\[0\]\.color: 'reddish' is not #RRGGBB/,
    ],
    ['an unknown message key', { text: 'x', blok: [] }, /unknown key 'blok'/],
  ];
  it.each(cases)('%s', (_, message, problem) => {
    const problems = messageProblems(message);
    expect(
      problems.some((p) => problem.test(p)),
      problems.join('\n'),
    ).toBe(true);
  });

  it('counts blocks across attachments, and refuses blocks a surface does not take', () => {
    expect(
      messageProblems({
        text: 'x',
        blocks: Array.from({ length: 30 }, () => ({ type: 'divider' })),
        attachments: [{ color: '#D62728', blocks: Array.from({ length: 21 }, () => ({ type: 'divider' })) }],
      }),
    ).toEqual(['message: 51 blocks; at most 50']);
    const modal = {
      type: 'modal',
      title: { type: 'plain_text', text: 'Silence alert' },
      blocks: [
        chart([
          {
            name: 'a',
            data: [
              { label: 'Jan', value: 1 },
              { label: 'Feb', value: 1 },
            ],
          },
        ]),
      ],
    };
    expect(viewProblems(modal)).toEqual(['blocks[0] (data_visualization): not allowed in a modal']);
    expect(viewProblems({ type: 'home', blocks: [table([[txt('a')], [num(1)]])] })).toEqual([]);
    expect(viewProblems({ type: 'modal', title: { type: 'plain_text', text: 'A title longer than 24 chars' }, blocks: [section('a')] })).toEqual([
      'view.title.text: must NOT have more than 24 characters',
    ]);
    expect(
      viewProblems({
        type: 'modal',
        title: { type: 'plain_text', text: 'Ask' },
        blocks: [{ type: 'input', label: { type: 'plain_text', text: 'Why' }, element: { type: 'plain_text_input', action_id: 'v' } }],
      }),
    ).toEqual(["view: must have required property 'submit'"]);
  });

  it('the fake Slack answers invalid_blocks to a payload that breaks the schema, and its close() fails on it', async () => {
    const slack = await startFakeSlack();
    const res = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'C0ALERTS', text: 'x', blocks: [{ type: 'section' }] }),
    });
    expect(await res.json()).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(slack.messages).toEqual([]);
    expect(slack.nonConforming.map((n) => n.method)).toEqual(['chat.postMessage']);
    await expect(slack.close()).rejects.toThrow(/\[fake-slack\] 1 payload\(s\) broke the Block Kit schema/);
  });
});

describe("production's limits are the schema's", () => {
  const defs = (
    JSON.parse(readFileSync(new URL('../fixtures/slack/block-kit.schema.json', import.meta.url), 'utf8')) as {
      $defs: Record<string, { properties: Record<string, Record<string, unknown>> }>;
    }
  ).$defs;
  it('header, section text, fields, button labels and alt text', () => {
    // The schema words these as allOf/maxLength beside a text object; read each where it sits.
    const maxLength = (node: unknown): number | undefined => JSON.stringify(node).match(/"maxLength":(\d+)/)?.[1] as unknown as number | undefined;
    expect(Number(maxLength(defs.header_block!.properties.text))).toBe(REPLY_LIMITS.header);
    // A section's text is a text object; mrkdwn's own limit is the one a section shows.
    expect(defs.mrkdwn_text_object!.properties.text!.maxLength).toBe(REPLY_LIMITS.text);
    expect(defs.section_block!.properties.fields!.maxItems).toBe(REPLY_LIMITS.fields);
    expect(Number(maxLength(defs.section_block!.properties.fields!.items))).toBe(REPLY_LIMITS.fieldText);
    expect(Number(maxLength(defs.button_element!.properties.text))).toBe(REPLY_LIMITS.buttonLabel);
    expect(defs.image_block!.properties.alt_text!.maxLength).toBe(REPLY_LIMITS.altText);
    expect(defs.actions_block!.properties.elements!.maxItems).toBe(REPLY_LIMITS.actions);
  });

  it('data_table: 100 rows under the header, 20 columns, page_size up to 100', () => {
    const t = defs.data_table_block!.properties;
    expect(t.rows!.maxItems).toBe(DATA_TABLE_LIMITS.rows + 1);
    expect((t.rows!.items as { maxItems: number }).maxItems).toBe(DATA_TABLE_LIMITS.columns);
    expect(t.page_size!.maximum).toBe(DATA_TABLE_LIMITS.pageSize);
  });
});

describe('views the Slack app builds, in both languages', () => {
  const SECRET = 'conformance-secret-3e1b';
  let slack: FakeSlack;
  let bot: SlackApp;
  let url: string;
  let f: Awaited<ReturnType<typeof alertFixture>>;
  beforeAll(async () => {
    slack = await startFakeSlack({ channels: { alerts: 'C0ALERTS', leads: 'C0LEADS' } });
    const rules = DROP_RULES.replace('owners: {}', 'owners: { ann: U0ADMIN, bob: U0ZHADMIN }');
    f = await alertFixture(`${rules}\nslack:\n  admins: [U0ADMIN, U0ZHADMIN]\n  user_locales: { U0ZHADMIN: zh, U0ZH: zh }\n`);
    await f.app.alerts.evaluate(at('2024-04-01T09:00:00Z'));
    const env = readEnv({ SLACK_BOT_TOKEN: 'xoxb-conformance', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0' });
    const services = {
      commands: commandService(f.app),
      alerts: f.app.alerts,
      config: f.app.config.config,
      log: silentLogger(),
      now: async () => at('2024-04-01T10:00:00Z'),
      chartPng: renderChartPng,
      homeKpi: ownerKpi(f.app.kpis.all, f.app.config.config.targets),
    };
    bot = createSlackApp(env, services, { botId: 'BBOT', botUserId: 'UBOT' });
    url = `http://127.0.0.1:${(await bot.start()).port}/slack/events`;
  });
  afterAll(async () => {
    await bot.stop();
    await slack.close();
    await f.close();
  });

  async function nextView(send: () => Promise<{ status: number }>): Promise<Record<string, unknown>> {
    const before = slack.views.length;
    expect((await send()).status).toBe(200);
    for (let i = 0; i < 400 && slack.views.length === before; i++) await new Promise((r) => setTimeout(r, 25));
    expect(slack.nonConforming).toEqual([]);
    return slack.views.at(-1)!.body.view as Record<string, unknown>;
  }

  it.each([
    ['U0ADMIN', 'Your team', 'Open alerts'],
    ['U0ZHADMIN', '你的团队', '未解决的告警'],
    ['U0ZH', '把你的 Slack 用户映射到 CRM 负责人', '未解决的告警'],
    ['U0NOBODY', 'Map your Slack user to your CRM owner', 'Open alerts'],
  ])('App Home of %s', async (user, team, alerts) => {
    const event = {
      type: 'event_callback',
      team_id: 'T0TEAM',
      api_app_id: 'A0APP',
      event_id: `Ev${user}`,
      event_time: 1,
      event: { type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home' },
    };
    const view = await nextView(() => sendSigned(url, JSON.stringify(event), { secret: SECRET, contentType: 'application/json' }));
    expect(viewProblems(view)).toEqual([]);
    expect(JSON.stringify(view)).toContain(team);
    expect(JSON.stringify(view)).toContain(alerts);
  });

  it.each([
    ['U0ADMIN', 'Silence alert', 'Reason'],
    ['U0ZHADMIN', '静默告警', '原因'],
  ])('the Silence… modal of %s', async (user, title, reason) => {
    const press = actionBody(
      { type: 'button', action_id: 'alert_silence', value: '1' },
      { user, channel: 'C0ALERTS', ts: '1.1', responseUrl: `${slack.url}/response/silence-${user}` },
    );
    const view = await nextView(() => sendSigned(url, press, { secret: SECRET }));
    expect(viewProblems(view)).toEqual([]);
    expect(view.type).toBe('modal');
    expect((view.title as { text: string }).text).toBe(title);
    expect(JSON.stringify(view.blocks)).toContain(reason);
  });
});
