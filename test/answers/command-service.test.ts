// The /kpi service on a real store: the alert fixture's tiny CRM, where West's won revenue is 100 a
// month except 40 in March 2024 and 55 in June, and East's is 100 every month (see alert-fixture.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandService, type CommandService } from '../../src/answers/command-service.ts';
import { messages } from '../../src/answers/messages.ts';
import { replyProblems } from '../helpers/block-kit.ts';
import type { CommandContext, Reply, ReplyBlock } from '../../src/answers/reply.ts';
import type { ContributionChartInput } from '../../src/charts/contribution-chart.ts';
import type { TrendChartInput } from '../../src/charts/trend-chart.ts';
import { formatKpiChange } from '../../src/kpi/format-kpi-value.ts';
import { ENGINES } from '../helpers/databases.ts';
import { alertFixture, at, recordingNotifier } from '../alerts/alert-fixture.ts';

type Fixture = Awaited<ReturnType<typeof alertFixture>>;

const NOW = at('2024-09-30T12:00:00Z');
const admin: CommandContext = { userId: 'U0ADMIN', locale: 'en', isAdmin: true, now: NOW };
const member: CommandContext = { userId: 'U0MEMBER', channelId: 'C0GENERAL', locale: 'en', isAdmin: false, now: NOW };

const tables = (r: Reply) => r.blocks.filter((b): b is Extract<ReplyBlock, { kind: 'table' }> => b.kind === 'table');
const charts = (r: Reply) => r.blocks.flatMap((b) => (b.kind === 'chart' ? [b.chart] : []));
const texts = (r: Reply) => r.blocks.flatMap((b) => ('text' in b ? [b.text] : []));
/** A number as the answers format it: −60, +1,234, ±0, 61.3%, +2.1 pp. */
const num = (s: string) =>
  Number(
    s
      .replace('−', '-')
      .replace('±', '')
      .replace(/[,+%]|pp/g, '')
      .trim(),
  );

