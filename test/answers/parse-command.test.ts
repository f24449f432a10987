import { describe, expect, it } from 'vitest';
import { messages } from '../../src/answers/messages.ts';
import { parseCommand, type ParseEnv } from '../../src/answers/parse-command.ts';
import { parsePeriodText } from '../../src/answers/parse-period-text.ts';
import { replyProblems } from '../helpers/block-kit.ts';
import type { Calendar } from '../../src/domain/period.ts';
import { kpiRegistry } from '../../src/kpi/kpi-registry.ts';
import { periodContaining } from '../../src/kpi/periods.ts';

const calendar: Calendar = { timeZone: 'Europe/London', fiscalYearStartMonth: 1 };
const now = new Date('2017-12-31T21:51:05Z');
const kpis = kpiRegistry().all;
const env: ParseEnv = { kpis, calendar, now, locale: 'en' };
const zh: ParseEnv = { ...env, locale: 'zh' };
const period = (text: string, at = now) => parsePeriodText(text, at, calendar);
/** The last instant of the day, as `as of <day>` reads it. */
const endOfDay = (day: string) => new Date(period(day).end.getTime() - 1);

function parsed(text: string, e = env) {
  const r = parseCommand(text, e);
  if (!r.ok) throw new Error(`'${text}' did not parse: ${r.reply.text}`);
  return { ...r.command, post: r.post };
}

function usage(text: string, e = env) {
  const r = parseCommand(text, e);
  if (r.ok) throw new Error(`'${text}' parsed: ${JSON.stringify(r.command)}`);
  expect(r.reply.kind).toBe('usage');
  expect(r.reply.visibility).toBe('ephemeral');
  expect(replyProblems(r.reply)).toEqual([]);
  return r;
}

describe('parseCommand: KPI questions in English and Chinese', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['win_rate', { name: 'kpi', kpi: 'win_rate', period: undefined, grain: 'month', by: undefined, asOf: now, post: false }],
    ['/kpi win_rate', { name: 'kpi', kpi: 'win_rate', period: undefined, grain: 'month', by: undefined, asOf: now, post: false }],
    ['/KPI  WIN_RATE ', { name: 'kpi', kpi: 'win_rate', period: undefined, grain: 'month', by: undefined, asOf: now, post: false }],
    ['kpi win_rate quarter', { name: 'kpi', kpi: 'win_rate', period: undefined, grain: 'quarter', by: undefined, asOf: now, post: false }],
    [
      'win_rate last quarter by region',
      { name: 'kpi', kpi: 'win_rate', period: period('last quarter'), grain: 'quarter', by: 'region', asOf: now, post: false },
    ],
    ['赢单率 上季度 按 区域', { name: 'kpi', kpi: 'win_rate', period: period('last quarter'), grain: 'quarter', by: 'region', asOf: now, post: false }],
    ['赢单率 上季度 按区域', { name: 'kpi', kpi: 'win_rate', period: period('last quarter'), grain: 'quarter', by: 'region', asOf: now, post: false }],
    ['赢单率上月按区域', { name: 'kpi', kpi: 'win_rate', period: period('last month'), grain: 'month', by: 'region', asOf: now, post: false }],
    ['won_revenue sep 2017 by owners', { name: 'kpi', kpi: 'won_revenue', period: period('2017-09'), grain: 'month', by: 'owner', asOf: now, post: false }],
    [
      'won_revenue last month as of 2017-06-15',
      {
        name: 'kpi',
        kpi: 'won_revenue',
        period: period('last month', endOfDay('2017-06-15')),
        grain: 'month',
        by: undefined,
        asOf: endOfDay('2017-06-15'),
        post: false,
      },
    ],
    [
      '赢单收入 上个月 截至 2017年6月15日 发布',
      { name: 'kpi', kpi: 'won_revenue', period: period('2017-05'), grain: 'month', by: undefined, asOf: endOfDay('2017-06-15'), post: true },
    ],
    [
      'chart won_revenue last month by owner post',
      { name: 'chart', kpi: 'won_revenue', period: period('last month'), grain: 'month', by: 'owner', asOf: now, post: true },
    ],
    ['图表 赢单收入 2017年9月', { name: 'chart', kpi: 'won_revenue', period: period('2017-09'), grain: 'month', by: undefined, asOf: now, post: false }],
    ['why won_revenue', { name: 'why', kpi: 'won_revenue', period: undefined, grain: 'month', by: undefined, asOf: now, post: false }],
    ['why win_rate 2017-Q3 by owner', { name: 'why', kpi: 'win_rate', period: period('2017-Q3'), grain: 'quarter', by: 'owner', asOf: now, post: false }],
    ['为什么 赢单收入 上月', { name: 'why', kpi: 'won_revenue', period: period('last month'), grain: 'month', by: undefined, asOf: now, post: false }],
    ['为什么赢单收入上月', { name: 'why', kpi: 'won_revenue', period: period('last month'), grain: 'month', by: undefined, asOf: now, post: false }],
    ['complaint_rate by 国家', { name: 'kpi', kpi: 'complaint_rate', period: undefined, grain: 'month', by: 'country', asOf: now, post: false }],
  ];
  it.each(cases)('%j', (text, expected) => {
    expect(parsed(text)).toEqual(expected);
  });
});

