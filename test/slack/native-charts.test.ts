// Slack's data_visualization block in /kpi answers (slack.charts), posted and shown only to the
// user, through the signed HTTP receiver and the fake Slack, which validates every body against
// the Block Kit schema: the native chart carries the same data as the PNG, png mode keeps the PNG,
// and a workspace whose Slack refuses the block gets the answer at once with the PNG, and no
// native block again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeChart } from '../../src/charts/native-chart.ts';
import type { BreakdownChartInput, TrendChartInput } from '../../src/charts/chart-input.ts';
import { readEnv } from '../../src/config/env.ts';
import { commandService } from '../../src/answers/command-service.ts';
import { createSlackApp, type SlackApp } from '../../src/slack/slack-app.ts';
import { dataVisualizationBlock } from '../../src/slack/blocks/native-blocks.ts';
import { renderChartPng } from '../../src/charts/render-chart.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { alertFixture, at, DROP_RULES } from '../alerts/alert-fixture.ts';
import { messageProblems } from '../helpers/block-kit.ts';
import { startFakeSlack, type FakeMessage, type FakeSlack } from '../helpers/fake-slack.ts';
import { commandBody, sendSigned } from '../helpers/slack-requests.ts';

const breakdown: BreakdownChartInput = {
  kind: 'breakdown',
  title: 'Won revenue by region',
  period: '2024-03',
  previousPeriod: '2024-02',
  unit: 'currency',
  dimension: 'region',
  items: [
    { key: 'West', value: 40, previous: 100 },
    { key: 'East', value: 100, previous: 100 },
  ],
};

describe('native chart data', () => {
  it('a breakdown is a bar chart of the same values, current and previous period, and conforms to Block Kit', () => {
    const chart = nativeChart(breakdown)!;
    expect(chart).toEqual({
      type: 'bar',
      title: 'Won revenue by region',
      categories: ['West', 'East'],
      series: [
        { name: '2024-03', values: [40, 100] },
        { name: '2024-02', values: [100, 100] },
      ],
    });
    expect(messageProblems({ text: 'Won revenue by region: West 40, East 100', blocks: [dataVisualizationBlock(chart)] })).toEqual([]);
  });

  it("draws a threshold, a normal band and a target as flat series beside the line, in the chart's language", () => {
    const trend: TrendChartInput = {
      kind: 'trend',
      title: 'Win rate',
      period: '2024-03',
      unit: 'percent',
      points: [
        { period: '2024-01', start: '2024-01-01', value: null },
        { period: '2024-02', start: '2024-02-01', value: 0.5 },
        { period: '2024-03', start: '2024-03-01', value: 0.25 },
      ],
    };
    // Percentages are drawn as percent, the flat series too; the line starts at the first value.
    expect(nativeChart({ ...trend, threshold: { value: 0.3 }, target: 0.6 })?.series).toEqual([
      { name: '2024-03', values: [50, 25] },
      { name: 'Threshold', values: [30, 30] },
      { name: 'Target', values: [60, 60] },
    ]);
    expect(nativeChart({ ...trend, lang: 'zh', threshold: { low: 0.4, high: 0.2 } })?.series.slice(1)).toEqual([
      { name: '正常范围下限', values: [20, 20] },
      { name: '正常范围上限', values: [40, 40] },
    ]);
  });

  it('stays a PNG where the block cannot draw it: firing episodes, missing values, over 20 bars, other kinds', () => {
    const trend: TrendChartInput = {
      kind: 'trend',
      title: 'Won revenue',
      period: '2024-03',
      unit: 'currency',
      points: [
        { period: '2024-02', start: '2024-02-01', value: 200 },
        { period: '2024-03', start: '2024-03-01', value: 140 },
      ],
    };
    expect(nativeChart(trend)?.series).toEqual([{ name: '2024-03', values: [200, 140] }]);
    expect(nativeChart({ ...trend, threshold: { value: 150 }, episodes: [{ from: '2024-03-01' }] })).toBeUndefined();
    expect(nativeChart({ ...breakdown, items: [{ key: 'West', value: null }] })).toBeUndefined();
    expect(
      nativeChart({
        ...breakdown,
        previousPeriod: undefined,
        items: Array.from({ length: 21 }, (_, i) => ({ key: `r${i}`, value: i })),
      } as BreakdownChartInput),
    ).toBeUndefined();
    expect(nativeChart({ kind: 'cohort' } as never)).toBeUndefined();
  });
});

