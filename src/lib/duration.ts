const UNITS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** The pattern a duration is written in: a number and a unit, e.g. 90m, 4h, 1d, 2w. */
export const DURATION_PATTERN = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/;

/**
 * Milliseconds of a duration written as a number and a unit (s, m, h, d, w), or undefined.
 * @example parseDuration('4h') // 14_400_000
 */
export function parseDuration(text: string): number | undefined {
  const m = DURATION_PATTERN.exec(text.trim().toLowerCase());
  if (!m) return undefined;
  const ms = Number(m[1]) * UNITS[m[2]!]!;
  return ms > 0 ? ms : undefined;
}

/** A duration as people read it: 90m → "1h 30m", 26h → "1d 2h". */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = Math.round(ms / 60_000);
  for (const [unit, minutes] of [
    ['d', 1440],
    ['h', 60],
    ['m', 1],
  ] as const) {
    const n = Math.floor(rest / minutes);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * minutes;
  }
  return parts.slice(0, 2).join(' ') || '0m';
}