describe('parseCommand: the other subcommands', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['', { name: 'help', topic: undefined, post: false }],
    ['help', { name: 'help', topic: undefined, post: false }],
    ['help why', { name: 'help', topic: 'why', post: false }],
    ['帮助 为什么', { name: 'help', topic: 'why', post: false }],
    ['help win_rate', { name: 'help', topic: 'kpi', post: false }],
    ['list', { name: 'list', asOf: now, post: false }],
    ['列表 截至 2017年6月', { name: 'list', asOf: new Date(period('2017-06').end.getTime() - 1), post: false }],
    ['alerts post', { name: 'alerts', post: true }],
    ['告警', { name: 'alerts', post: false }],
    ['ack 12', { name: 'ack', episode: 12, post: false }],
    ['确认 #12', { name: 'ack', episode: 12, post: false }],
    ['silence win_rate 4h', { name: 'silence', target: { kpi: 'win_rate' }, durationMs: 4 * 3_600_000, duration: '4h', reason: undefined, post: false }],
    [
      'silence 7 2 days quarter-end clean-up',
      { name: 'silence', target: { episode: 7 }, durationMs: 2 * 86_400_000, duration: '2d', reason: 'quarter-end clean-up', post: false },
    ],
    ['静默 赢单率 1天 季末清理', { name: 'silence', target: { kpi: 'win_rate' }, durationMs: 86_400_000, duration: '1d', reason: '季末清理', post: false }],
    ['静默 12 30分钟', { name: 'silence', target: { episode: 12 }, durationMs: 30 * 60_000, duration: '30m', reason: undefined, post: false }],
    ['segments as of 2011-12-10', { name: 'segments', asOf: endOfDay('2011-12-10'), post: false }],
    ['客户分群 截至2011-12-10', { name: 'segments', asOf: endOfDay('2011-12-10'), post: false }],
    ['cohorts', { name: 'cohorts', asOf: now, post: false }],
    ['scorecard 2017-Q3', { name: 'scorecard', asOf: new Date(period('2017-Q3').end.getTime() - 1), post: false }],
    ['计分卡', { name: 'scorecard', asOf: now, post: false }],
    ['target win_rate 65% by 2018-03-31', { name: 'target', kpi: 'win_rate', value: 0.65, by: '2018-03-31', post: false }],
    ['target win_rate 0.65 2018-03-31', { name: 'target', kpi: 'win_rate', value: 0.65, by: '2018-03-31', post: false }],
    ['target won_revenue 3.5m by 2018-Q1', { name: 'target', kpi: 'won_revenue', value: 3_500_000, by: '2018-03-31', post: false }],
    ['目标 赢单收入 350万 到2018年第1季度', { name: 'target', kpi: 'won_revenue', value: 3_500_000, by: '2018-03-31', post: false }],
    ['target avg_deal_size 2,500 by march 2018', { name: 'target', kpi: 'avg_deal_size', value: 2500, by: '2018-03-31', post: false }],
    ['subscribe <#C0123ABCD|sales> win_rate won_revenue', { name: 'subscribe', channel: 'C0123ABCD', kpis: ['win_rate', 'won_revenue'], post: false }],
    ['subscribe #Sales win_rate,won_revenue,win_rate', { name: 'subscribe', channel: '#sales', kpis: ['win_rate', 'won_revenue'], post: false }],
    ['订阅 #销售 赢单率、赢单收入', { name: 'subscribe', channel: '#销售', kpis: ['win_rate', 'won_revenue'], post: false }],
    ['unsubscribe C0123ABCD win_rate', { name: 'unsubscribe', channel: 'C0123ABCD', kpis: ['win_rate'], post: false }],
    ['digest', { name: 'digest', preview: false, post: false }],
    ['digest preview', { name: 'digest', preview: true, post: false }],
    ['周报 预览', { name: 'digest', preview: true, post: false }],
    ['status', { name: 'status', post: false }],
    ['状态 发布', { name: 'status', post: true }],
  ];
  it.each(cases)('%j', (text, expected) => {
    expect(parsed(text)).toEqual(expected);
  });
});