describe('the /kpi service on the fixture CRM', () => {
  let f: Fixture;
  let kpi: CommandService;
  beforeAll(async () => {
    f = await alertFixture();
    kpi = commandService(f.app);
  });
  afterAll(async () => f.close());

  it('why won_revenue for 2024-03 puts the whole −60 on West, by region and by owner, and nothing else', async () => {
    const r = await kpi.run('why won_revenue 2024-03', admin);
    expect(r.kind).toBe('answer');
    expect(r.visibility).toBe('ephemeral');
    expect(r.blocks[0]).toEqual({ kind: 'header', text: 'Why Won revenue moved · March 2024' });
    expect(r.text).toBe('Won revenue went from *200* in 2024-02 to *140* in 2024-03 (*−60*). Biggest driver: *West* (region), −60.');
    expect(texts(r)).toContain(messages('en').method('additive', 'Won revenue', { formula: 'revenue' }));
    // Regions first (they explain as much as owners, and are coarser); product, sector, country and
    // manager have one value, "(none)", in this CRM and explain nothing, so they are left out.
    expect(tables(r).map((t) => [t.columns, t.rows])).toEqual([
      [
        ['region', '2024-02', '2024-03', 'contribution'],
        [
          ['West', '100', '40', '−60'],
          ['East', '100', '100', '±0'],
        ],
      ],
      [
        ['owner', '2024-02', '2024-03', 'contribution'],
        [
          ['Ann', '100', '40', '−60'],
          ['Bob', '100', '100', '±0'],
        ],
      ],
    ]);
    for (const t of tables(r)) expect(t.rows.reduce((s, row) => s + num(row[3]!), 0)).toBe(num('−60'));
    const chart = charts(r)[0] as ContributionChartInput;
    expect(chart).toMatchObject({
      kind: 'contribution',
      dimension: 'region',
      previous: { period: '2024-02', value: 200 },
      current: { period: '2024-03', value: 140 },
    });
    expect(chart.contributions).toEqual([
      { key: 'West', change: -60 },
      { key: 'East', change: 0 },
    ]);
  });

  it('why … by owner keeps to that dimension; a month without a change says so', async () => {
    const byOwner = await kpi.run('why won_revenue 2024-06 by owner', admin);
    expect(tables(byOwner).map((t) => t.rows)).toEqual([
      [
        ['Ann', '100', '55', '−45'],
        ['Bob', '100', '100', '±0'],
      ],
    ]);
    const flat = await kpi.run('why won_revenue 2024-08', admin);
    expect(flat.text).toBe('Won revenue went from *200* in 2024-07 to *200* in 2024-08 (*±0*). Biggest driver: *East* (region), ±0.');
    // The fixture's deals start in 2024-01: December 2023 is before the data, not a month of 0 (issue 14).
    const first = await kpi.run('why won_revenue 2024-01', admin);
    expect(first.text).toBe('Won revenue has no value in 2023-12 (before the data starts), so there is no change to explain.');
    const none = await kpi.run('why win_rate 2024-01', admin);
    expect(none.text).toBe('Win rate has no value in 2023-12 (before the data starts), so there is no change to explain.');
  });

  it('why win_rate splits the change of a ratio by shift-share, and the effects add up', async () => {
    // Win rate: Ann wins her one deal a month (100%), Bob wins one and loses one (50%): 2/3 every
    // month. Nothing moves, and every effect is zero.
    const r = await kpi.run('why win_rate 2024-03 by region', admin);
    expect(texts(r).filter((t) => t.startsWith('Method: shift-share.'))).toHaveLength(1);
    expect(tables(r)[0]!.columns).toEqual(['region', '2024-02', '2024-03', 'rate', 'mix', 'contribution']);
    expect(tables(r)[0]!.rows).toEqual([
      ['East', '50.0%', '50.0%', '±0.0 pp', '±0.0 pp', '±0.0 pp'],
      ['West', '100.0%', '100.0%', '±0.0 pp', '±0.0 pp', '±0.0 pp'],
    ]);
  });

  it('<kpi> [period] by <dimension>: value, changes, the breakdown and both charts', async () => {
    const r = await kpi.run('won_revenue 2024-03 by region', admin);
    expect(r.blocks[0]).toEqual({ kind: 'header', text: 'Won revenue · March 2024' });
    expect(r.blocks[1]).toEqual({ kind: 'text', text: '*140*' });
    expect(r.blocks[2]).toEqual({
      kind: 'fields',
      fields: [
        { label: 'vs previous period', value: `${formatKpiChange(-60, 'currency')} (2024-02: 200)` },
        // A year earlier is before the data starts: no value, not a comparison with 0.
        { label: 'vs last year', value: '– (2023-03: no value (before the data starts))' },
      ],
    });
    const { cells, ...table } = tables(r)[0]!;
    expect(table).toEqual({
      kind: 'table',
      columns: ['region', '2024-03', '2024-02', 'change'],
      rows: [
        ['East', '100', '100', '±0'],
        ['West', '40', '100', '−60'],
      ],
    });
    // The same cells with the numbers behind them, for Slack's data_table to sort by.
    expect(cells!.map((row) => row.map((c) => c.value ?? c.text))).toEqual([
      ['East', 100, 100, 0],
      ['West', 40, 100, -60],
    ]);
    const [breakdown, trend] = charts(r) as [unknown, TrendChartInput];
    expect(breakdown).toMatchObject({
      kind: 'breakdown',
      dimension: 'region',
      period: '2024-03',
      previousPeriod: '2024-02',
      items: [
        { key: 'East', value: 100, previous: 100 },
        { key: 'West', value: 40, previous: 100 },
      ],
    });
    expect(trend.kind).toBe('trend');
    expect(trend.period).toBe('2023-04 – 2024-03');
    expect(trend.points.map((p) => p.value)).toEqual([...Array(9).fill(null), 200, 200, 140]);
    // The fixture's only rule is a change rule: no threshold to draw, and no target yet.
    expect(trend.threshold).toBeUndefined();
    expect(trend.target).toBeUndefined();
  });

  it('chart <kpi> answers with the chart alone; post makes it in_channel', async () => {
    const r = await kpi.run('chart won_revenue 2024-03 by region post', admin);
    expect(r.blocks.map((b) => b.kind)).toEqual(['chart']);
    expect(charts(r)[0]!.kind).toBe('breakdown');
    expect(r.visibility).toBe('in_channel');
  });

  it('the period in progress is said to be so', async () => {
    const r = await kpi.run('won_revenue', { ...admin, now: at('2024-09-20T12:00:00Z') });
    expect(r.blocks[1]).toEqual({ kind: 'text', text: '*200* (to date, through 2024-09-20)' });
  });

  it('answers in Chinese with the Chinese titles and dimension names', async () => {
    const r = await kpi.run('为什么 赢单收入 2024年3月 按区域', { ...admin, locale: 'zh' });
    expect(r.blocks[0]).toEqual({ kind: 'header', text: '赢单收入 为什么变化 · 2024年3月' });
    expect(r.text).toBe('赢单收入 从 2024-02 的 *200* 变为 2024-03 的 *140*（*−60*）。最大影响因素：*West*（区域），−60。');
    expect(tables(r)[0]!.columns).toEqual(['区域', '2024-02', '2024-03', '贡献']);
  });

  it('list: every KPI, with its latest value; the computed ones in a second table, pointing to their answers', async () => {
    const r = await kpi.run('list', admin);
    const [table, computed] = tables(r);
    expect([...table!.rows, ...computed!.rows].map((row) => row[0])).toEqual(f.app.kpis.all.map((k) => k.key));
    expect(computed!.rows.map((row) => row[0])).toEqual(f.app.kpis.all.filter((k) => k.model !== undefined).map((k) => k.key));
    // The clock, 2024-09-30 12:00, is inside September: the month is to date.
    expect(table!.rows.find((row) => row[0] === 'won_revenue')).toEqual(['won_revenue', 'Won revenue', '200', '±0', '2024-09 through 2024-09-30']);
    expect(table!.rows.find((row) => row[0] === 'csat')).toEqual(['csat', 'Customer satisfaction (CSAT)', '–', '–', '–']);
  });

  it('digest posts the company digest of the week before now in the channel; preview shows it to the caller only', async () => {
    const r = await kpi.run('digest', admin);
    expect(r.kind).toBe('answer');
    expect(r.visibility).toBe('in_channel');
    expect(r.text).toMatch(/^Weekly digest · company · /);
    expect(charts(r).map((c) => c.kind)).toEqual(['digest']);
    const preview = await kpi.run('digest preview', admin);
    expect(preview.visibility).toBe('ephemeral');
    expect(preview.text).toBe(r.text);
  });

  it('status: the source, its lines and how fresh the data is', async () => {
    const r = await kpi.run('status', admin);
    expect(tables(r)[0]!.rows.map((row) => [row[0], row[2], row[3], row[4]])).toEqual([['crm', '29', '29', '0']]);
    expect(texts(r)).toContain('Latest record: 2024-09-16 00:00 (14 days ago).');
  });

  it('segments, cohorts and scorecard say what is missing in this CRM', async () => {
    expect((await kpi.run('segments', admin)).text).toBe(messages('en').noCustomers('2024-09-30'));
    expect((await kpi.run('cohorts', admin)).text).toBe(messages('en').noCohorts);
    const scorecard = await kpi.run('scorecard', admin);
    expect([scorecard.kind, scorecard.text]).toEqual(['error', messages('en').error(messages('en').noScorecard)]);
  });
});

