import { describe, expect, it } from 'vitest';
import { parsePeriodText, PERIOD_EXAMPLES } from '../../src/answers/parse-period-text.ts';
import type { Calendar } from '../../src/domain/period.ts';
import { CrmPulseError } from '../../src/lib/errors.ts';
import { parsePeriod, periodContaining, previousPeriod, shiftPeriod } from '../../src/kpi/periods.ts';

const london: Calendar = { timeZone: 'Europe/London', fiscalYearStartMonth: 1 };
const fyApril: Calendar = { timeZone: 'UTC', fiscalYearStartMonth: 4 };
// Tuesday 12 September 2017, 10:00 in London: in week 2017-W37, month 2017-09, quarter 2017-Q3.
const now = new Date('2017-09-12T09:00:00Z');
const label = (text: string, cal = london, at = now) => parsePeriodText(text, at, cal).label;
const current = (grain: 'day' | 'week' | 'month' | 'quarter' | 'year') => periodContaining(now, grain, london);

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CrmPulseError);
    expect((e as CrmPulseError).code).toBe('usage');
    return (e as Error).message;
  }
  throw new Error('expected a usage error');
}

describe('parsePeriodText: relative phrases in English and Chinese mean the same periods', () => {
  // Each row: phrases that name one period, and that period from the calendar helpers.
  const same: [string[], () => string][] = [
    [['today', '今天'], () => current('day').label],
    [['yesterday', '昨天'], () => previousPeriod(current('day'), london).label],
    [['前天'], () => shiftPeriod(current('day'), -2, london).label],
    [['this week', 'current week', '本周', '这周', '这个星期', '本星期'], () => current('week').label],
    [['last week', 'previous week', '上周', '上个星期', '上星期'], () => previousPeriod(current('week'), london).label],
    [['this month', 'current month', '本月', '这个月', '这月'], () => current('month').label],
    [['last month', 'previous month', '上月', '上个月'], () => previousPeriod(current('month'), london).label],
    [['this quarter', '本季度', '这个季度', '这季度'], () => current('quarter').label],
    [['last quarter', '上季度', '上个季度'], () => previousPeriod(current('quarter'), london).label],
    [['this year', '今年', '本年', '本年度'], () => current('year').label],
    [['last year', '去年', '上年', '上一年'], () => previousPeriod(current('year'), london).label],
    [['前年'], () => shiftPeriod(current('year'), -2, london).label],
  ];
  it.each(same)('%j', (phrases, expected) => {
    for (const p of phrases) expect(label(p), p).toBe(expected());
  });

  it('reads the relative phrases in the calendar time zone, not UTC', () => {
    // 23:30 UTC on Sunday 31 December 2017 is already Monday 1 January 2018 in Shanghai.
    const shanghai: Calendar = { timeZone: 'Asia/Shanghai', fiscalYearStartMonth: 1 };
    const at = new Date('2017-12-31T23:30:00Z');
    expect(label('today', shanghai, at)).toBe('2018-01-01');
    expect(label('上个月', shanghai, at)).toBe('2017-12');
    expect(label('last month', london, at)).toBe('2017-11');
  });
});

