import type { Calendar, Period } from '../domain/period.ts';
import { formatRange } from '../kpi/periods.ts';
import type { Locale } from '../domain/locale.ts';

/**
 * A period as people of a locale read it: `March 2017`, `Q1 2017`, `Mon 27 Feb – Sun 5 Mar 2017`
 * in English; `2017年3月`, `2017年第1季度`, `2017年第9周（2月27日–3月5日）` in Chinese.
 * @example periodName(parsePeriod('2017-03', now, cal), 'zh', cal) // '2017年3月'
 */
export function periodName(p: Period, locale: Locale, cal: Calendar): string {
  if (locale === 'en') return formatRange(p, cal);
  let m: RegExpExecArray | null;
  const n = (s: string) => String(Number(s));
  if (p.range) {
    m = /^(\d{4})-(\d{2})-(\d{2})\.\.(\d{4})-(\d{2})-(\d{2})$/.exec(p.label)!;
    return `${m[1]}年${n(m[2]!)}月${n(m[3]!)}日 至 ${m[4]}年${n(m[5]!)}月${n(m[6]!)}日`;
  }
  switch (p.grain) {
    case 'day':
      m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(p.label)!;
      return `${m[1]}年${n(m[2]!)}月${n(m[3]!)}日`;
    case 'week': {
      m = /^(\d{4})-W(\d{2})$/.exec(p.label)!;
      // formatRange gives "Mon 27 Feb – Sun 5 Mar 2017"; the days are the useful part.
      const days = /^\w+ (\d+) (\w+)(?: \d{4})? – \w+ (\d+) (\w+) \d{4}$/.exec(formatRange(p, cal));
      const month = (name: string) => MONTHS.indexOf(name) + 1;
      return `${m[1]}年第${n(m[2]!)}周${days ? `（${month(days[2]!)}月${days[1]}日–${month(days[4]!)}月${days[3]}日）` : ''}`;
    }
    case 'month':
      m = /^(\d{4})-(\d{2})$/.exec(p.label)!;
      return `${m[1]}年${n(m[2]!)}月`;
    case 'quarter':
      m = /^(FY)?(\d{4})-Q(\d)$/.exec(p.label)!;
      return m[1] ? `${m[2]}财年第${m[3]}季度` : `${m[2]}年第${m[3]}季度`;
    case 'year':
      m = /^(FY)?(\d{4})$/.exec(p.label)!;
      return m[1] ? `${m[2]}财年` : `${m[2]}年`;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
