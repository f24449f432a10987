const DURATION_UNITS: readonly (readonly [RegExp, string, number])[] = [
  [/^(?:s|sec|secs|seconds?|秒|秒钟)$/, 's', 1_000],
  [/^(?:m|min|mins|minutes?|分|分钟)$/, 'm', 60_000],
  [/^(?:h|hr|hrs|hours?|小时|个小时|时)$/, 'h', 3_600_000],
  [/^(?:d|days?|天|日)$/, 'd', 86_400_000],
  [/^(?:w|wk|wks|weeks?|周|星期|个星期)$/, 'w', 604_800_000],
];

/** The longest duration a silence takes: a year; longer is a rule to delete, not a silence. */
export const MAX_DURATION_MS = 366 * 86_400_000;

/**
 * A duration typed in English or Chinese (`30m`, `4h`, `1d`, `2w`, `4 hours`, `4小时`, `1天`, `2周`)
 * as milliseconds and its short form, or undefined.
 * @example parseDurationText('4小时') // { ms: 14_400_000, text: '4h' }
 */
export function parseDurationText(text: string): { ms: number; text: string } | undefined {
  const m = /^(\d{1,6}(?:\.\d{1,3})?) ?([a-z\u4e00-\u9fff]{1,8})$/.exec(text.trim().toLowerCase());
  if (!m) return undefined;
  const unit = DURATION_UNITS.find(([re]) => re.test(m[2]!));
  if (!unit) return undefined;
  const ms = Number(m[1]) * unit[2];
  return ms > 0 && ms <= MAX_DURATION_MS ? { ms, text: `${Number(m[1])}${unit[1]}` } : undefined;
}

const MULTIPLIERS: Readonly<Record<string, number>> = { '': 1, k: 1e3, m: 1e6, mn: 1e6, b: 1e9, bn: 1e9, 万: 1e4, 亿: 1e8 };

/**
 * A target value as typed: `65%` or `0.65` for a percent KPI (a bare number above 1 is refused:
 * 65 would be 6,500%), otherwise `2500`, `3,200,000`, `3.2m`, `150k`, `320万`. Undefined when
 * it is not a number in that form.
 * @example parseTargetValue('65%', true) // 0.65
 */
export function parseTargetValue(text: string, percent: boolean): number | undefined {
  const m = /^([+-]?(?:\d{1,3}(?:,\d{3})+|\d{1,15})(?:\.\d{1,10})?|[+-]?\.\d{1,10}) ?(%|k|m|mn|b|bn|万|亿)?$/.exec(text.trim().toLowerCase());
  if (!m) return undefined;
  const n = Number(m[1]!.replace(/,/g, ''));
  const suffix = m[2] ?? '';
  if (!Number.isFinite(n)) return undefined;
  if (suffix === '%') return percent ? n / 100 : undefined;
  if (percent) return suffix === '' && Math.abs(n) <= 1 ? n : undefined;
  return n * MULTIPLIERS[suffix]!;
}

/**
 * The channel a word names: a Slack channel mention as Slack escapes it (`<#C0123ABCD|sales>`
 * → `C0123ABCD`), a channel ID, or a name (`#sales`). Undefined for anything else.
 * @example channelOf('<#C0123ABCD|sales>') // 'C0123ABCD'
 */
export function channelOf(word: string): string | undefined {
  let m: RegExpExecArray | null;
  if ((m = /^<#([CG][A-Z0-9]{6,20})(?:\|[^>]{0,80})?>$/.exec(word))) return m[1];
  if (/^[CG][A-Z0-9]{8,20}$/.test(word)) return word;
  // Names JavaScript gives every object (`#__proto__`) are no channel a user means, and must never key a lookup.
  if ((m = /^#([\p{L}\p{N}_-]{1,80})$/u.exec(word)) && !PROTOTYPE_NAMES.has(m[1]!.toLowerCase())) return `#${m[1]!.toLowerCase()}`;
  return undefined;
}

const PROTOTYPE_NAMES: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
  '__definegetter__',
  '__definesetter__',
  'hasownproperty',
  'tostring',
  'valueof',
]);

/** A channel as Slack shows it: a mention for an ID, the name otherwise. */
export function channelMention(channel: string): string {
  return channel.startsWith('#') ? channel : `<#${channel}>`;
}

/** An alert (episode) id as typed: `12` or `#12`. */
export function alertIdOf(word: string): number | undefined {
  const m = /^#?(\d{1,9})$/.exec(word);
  return m && Number(m[1]) > 0 ? Number(m[1]) : undefined;
}