describe('parseCommand: the period may come before the KPI', () => {
  const same: [string, string][] = [
    ['上月 赢单率', '赢单率 上月'],
    ['last month win_rate', 'win_rate last month'],
    ['上周 won_revenue by region', 'won_revenue 上周 by region'],
    ['上月赢单率按区域', '赢单率上月按区域'],
    ['sep 2017 won_revenue by owner post', 'won_revenue sep 2017 by owner post'],
    ['last month won_revenue as of 2017-06-15', 'won_revenue last month as of 2017-06-15'],
    ['2017 q3 win_rate', 'win_rate 2017 q3'],
    ['chart last month won_revenue by owner', 'chart won_revenue last month by owner'],
    ['为什么 上月 赢单收入', '为什么 赢单收入 上月'],
  ];
  it.each(same)('%j reads as %j', (text, kpiFirst) => {
    expect(parsed(text)).toEqual(parsed(kpiFirst));
  });

  it('reads the period it opens with', () => {
    expect(parsed('上周 won_revenue by region')).toEqual({
      name: 'kpi',
      kpi: 'won_revenue',
      period: period('last week'),
      grain: 'week',
      by: 'region',
      asOf: now,
      post: false,
    });
    expect(parsed('last month win_rate')).toMatchObject({ kpi: 'win_rate', period: { label: '2017-11' } });
  });

  it('a mistyped KPI after the period still gets its suggestion and the help of /kpi <kpi>', () => {
    const r = usage('last month win_rat');
    expect(r.problem).toEqual({ kind: 'unknown_word', word: 'win_rat', suggestion: 'win_rate' });
    expect(r.topic).toBe('kpi');
    expect(r.reply.text).toBe("I don't know `win_rat`: it is neither a subcommand nor a KPI. Did you mean `win_rate`?");
    const zhTypo = usage('上月 赢单律', zh);
    expect(zhTypo.problem).toEqual({ kind: 'unknown_word', word: '赢单律', suggestion: '赢单率' });
    const why = usage('why last month won_revnue');
    expect(why.problem).toEqual({ kind: 'unknown_kpi', word: 'won_revnue', suggestion: 'won_revenue' });
    expect(why.topic).toBe('why');
  });

  it('a period alone, or one followed by nothing known, is no KPI question', () => {
    const alone = usage('last month');
    expect([alone.problem, alone.topic]).toEqual([{ kind: 'missing', what: 'kpi' }, 'kpi']);
    expect(usage('2017 2018 win_rate').problem).toEqual({ kind: 'unknown_word', word: '2018', suggestion: undefined });
  });
});

describe('parseCommand: typos get a suggestion and the help of what was meant', () => {
  it('a mistyped KPI: did you mean, then the help of /kpi <kpi>', () => {
    const r = usage('win_rat by region');
    expect(r.problem).toEqual({ kind: 'unknown_word', word: 'win_rat', suggestion: 'win_rate' });
    expect(r.topic).toBe('kpi');
    expect(r.reply.text).toBe("I don't know `win_rat`: it is neither a subcommand nor a KPI. Did you mean `win_rate`?");
    expect(r.reply.blocks[1]).toEqual({ kind: 'header', text: messages('en').help('kpi').syntax });
  });

  it('a mistyped subcommand: its help', () => {
    const r = usage('wyh won_revenue');
    expect(r.problem).toEqual({ kind: 'unknown_word', word: 'wyh', suggestion: 'why' });
    expect(r.reply.blocks[1]).toEqual({ kind: 'header', text: '/kpi why <kpi> [period] [by <dimension>]' });
  });

  it('a mistyped KPI after a subcommand', () => {
    const r = usage('why won_revnue last month');
    expect(r.problem).toEqual({ kind: 'unknown_kpi', word: 'won_revnue', suggestion: 'won_revenue' });
    expect(r.topic).toBe('why');
    expect(r.reply.text).toBe('There is no KPI `won_revnue`. Did you mean `won_revenue`?');
  });

  it('a mistyped Chinese title, answered in Chinese', () => {
    const r = usage('为什么 赢单收 上月', zh);
    expect(r.problem).toEqual({ kind: 'unknown_kpi', word: '赢单收', suggestion: '赢单收入' });
    expect(r.reply.text).toBe('没有名为 `赢单收` 的 KPI。你是不是想输入 `赢单收入`？');
    expect(r.reply.blocks[1]).toEqual({ kind: 'header', text: '/kpi 为什么 <KPI> [时间段] [按 <维度>]' });
  });

  it('a dimension the KPI does not have: the ones it has, and the closest', () => {
    const r = usage('win_rate by regoin');
    expect(r.problem).toEqual({
      kind: 'bad_dimension',
      word: 'regoin',
      kpi: 'win_rate',
      known: ['owner', 'manager', 'office', 'region', 'product', 'sector', 'country', 'stage'],
      suggestion: 'region',
    });
    expect(r.reply.text).toContain('Did you mean `region`?');
  });

  it('a word that is nothing known: the whole help', () => {
    const r = usage('xyzzy');
    expect(r.problem).toEqual({ kind: 'unknown_word', word: 'xyzzy', suggestion: undefined });
    expect(r.topic).toBe('help');
    expect(r.reply.blocks.map((b) => b.kind)).toEqual(['text', 'text', 'text', 'text', 'context']);
  });
});

