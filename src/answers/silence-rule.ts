import type { ParseProblem } from './messages.ts';
import { MAX_DURATION_MS } from './parse-values.ts';

/** The longest reason a silence keeps, in characters: as the Silence… modal's field allows. */
export const MAX_SILENCE_REASON = 500;

/**
 * What is wrong with a silence or snooze, typed (`/kpi silence`) or chosen (the card's Silence…
 * modal), or undefined: the one rule both obey. It lasts more than nothing and at most 366 days,
 * and its reason has at most MAX_SILENCE_REASON characters.
 * @example silenceProblem(3_600_000, 'x'.repeat(501)) // { kind: 'long_reason', length: 501, max: 500 }
 */
export function silenceProblem(durationMs: number, durationText: string, reason: string | undefined): ParseProblem | undefined {
  if (!Number.isFinite(durationMs) || durationMs <= 0 || durationMs > MAX_DURATION_MS) return { kind: 'bad_duration', word: durationText };
  const length = [...(reason ?? '')].length;
  if (length > MAX_SILENCE_REASON) return { kind: 'long_reason', length, max: MAX_SILENCE_REASON };
  return undefined;
}
