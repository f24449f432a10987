import type { Calendar, Period } from '../domain/period.ts';
import { CrmPulseError } from '../lib/errors.ts';
import { PERIOD_WORDS } from '../kpi/period-words.ts';
import { MAX_PERIOD_TEXT, parsePeriod, periodContaining, rangePeriod } from '../kpi/periods.ts';

/** Period phrases people can type, shown with every period usage error. */
export const PERIOD_EXAMPLES: readonly string[] = [
  'today',
  'yesterday',
  'this week',
  'last month',
  'last quarter',
  'this year',
  '2017-09',
  'sep 2017',
  'q3 2017',
  '2017-Q3',
  '2017-W36',
  '2017',
  '2017-09-05',
  'from 2017-07-01 to 2017-09-15',
  '2017-07-01..2017-09-15',
  '今天',
  '昨天',
  '本周',
  '上周',
  '本月',
  '上个月',
  '本季度',
  '上季度',
  '今年',
  '去年',
  '2017年9月',
  '2017年第3季度',
  '2017年第36周',
  '从 2017-07-01 到 2017-09-15',
];

const EXAMPLES_HINT = `try one of: ${PERIOD_EXAMPLES.join(', ')}`;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const ZH_NUMBERS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];

/**
 * Reads a period as people type it in English or Simplified Chinese, relative to `now` in
 * `cal`'s time zone: everything parsePeriod reads (the relative words of kpi/period-words.ts: `last week`,
 * `previous month`, `上周`, `这个月`…; labels: `2017-W36`, `2017-Q3`…), plus month names (`september 2017`, `sep 2017`,
 * `september`: the latest September), `q3 2017`, `week 36 2017`, `2017/09/05`, and Chinese dates
 * (`2017年9月`, `2017年九月`, `9月`, `2017年9月5日`, `2017年第3季度`, `2017年第36周`, `2017年`).
 * Full-width digits count as digits. The text is at most MAX_PERIOD_TEXT characters and every
 * pattern is anchored without nested repetition, so any input is read in linear time.
 * Anything else is a usage error listing examples.
 * @example parsePeriodText('上个月', new Date('2017-09-12T10:00:00Z'), cal).label // '2017-08'
 */
export function parsePeriodText(text: string, now: Date, cal: Calendar): Period {
  if (text.length > MAX_PERIOD_TEXT) {
    throw new CrmPulseError('usage', `[period] period text is too long (${text.length} characters; at most ${MAX_PERIOD_TEXT})`, { hint: EXAMPLES_HINT });
  }
  const shown = text.normalize('NFKC').trim().replace(/\s+/g, ' ');
  const t = shown.toLowerCase();
  if (t === '') throw new CrmPulseError('usage', '[period] no period given', { hint: EXAMPLES_HINT });
  // Relative words (kpi/period-words.ts) are parsePeriod's: one table for /kpi and the config.
  if (PERIOD_WORDS.has(t)) return parsePeriod(t, now, cal);
  // A date range as one period: from D to D, D..D, 从 D 到 D; each end may be any period (its first or last day).
  const range = /^from (.+) to (.+)$/.exec(t) ?? /^(.+?) ?\.\. ?(.+)$/.exec(t) ?? /^从 ?(.+?) ?[到至] ?(.+)$/.exec(t);
  if (range) {
    const [from, to] = [parsePeriodText(range[1]!, now, cal), parsePeriodText(range[2]!, now, cal)];
    return rangePeriod(from.start, new Date(to.end.getTime() - 1), cal);
  }
  const label = labelOf(t, now, cal);
  try {
    return parsePeriod(label ?? shown, now, cal);
  } catch (error) {
    // parsePeriod's own "unknown period" lists only its forms; ours lists all of them.
    if (error instanceof CrmPulseError && error.message.startsWith('[period] unknown period')) {
      throw new CrmPulseError('usage', `[period] unknown period '${shown}'`, { hint: EXAMPLES_HINT });
    }
    throw error;
  }
}

