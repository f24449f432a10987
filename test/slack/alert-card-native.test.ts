// Issue #17, "Done when": an alert episode from firing through its value changes to resolution is
// one card whose native chart (data_visualization) is redrawn by each chat.update from that
// event's data; and where Slack refuses the block (invalid_blocks), the same episode arrives with
// PNGs and nothing lost. Through production's path: the app's evaluate → outbox → deliver, the
// bot's notifiers (app/bot-notifiers.ts) and production's Slack client, against the fake Slack,
// which checks every body against the published Block Kit schema.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { botNotifiers, storedRefusal } from '../../src/app/bot-notifiers.ts';
import { readEnv } from '../../src/config/env.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { readNativeRefusal } from '../../src/store/native-refusals.ts';
import { createSlackClient } from '../../src/slack/slack-client.ts';
import { SOURCE } from '../alerts/alert-fixture.ts';
import { tempSqlite } from '../helpers/databases.ts';
import { tempFiles } from '../helpers/import.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';

// West (ann) wins 100 a month, then 70 in March (warning: below 80), 40 in April (critical: below
// 50), 75 in May (back to warning) and 100 in June (resolved); East (bob) 100 every month.
const WEST: Record<string, number> = { '2024-01': 100, '2024-02': 100, '2024-03': 70, '2024-04': 40, '2024-05': 75, '2024-06': 100 };
const DEALS = [
  'id,status,amount,owner,engaged_at,closed_at',
  ...Object.entries(WEST).flatMap(([month, west], i) => [
    `${2 * i + 1},won,${west},ann,${month}-01,${month}-15`,
    `${2 * i + 2},won,100,bob,${month}-01,${month}-15`,
  ]),
].join('\n');
const RULES = `
alerts:
  channels: ['#alerts']
  owners: {}
  rules:
    low_west:
      kpi: won_revenue
      grain: month
      by: region
      repeat: 20d
      conditions:
        - { type: threshold, below: { warning: 80, critical: 50 } }
`;
// Each evaluation judges the month before it: firing, escalated (and a reminder, repeat: 20d),
// a reminder with May's value (back to warning is not told), resolved.
const TICKS = ['2024-04-01T09:00:00Z', '2024-05-01T09:00:00Z', '2024-06-01T09:00:00Z', '2024-07-01T09:00:00Z'];

/** West's won revenue per month up to `month`, summed from the raw deal rows above. */
function westUpTo(month: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of DEALS.split('\n').slice(1)) {
    const [, status, amount, owner, , closed] = line.split(',');
    const m = closed!.slice(0, 7);
    if (status === 'won' && owner === 'ann' && m <= month) out[m] = (out[m] ?? 0) + Number(amount);
  }
  return out;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** The app over the deals above, production's Slack client to a fake Slack, and the bot's notifier. */
async function setup(refuse?: (method: string) => boolean, charts?: 'png' | 'both') {
  const slack = await startFakeSlack({ channels: { alerts: 'C0ALERTS' } });
  const refused: string[] = [];
  if (refuse) {
    slack.inject = (method, params) => {
      if (!refuse(method) || !JSON.stringify(params.attachments ?? params.blocks ?? '').includes('data_visualization')) return undefined;
      refused.push(method);
      return { error: 'invalid_blocks' };
    };
  }
  const dir = tempFiles({ 'owners.csv': 'id,name,office\nann,Ann,West\nbob,Bob,East\n', 'deals.csv': `${DEALS}\n` });
  writeFileSync(join(dir, 'crm-pulse.yaml'), `${SOURCE}\n${RULES}${charts ? `slack:\n  charts: ${charts}\n` : ''}`);
  const database = tempSqlite();
  const app = await createApp(
    readEnv({ DATABASE_URL: database.url, CRM_PULSE_CONFIG: join(dir, 'crm-pulse.yaml') }),
    silentLogger(),
    fixedClock(new Date('2024-09-30T00:00:00Z')),
  );
  closers.push(
    () => slack.close(),
    async () => {
      await app.close();
      await database.drop();
    },
  );
  expect((await app.ingest('crm')).every((r) => r.status === 'succeeded')).toBe(true);
  // slack.charts is left to its default, native, unless the test sets it.
  expect(app.config.config.slack.charts).toBe(charts ?? 'native');
  const client = createSlackClient(readEnv({ SLACK_BOT_TOKEN: 'xoxb-card-native', SLACK_API_URL: slack.apiUrl }));
  let clock = new Date(TICKS[0]!);
  // The refusal mark as the bot keeps it: in the database, for the token's workspace (auth.test: T0TEAM).
  const { alerts } = botNotifiers(app, client, async () => clock);
  const mark = { stored: () => readNativeRefusal(app.db, 'T0TEAM'), afterRestart: () => storedRefusal(app, client).refused() };
  const tick = async (iso: string) => {
    clock = new Date(iso);
    await app.alerts.evaluate(clock);
    return app.alerts.deliver(alerts, clock, { policy: { attempts: 3, baseMs: 1000, capMs: 1000, maxWaitMs: Infinity }, random: () => 0.5 });
  };
  /** The month each queued event judged (the one before its evaluation), in delivery order. */
  const judged = async () =>
    (await app.db.prisma.alertOutbox.findMany({ orderBy: { id: 'asc' } })).map((r) =>
      new Date(Date.UTC(r.createdAt.getUTCFullYear(), r.createdAt.getUTCMonth() - 1)).toISOString().slice(0, 7),
    );
  return { slack, tick, refused, mark, judged };
}