describe.each(ENGINES)('mutating /kpi commands on $engine', ({ create }) => {
  let f: Fixture;
  let kpi: CommandService;
  beforeAll(async () => {
    f = await alertFixture(undefined, { database: await create() });
    kpi = commandService(f.app);
  });
  afterAll(async () => f.close());

  it('non-admins are refused politely, and every refusal is audited', async () => {
    for (const text of [
      'target won_revenue 250 by 2024-12-31',
      'subscribe #sales won_revenue',
      'silence won_revenue 1d',
      'ack 1',
      'unsubscribe #sales won_revenue',
    ]) {
      const r = await kpi.run(text, member);
      expect([r.kind, r.visibility], text).toEqual(['refused', 'ephemeral']);
      expect(r.text).toBe(`Sorry, only admins can run \`/kpi ${text.split(' ')[0]}\`. No admin is configured yet (slack.admins in the config).`);
    }
    const refusals = (await f.app.alerts.audit(50)).filter((e) => e.action === 'refused');
    expect(refusals.map((e) => [e.actor, e.subject]).reverse()).toEqual([
      ['U0MEMBER', '/kpi target'],
      ['U0MEMBER', '/kpi subscribe'],
      ['U0MEMBER', '/kpi silence'],
      ['U0MEMBER', '/kpi ack'],
      ['U0MEMBER', '/kpi unsubscribe'],
    ]);
    expect(JSON.parse(refusals.at(-1)!.detail!)).toEqual({ text: 'target won_revenue 250 by 2024-12-31', channel: 'C0GENERAL' });
    // nothing changed
    expect((await f.app.targets(NOW)).map((t) => t.key)).toEqual([]);
  });

  it('target: stored, audited, in force for targets and the KPI answer, and replaced by the next', async () => {
    const r = await kpi.run('target won_revenue 250 by 2024-12-31', admin);
    expect(r.text).toBe('🎯 Target set: Won revenue 250 by 2024-12-31, read per month; progress counts from 2024-09-30.');
    const [status] = await f.app.targets(NOW);
    expect(status).toMatchObject({ key: 'won_revenue', target: 250, deadline: '2024-12-31', start: { period: { label: '2024-09' } } });
    const answer = await kpi.run('won_revenue 2024-09', admin);
    expect((answer.blocks[2] as Extract<ReplyBlock, { kind: 'fields' }>).fields[2]!.label).toBe('Target (2024-09)');
    expect((charts(answer)[0] as TrendChartInput).target).toBe(250);

    const again = await kpi.run('target won_revenue 300 by 2024-Q4', admin);
    expect(again.text).toBe('🎯 Target set: Won revenue 300 by 2024-12-31, read per month; progress counts from 2024-09-30. It replaces 250 (2024-12-31).');
    expect((await f.app.targets(NOW)).map((t) => t.target)).toEqual([300]);
    const audited = (await f.app.alerts.audit(50)).filter((e) => e.action === 'target_set');
    expect(audited.map((e) => [e.actor, e.subject, JSON.parse(e.detail!).value])).toEqual([
      ['U0ADMIN', 'kpi won_revenue', 300],
      ['U0ADMIN', 'kpi won_revenue', 250],
    ]);
  });

  it('subscribe adds the channel to the alerts of the KPI; ack and silence act on the episode; alerts links the threads', async () => {
    const sub = await kpi.run('subscribe <#C0SALES|sales> won_revenue', admin);
    expect(sub.text).toBe('🔔 <#C0SALES> now receives the alerts of Won revenue.');
    expect((await kpi.run('subscribe #sales won_revenue', admin)).text).toBe('🔔 #sales now receives the alerts of Won revenue.');

    // West's March drop fires at the start of April: the configured #alerts and #leads, and the two subscriptions.
    const notifier = recordingNotifier();
    await f.app.alerts.evaluate(at('2024-04-01T09:00:00Z'));
    await f.app.alerts.deliver(notifier, at('2024-04-01T09:00:00Z'));
    expect(notifier.delivered.map((n) => n.channel).sort()).toEqual(['#alerts', '#leads', '#sales', 'C0SALES']);

    const april: CommandContext = {
      ...admin,
      now: at('2024-04-01T10:00:00Z'),
      threadLink: async (channel, ref) => `https://example.slack.com/archives/${ref}?c=${encodeURIComponent(channel)}`,
    };
    const [episode] = (await f.app.alerts.overview(april.now)).open;
    const list = await kpi.run('alerts', april);
    expect(tables(list)[0]!.rows).toEqual([[String(episode!.id), 'critical', 'Won revenue', 'West', '2024-04-01 09:00', '40', 'no']]);
    const link = (channel: string, shown: string) => `<https://example.slack.com/archives/${channel}/${episode!.id}?c=${encodeURIComponent(channel)}|${shown}>`;
    expect(texts(list)).toContain(
      `#${episode!.id}: ${[link('#alerts', '#alerts'), link('#leads', '#leads'), link('#sales', '#sales'), link('C0SALES', '<#C0SALES>')].join(', ')}`,
    );

    const ack = await kpi.run(`ack ${episode!.id}`, april);
    expect(ack.text).toBe(`👀 Alert ${episode!.id} (drop · West) acknowledged: reminders stop, the alert stays open until it resolves.`);
    expect((await f.app.alerts.overview(april.now)).open[0]!.acknowledgedBy).toBe('U0ADMIN');
    expect((await kpi.run('ack 999', april)).text).toBe(messages('en').error(messages('en').noEpisode(999)));

    const silence = await kpi.run('silence won_revenue 2d quarter-end clean-up', april);
    const [s] = (await f.app.alerts.overview(april.now)).silences;
    expect(s).toMatchObject({ matchers: { kpi: 'won_revenue' }, createdBy: 'U0ADMIN', reason: 'quarter-end clean-up', endsAt: at('2024-04-03T10:00:00Z') });
    expect(silence.text).toBe(`🔕 Alerts on Won revenue silenced until 2024-04-03 10:00 (2d) (silence ${s!.id}).`);
    expect(tables(await kpi.run('alerts', april))[1]!.rows).toEqual([
      [String(s!.id), 'kpi=won_revenue', '2024-04-03 10:00', 'U0ADMIN', 'quarter-end clean-up'],
    ]);

    const unsub = await kpi.run('unsubscribe #sales won_revenue win_rate', admin);
    expect(unsub.text).toBe('🔕 #sales no longer receives the alerts of Won revenue through a subscription. Not subscribed: Win rate.');
    const actions = (await f.app.alerts.audit(50)).map((e) => `${e.actor} ${e.action} ${e.subject}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'U0ADMIN subscribe channel C0SALES',
        'U0ADMIN subscribe channel #sales',
        `U0ADMIN acknowledge episode ${episode!.id}`,
        `U0ADMIN silence silence ${s!.id}`,
        'U0ADMIN unsubscribe channel #sales',
      ]),
    );
  });
});

describe('every reply fits Slack (50 blocks, 3,000 characters a section, 150 a header)', () => {
  let f: Fixture;
  let kpi: CommandService;
  beforeAll(async () => {
    f = await alertFixture();
    kpi = commandService(f.app);
    await f.app.alerts.evaluate(at('2024-04-01T09:00:00Z'));
  });
  afterAll(async () => f.close());

  const COMMANDS = [
    '',
    'help',
    'help why',
    'help target',
    'list',
    'won_revenue',
    'won_revenue 2024-03 by region',
    'win_rate by owner',
    'chart won_revenue by region',
    'why won_revenue 2024-03',
    'why win_rate 2024-06',
    'why avg_deal_size 2024-06',
    'alerts',
    'ack 1',
    'silence 1 4h',
    'silence won_revenue 1d why not',
    'segments',
    'cohorts',
    'scorecard',
    'target won_revenue 1m by 2025-01-31',
    'subscribe #a won_revenue win_rate',
    'unsubscribe #a win_rate',
    'digest preview',
    'status',
    'win_rat',
    'xyzzy',
    'why',
    'win_rate by colour',
    `win_rate ${'x'.repeat(3000)}`,
  ];
  it.each(['en', 'zh'] as const)('in %s', async (locale) => {
    for (const text of COMMANDS) {
      for (const isAdmin of [true, false]) {
        const r = await kpi.run(text, { ...admin, locale, isAdmin, now: at('2024-04-01T10:00:00Z') });
        expect(replyProblems(r), `${locale} ${isAdmin ? 'admin' : 'member'}: ${text}`).toEqual([]);
        expect(r.text.length).toBeGreaterThan(0);
      }
    }
  });
});