describe('/kpi answers', () => {
  const SECRET = 'native-secret-7a21';
  let slack: FakeSlack;
  let f: Awaited<ReturnType<typeof alertFixture>>;
  const bots: SlackApp[] = [];
  let sent = 0;
  beforeAll(async () => {
    slack = await startFakeSlack({ channels: { alerts: 'C0ALERTS', leads: 'C0LEADS' } });
    f = await alertFixture(`${DROP_RULES}\nslack:\n  admins: [U0ADMIN]\n`);
  });
  afterAll(async () => {
    for (const b of bots) await b.stop();
    await slack.close();
    await f.close();
  });

  /** A Slack app over the fixture with slack.charts set to `charts`; its events URL. */
  async function bot(charts: 'native' | 'png' | 'both'): Promise<string> {
    const config = { ...f.app.config.config, slack: { ...f.app.config.config.slack, charts } };
    const env = readEnv({ SLACK_BOT_TOKEN: 'xoxb-native', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0' });
    const services = {
      commands: commandService(f.app),
      alerts: f.app.alerts,
      config,
      log: silentLogger(),
      now: async () => at('2024-04-01T10:00:00Z'),
      chartPng: renderChartPng,
    };
    const b = createSlackApp(env, services, { botId: 'BBOT', botUserId: 'UBOT' });
    bots.push(b);
    return `http://127.0.0.1:${(await b.start()).port}/slack/events`;
  }

  /** Sends `/kpi text` and waits for the answer posted in the channel and what its thread got. */
  async function post(url: string, text: string): Promise<{ answer: FakeMessage; thread: () => FakeMessage[] }> {
    const before = slack.messages.length;
    // A fresh response_url each time: the receiver refuses a request it has seen (replays).
    expect((await sendSigned(url, commandBody(text, { responseUrl: `${slack.url}/response/native-${++sent}` }), { secret: SECRET })).status).toBe(200);
    for (let i = 0; i < 400; i++) {
      const answer = slack.messages.slice(before).find((m) => m.channel === 'C0ALERTS' && !m.thread_ts && !m.metadata);
      if (answer) return { answer, thread: () => slack.messages.filter((m) => m.thread_ts === answer.ts) };
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('no answer posted');
  }
  /** Sends `/kpi text` as `user` and waits for its ephemeral answer at the response_url. */
  async function ask(url: string, text: string, user: string): Promise<FakeMessage & { response_type?: string }> {
    const path = `/response/native-${++sent}`;
    expect((await sendSigned(url, commandBody(text, { user, responseUrl: `${slack.url}${path}` }), { secret: SECRET })).status).toBe(200);
    for (let i = 0; i < 400; i++) {
      const answer = slack.responses.find((r) => r.path === path);
      if (answer) return answer.body as unknown as FakeMessage & { response_type?: string };
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('no answer at the response_url');
  }
  /** PNGs in the user's direct message with the app, and the DMs the bot opened for them. */
  const dm = (user: string) => ({
    files: slack.messages.filter((m) => m.channel === `D${user}`).flatMap((m) => m.files ?? []),
    opened: slack.calls.filter((c) => c.method === 'conversations.open' && c.body.users === user).length,
  });
  const charts = (m: FakeMessage) =>
    (m.blocks ?? []).filter((b) => (b as { type: string }).type === 'data_visualization') as {
      title: string;
      chart: { series: { name: string; data: { label: string; value: number }[] }[] };
    }[];
  const waitFor = async (check: () => boolean) => {
    for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
    return check();
  };

  it('native: the breakdown and the trend are data_visualization blocks with the values of the CRM data', async () => {
    const { answer } = await post(await bot('native'), 'won_revenue 2024-03 by region post');
    const drawn = charts(answer);
    expect(drawn.map((c) => (c.chart as unknown as { type: string }).type)).toEqual(['bar', 'line']);
    const values = (series: { data: { label: string; value: number }[] }) => Object.fromEntries(series.data.map((d) => [d.label, d.value]));
    // The fixture's deals (test/alerts/alert-fixture.ts): West (ann) won 40 in 2024-03 and 100 in
    // other months; East (bob) won 100 each month from 2024-01.
    expect(values(drawn[0]!.chart.series.find((s) => s.name === '2024-03')!)).toEqual({ West: 40, East: 100 });
    expect(values(drawn[0]!.chart.series.find((s) => s.name === '2024-02')!)).toEqual({ West: 100, East: 100 });
    expect(values(drawn[1]!.chart.series[0]!)).toMatchObject({ '2024-01': 200, '2024-02': 200, '2024-03': 140 });
    // The text fallback carries the numbers for notifications and screen readers.
    expect(answer.text).toMatch(/140/);
  });

  it('both: the native blocks, and the PNGs of the same charts in the thread', async () => {
    const { answer, thread } = await post(await bot('both'), 'won_revenue 2024-03 by region post');
    expect(charts(answer)).toHaveLength(2);
    expect(await waitFor(() => thread().flatMap((m) => m.files ?? []).length === 2)).toBe(true);
  });

  it('png: no native block, every chart is a PNG in the thread', async () => {
    const { answer, thread } = await post(await bot('png'), 'won_revenue 2024-03 by region post');
    expect(charts(answer)).toEqual([]);
    expect(await waitFor(() => thread().flatMap((m) => m.files ?? []).length > 0)).toBe(true);
  });

  it('a workspace whose Slack refuses the block gets the answer at once with the PNG, and no native block again', async () => {
    const url = await bot('native');
    const refused: unknown[] = [];
    slack.inject = (method, params) => {
      if (method !== 'chat.postMessage' || !JSON.stringify(params.blocks ?? '').includes('data_visualization')) return undefined;
      refused.push(params);
      return { error: 'invalid_blocks' };
    };
    try {
      const first = await post(url, 'won_revenue 2024-03 by region post');
      expect(refused).toHaveLength(1);
      expect(charts(first.answer)).toEqual([]);
      expect(await waitFor(() => first.thread().flatMap((m) => m.files ?? []).length >= 2)).toBe(true);
      const second = await post(url, 'won_revenue 2024-03 by region post');
      expect(refused).toHaveLength(1);
      expect(charts(second.answer)).toEqual([]);
    } finally {
      slack.inject = undefined;
    }
  });
  it('an answer shown only to you draws its charts in the message, with the CRM data, and sends no PNG to your DM', async () => {
    const url = await bot('native');
    const answer = await ask(url, 'won_revenue 2024-03 by region', 'U0EPH1');
    expect(answer.response_type).toBe('ephemeral');
    const drawn = charts(answer);
    expect(drawn.map((c) => (c.chart as unknown as { type: string }).type)).toEqual(['bar', 'line']);
    const values = (series: { data: { label: string; value: number }[] }) => Object.fromEntries(series.data.map((d) => [d.label, d.value]));
    // The fixture's deals, as above: West won 40 in 2024-03, East 100; the total 140.
    expect(values(drawn[0]!.chart.series.find((c) => c.name === '2024-03')!)).toEqual({ West: 40, East: 100 });
    expect(values(drawn[1]!.chart.series[0]!)).toMatchObject({ '2024-01': 200, '2024-02': 200, '2024-03': 140 });
    expect(JSON.stringify(answer.blocks)).not.toContain('📈');
    expect(answer.text).toMatch(/140/);
    // One user's answers are sent in order: once the next one is in the channel, the first is done.
    await post(url, 'won_revenue 2024-03 post');
    expect(dm('U0EPH1')).toEqual({ files: [], opened: 0 });
  });

  it('png and both: the charts of an answer shown only to you are PNGs in your DM, and the answer says so', async () => {
    for (const [mode, user, blocks] of [
      ['png', 'U0EPH2', 0],
      ['both', 'U0EPH3', 2],
    ] as const) {
      const answer = await ask(await bot(mode), 'won_revenue 2024-03 by region', user);
      expect(charts(answer)).toHaveLength(blocks);
      expect(JSON.stringify(answer.blocks)).toContain('📈');
      expect(await waitFor(() => dm(user).files.length === 2)).toBe(true);
      expect(dm(user).files.every((f) => f.bytes > 5_000)).toBe(true);
    }
  });

  it('a refusal of the block on the response_url resends the answer at once without it; its charts go to your DM', async () => {
    const url = await bot('native');
    const refused: unknown[] = [];
    slack.inject = (method, params) => {
      if (method !== 'response_url' || !JSON.stringify(params.blocks ?? '').includes('data_visualization')) return undefined;
      refused.push(params);
      return { error: 'invalid_blocks' };
    };
    try {
      const answer = await ask(url, 'won_revenue 2024-03 by region', 'U0EPH4');
      expect(refused).toHaveLength(1);
      expect(charts(answer)).toEqual([]);
      expect(answer.text).toMatch(/140/);
      expect(await waitFor(() => dm('U0EPH4').files.length === 2)).toBe(true);
      // The workspace is marked: the next answer does not try the block.
      expect(charts(await ask(url, 'won_revenue 2024-02 by region', 'U0EPH4'))).toEqual([]);
      expect(refused).toHaveLength(1);
    } finally {
      slack.inject = undefined;
    }
  });
});