describe('parsePeriodText: named periods', () => {
  // Each row: what people type, and the label parsePeriod reads for the same period.
  const named: [string, string][] = [
    ['2017-09', '2017-09'],
    ['september 2017', '2017-09'],
    ['Sep 2017', '2017-09'],
    ['sept 2017', '2017-09'],
    ['2017 september', '2017-09'],
    ['2017/9', '2017-09'],
    ['2017.09.05', '2017-09-05'],
    ['2017-Q3', '2017-Q3'],
    ['q3 2017', '2017-Q3'],
    ['2017 Q3', '2017-Q3'],
    ['2017q3', '2017-Q3'],
    ['2017-W36', '2017-W36'],
    ['week 36 2017', '2017-W36'],
    ['w36 2017', '2017-W36'],
    ['2017 w36', '2017-W36'],
    ['2017', '2017'],
    ['2017年', '2017'],
    ['2017年度', '2017'],
    ['2017年9月', '2017-09'],
    ['2017年09月', '2017-09'],
    ['2017年九月', '2017-09'],
    ['2017年十二月', '2017-12'],
    ['2017年9月份', '2017-09'],
    ['2017年9月5日', '2017-09-05'],
    ['2017年9月5号', '2017-09-05'],
    ['2017年第3季度', '2017-Q3'],
    ['2017年第三季度', '2017-Q3'],
    ['2017年3季度', '2017-Q3'],
    ['2017年Q3', '2017-Q3'],
    ['2017年第36周', '2017-W36'],
    ['２０１７年９月', '2017-09'],
    ['  2017年 9月 ', '2017-09'],
  ];
  it.each(named)('%j is %s', (text, expected) => {
    expect(label(text)).toBe(parsePeriod(expected, now, london).label);
    const p = parsePeriodText(text, now, london);
    const q = parsePeriod(expected, now, london);
    expect([p.start.toISOString(), p.end.toISOString()]).toEqual([q.start.toISOString(), q.end.toISOString()]);
  });

  it('reads a month without a year as the latest one that has started', () => {
    expect(label('september')).toBe('2017-09');
    expect(label('9月')).toBe('2017-09');
    expect(label('august')).toBe('2017-08');
    expect(label('october')).toBe('2016-10');
    expect(label('十月')).toBe('2016-10');
    expect(label('jan')).toBe('2017-01');
  });

  it('follows the fiscal year: a calendar quarter is refused with the fiscal name to use, in both languages', () => {
    expect(label('fy2018-q1', fyApril)).toBe('FY2018-Q1');
    const en = usageMessage(() => parsePeriodText('q3 2017', now, fyApril));
    const zh = usageMessage(() => parsePeriodText('2017年第3季度', now, fyApril));
    expect(en).toBe(usageMessage(() => parsePeriod('2017-Q3', now, fyApril)));
    expect(zh).toBe(en);
    expect(en).toContain('FY2018-Q2 (Jul–Sep 2017)');
  });
});

describe('parsePeriodText: anything else is a usage error with examples', () => {
  it.each(['next week', 'blah', 'sep 17', '2017年13月', '13月', '2017-W54', '上上上周', '2017年第5季度', 'q5 2017'])('%j', (text) => {
    const message = usageMessage(() => parsePeriodText(text, now, london));
    expect(message).toMatch(/^\[period\] /);
  });

  it('lists every example in the hint of an unknown period, English and Chinese ones', () => {
    const message = usageMessage(() => parsePeriodText('next week', now, london));
    expect(message).toBe(`[period] unknown period 'next week'\n  fix: try one of: ${PERIOD_EXAMPLES.join(', ')}`);
    expect(PERIOD_EXAMPLES).toContain('上周');
    // every example reads
    for (const e of PERIOD_EXAMPLES) expect(() => parsePeriodText(e, now, london), e).not.toThrow();
  });

  it("keeps parsePeriod's precise reasons: a week that does not exist says which weeks do", () => {
    expect(usageMessage(() => parsePeriodText('2017年第54周', now, london))).toContain('2017 has ISO weeks W01–W52');
    expect(usageMessage(() => parsePeriodText('2017年13月', now, london))).toContain('months run 01–12');
  });

  it('is bounded on any input: long and adversarial texts are refused at once', () => {
    const inputs = [
      '9'.repeat(100_000),
      `${'2017年'.repeat(20)}`,
      `${'q'.repeat(63)}`,
      `${'w '.repeat(31)}`,
      `${'九'.repeat(64)}`,
      `september ${' '.repeat(50)}2017x`,
    ];
    const started = performance.now();
    for (const text of inputs) usageMessage(() => parsePeriodText(text, now, london));
    // A catastrophic pattern would take seconds on these; linear reading takes microseconds.
    expect(performance.now() - started).toBeLessThan(200);
    expect(usageMessage(() => parsePeriodText('9'.repeat(100_000), now, london))).toContain('too long (100000 characters; at most 64)');
  });
});