type Chart = {
  type: string;
  title: string;
  chart: { type: string; series: { name: string; data: { label: string; value: number }[] }[]; axis_config: { categories: string[] } };
};
/** The data_visualization blocks of a chat.* call's card. */
const chartsOf = (body: Record<string, unknown>) =>
  ((body.attachments as { blocks: { type: string }[] }[] | undefined) ?? [])
    .flatMap((a) => a.blocks)
    .filter((b) => b.type === 'data_visualization') as unknown as Chart[];
const points = (c: Chart) => Object.fromEntries(c.chart.series[0]!.data.map((d) => [d.label, d.value]));
const count = (slack: FakeSlack, method: string) => slack.calls.filter((c) => c.method === method).length;

describe('an alert card with a native chart, through the bot', () => {
  it('is one card from firing to resolution, its chart redrawn in place at each change from the CRM data', async () => {
    const { slack, tick, judged, mark } = await setup();
    for (const t of TICKS) expect(await tick(t)).toMatchObject({ failed: 0, retrying: 0 });
    expect(await mark.stored()).toBeUndefined();

    const cards = slack.messages.filter((m) => m.channel === 'C0ALERTS' && !m.thread_ts);
    expect(cards).toHaveLength(1);
    const posts = slack.calls.filter((c) => c.method === 'chat.postMessage' && !c.body.thread_ts);
    const updates = slack.calls.filter((c) => c.method === 'chat.update');
    expect(posts).toHaveLength(1);
    const months = await judged();
    expect(months[0]).toBe('2024-03');
    expect(months.at(-1)).toBe('2024-06');
    expect(updates).toHaveLength(months.length - 1);
    // Each body carries exactly one chart: the West line up to the month its own event judged.
    const drawn = [...posts, ...updates].map((c) => chartsOf(c.body));
    expect(drawn.every((d) => d.length === 1)).toBe(true);
    expect(drawn.map((d) => points(d[0]!))).toEqual(months.map(westUpTo));
    // Spelled out once, so a wrong sum in westUpTo cannot hide: 100, 100, 70, 40, 75, 100.
    expect(Object.values(points(drawn.at(-1)![0]!))).toEqual([100, 100, 70, 40, 75, 100]);
    expect(new Set(months)).toEqual(new Set(['2024-03', '2024-04', '2024-05', '2024-06']));
    expect(drawn[0]![0]!.chart.type).toBe('line');
    expect(drawn[0]![0]!.title).toBe('Won revenue · West');
    expect(drawn[0]![0]!.chart.axis_config.categories).toEqual(['2024-01', '2024-02', '2024-03']);
    // What the line cannot draw is said in the card's words.
    expect(JSON.stringify(posts[0]!.body.attachments)).toContain('Not drawn in the chart: threshold 80');
    // The card ends resolved (green); the thread has one line per change and no PNG.
    expect(cards[0]!.attachments![0]!.color).toBe('#2CA02C');
    const thread = slack.messages.filter((m) => m.thread_ts === cards[0]!.ts);
    const words = thread.map((m) => m.text?.match(/\*([a-z ]+)\*/)?.[1]);
    expect(words).toHaveLength(updates.length);
    expect(words).toContain('escalated to critical');
    expect(words.at(-1)).toBe('resolved');
    expect(count(slack, 'files.completeUploadExternal')).toBe(0);
  });

  it('where Slack refuses the block, the same episode arrives with a PNG, nothing lost, and the block is not tried again', async () => {
    const native = await setup();
    for (const t of TICKS) await native.tick(t);
    const { slack, tick, refused, mark, judged } = await setup((m) => m === 'chat.postMessage' || m === 'chat.update');
    for (const t of TICKS) expect(await tick(t)).toMatchObject({ failed: 0, retrying: 0 });
    expect(await judged()).toEqual(await native.judged());

    const cards = slack.messages.filter((m) => m.channel === 'C0ALERTS' && !m.thread_ts);
    expect(cards).toHaveLength(1);
    // One refusal (the first card), resent at once; the edits never carry the block again.
    expect(refused).toEqual(['chat.postMessage']);
    expect((await mark.stored())?.reason).toMatch(/chat\.postMessage: invalid_blocks/);
    expect((await mark.stored())?.refusedAt.toISOString()).toBe('2024-09-30T00:00:00.000Z');
    // A restarted bot reads the mark and skips the block from its first card.
    expect(await mark.afterRestart()).toBe(true);
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage' && !c.body.thread_ts)).toHaveLength(2);
    const updates = slack.calls.filter((c) => c.method === 'chat.update');
    expect(updates).toHaveLength(count(native.slack, 'chat.update'));
    expect(updates.every((u) => chartsOf(u.body).length === 0)).toBe(true);
    // The chart as a PNG in the card's thread, once, and every change's line as in the native run.
    const thread = slack.messages.filter((m) => m.thread_ts === cards[0]!.ts);
    const files = thread.flatMap((m) => m.files ?? []);
    expect(files).toHaveLength(1);
    expect(files[0]!.bytes).toBeGreaterThan(5_000);
    const lines = (s: FakeSlack) => s.messages.filter((m) => m.thread_ts && !m.files).map((m) => m.text);
    expect(lines(slack)).toEqual(lines(native.slack));
    expect(cards[0]!.attachments![0]!.color).toBe('#2CA02C');
  });

  it('a refusal on chat.update of a card edits it without the block at once and puts the PNG in its thread', async () => {
    const { slack, tick, refused, judged, mark } = await setup((m) => m === 'chat.update');
    for (const t of TICKS) expect(await tick(t)).toMatchObject({ failed: 0, retrying: 0 });
    const cards = slack.messages.filter((m) => m.channel === 'C0ALERTS' && !m.thread_ts);
    expect(cards).toHaveLength(1);
    expect(refused).toEqual(['chat.update']);
    expect((await mark.stored())?.reason).toMatch(/chat\.update: invalid_blocks/);
    // The first edit was sent twice (refused, then without the block); the later ones once each.
    const edits = (await judged()).length - 1;
    expect(count(slack, 'chat.update')).toBe(edits + 1);
    expect(cards[0]!.edits).toBe(edits);
    expect(JSON.stringify(cards[0]!.attachments)).not.toContain('data_visualization');
    const files = slack.messages.filter((m) => m.thread_ts === cards[0]!.ts).flatMap((m) => m.files ?? []);
    expect(files).toHaveLength(1);
  });

  it('png: the card as before, its PNG in the thread when it fires; both: the native line and the PNG', async () => {
    for (const charts of ['png', 'both'] as const) {
      const { slack, tick } = await setup(undefined, charts);
      await tick(TICKS[0]!);
      const [card] = slack.messages.filter((m) => m.channel === 'C0ALERTS' && !m.thread_ts);
      const line = chartsOf(card! as never);
      expect(line.map(points)).toEqual(charts === 'png' ? [] : [westUpTo('2024-03')]);
      expect(slack.messages.filter((m) => m.thread_ts === card!.ts).flatMap((m) => m.files ?? [])).toHaveLength(1);
    }
  });
});