/** The label parsePeriod reads for one of our extra forms, or undefined to let it try the text as is. */
function labelOf(t: string, now: Date, cal: Calendar): string | undefined {
  let m: RegExpExecArray | null;
  // Chinese: 2017年, 2017年度, 2017年9月(份), 2017年九月, 2017年9月5日(号), 2017年第3季度, 2017年Q3, 2017年第36周
  if ((m = /^(\d{4}) ?年度?$/.exec(t))) return m[1];
  if ((m = /^(\d{4}) ?年 ?(\d{1,2}|[一二三四五六七八九十]{1,3}) ?月份?$/.exec(t))) return month(m[1]!, zhNumber(m[2]!));
  if ((m = /^(\d{4}) ?年 ?(\d{1,2}) ?月 ?(\d{1,2}) ?[日号]$/.exec(t))) return `${m[1]}-${pad2(m[2]!)}-${pad2(m[3]!)}`;
  if ((m = /^(\d{4}) ?年 ?(?:第 ?)?([1-4一二三四]) ?季度?$/.exec(t))) return `${m[1]}-Q${zhNumber(m[2]!)}`;
  if ((m = /^(\d{4}) ?年 ?q([1-4])$/.exec(t))) return `${m[1]}-Q${m[2]}`;
  if ((m = /^(\d{4}) ?年 ?第 ?(\d{1,2}) ?周$/.exec(t))) return `${m[1]}-W${pad2(m[2]!)}`;
  if ((m = /^(\d{1,2}|[一二三四五六七八九十]{1,3}) ?月份?$/.exec(t))) return latestMonth(zhNumber(m[1]!), now, cal);
  // English: september 2017, sep 2017, 2017 september, september
  if ((m = /^([a-z]{3,9})\.?(?: (\d{4}))?$/.exec(t)) && monthNumber(m[1]!)) {
    return m[2] ? month(m[2], monthNumber(m[1]!)!) : latestMonth(monthNumber(m[1]!)!, now, cal);
  }
  if ((m = /^(\d{4}) ([a-z]{3,9})$/.exec(t)) && monthNumber(m[2]!)) return month(m[1]!, monthNumber(m[2]!)!);
  // q3 2017, 2017 q3, 2017q3, week 36 2017, w36 2017, 2017 w36
  if ((m = /^q([1-4]) ?(\d{4})$/.exec(t)) || (m = /^(\d{4}) ?q([1-4])$/.exec(t))) {
    const [year, q] = m[1]!.length === 4 ? [m[1]!, m[2]!] : [m[2]!, m[1]!];
    return `${year}-Q${q}`;
  }
  if ((m = /^(?:week ?|w)(\d{1,2}) (\d{4})$/.exec(t))) return `${m[2]}-W${pad2(m[1]!)}`;
  if ((m = /^(\d{4}) (?:week ?|w)(\d{1,2})$/.exec(t))) return `${m[1]}-W${pad2(m[2]!)}`;
  // 2017/09/05, 2017.09, 2017/9
  if ((m = /^(\d{4})[/.](\d{1,2})(?:[/.](\d{1,2}))?$/.exec(t))) return m[3] ? `${m[1]}-${pad2(m[2]!)}-${pad2(m[3])}` : `${m[1]}-${pad2(m[2]!)}`;
  return undefined;
}

/** The latest month with this number that started on or before `now`. */
function latestMonth(n: number, now: Date, cal: Calendar): string {
  const current = periodContaining(now, 'month', cal).label;
  const year = Number(current.slice(0, 4));
  return month(String(n <= Number(current.slice(5, 7)) ? year : year - 1), n);
}

function month(year: string, n: number): string {
  // Out-of-range months (13月) reach parsePeriod, which says months run 01–12.
  return `${year}-${pad2(String(n))}`;
}

function monthNumber(word: string): number | undefined {
  const i = MONTHS.findIndex((name) => name.startsWith(word));
  return i < 0 ? undefined : i + 1;
}

function zhNumber(text: string): number {
  const i = ZH_NUMBERS.indexOf(text);
  return i >= 0 ? i + 1 : Number(text);
}

function pad2(text: string): string {
  return text.padStart(2, '0');
}