describe('parseCommand: bad input is a usage reply with the relevant help', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['win_rate blah', { kind: 'bad_period', text: 'blah', detail: '' }, 'kpi'],
    ['win_rate 2017-W54', { kind: 'bad_period', text: '2017-W54', detail: "'2017-W54' is not a week: 2017 has ISO weeks W01–W52" }, 'kpi'],
    ['win_rate by', { kind: 'missing', what: 'dimension' }, 'kpi'],
    ['win_rate as of', { kind: 'missing', what: 'date' }, 'kpi'],
    ['why', { kind: 'missing', what: 'kpi' }, 'why'],
    ['alerts now', { kind: 'unexpected', words: 'now' }, 'alerts'],
    ['ack', { kind: 'missing', what: 'alert' }, 'ack'],
    ['ack twelve', { kind: 'bad_alert_id', word: 'twelve' }, 'ack'],
    ['silence win_rate', { kind: 'missing', what: 'duration' }, 'silence'],
    ['silence win_rate forever', { kind: 'bad_duration', word: 'forever' }, 'silence'],
    ['silence win_rate 400d', { kind: 'bad_duration', word: '400d' }, 'silence'],
    ['target win_rate 65 by 2018-03-31', { kind: 'bad_value', word: '65', percent: true }, 'target'],
    ['target won_revenue 5% by 2018-03-31', { kind: 'bad_value', word: '5%', percent: false }, 'target'],
    ['target win_rate 65%', { kind: 'missing', what: 'deadline' }, 'target'],
    ['target win_rate 65% by 2017-06-30', { kind: 'past_deadline', date: '2017-06-30' }, 'target'],
    ['subscribe sales win_rate', { kind: 'bad_channel', word: 'sales' }, 'subscribe'],
    ['subscribe #sales', { kind: 'missing', what: 'kpis' }, 'subscribe'],
    ['digest now', { kind: 'unexpected', words: 'now' }, 'digest'],
  ];
  it.each(cases)('%j', (text, problem, topic) => {
    const r = usage(text);
    expect(r.problem).toEqual(problem);
    expect(r.topic).toBe(topic);
    expect(r.reply.blocks[0]).toEqual({ kind: 'text', text: messages('en').problem(r.problem) });
    expect(r.reply.blocks[1]).toEqual({ kind: 'header', text: messages('en').help(r.topic).syntax });
  });

  it('says what is wrong in Chinese too', () => {
    expect(usage('目标 赢单率 65 到 2018-03-31', zh).reply.text).toBe('`65` 不是比例：请写 `65%` 或 `0.65`。');
    expect(usage('赢单率 下下周', zh).reply.text).toMatch(/^无法识别时间段 `下下周`。/);
  });

  it('reads a long text in bounded time', () => {
    const started = performance.now();
    usage(`win_rate ${'last '.repeat(20_000)}`);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('the deadline of a target is the last day of the period given', () => {
    const q1 = periodContaining(new Date('2018-02-01T12:00:00Z'), 'quarter', calendar);
    expect(parsed('target win_rate 65% by 2018-Q1')).toMatchObject({ by: periodContaining(new Date(q1.end.getTime() - 1), 'day', calendar).label });
  });
});
