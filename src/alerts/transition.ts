import type { AlertEvent, AlertState, Severity } from '../domain/alert.ts';

/** The stored state of one series (one rule, one dimension value). */
export interface SeriesState {
  readonly state: AlertState;
  /** the severity while pending or firing */
  readonly severity: Severity | null;
  readonly pendingCount: number;
  readonly recoverCount: number;
  readonly episodeId: number | null;
  /** when the current state began */
  readonly since: Date;
  readonly lastValue: number | null;
  readonly lastPeriod: string | null;
}

/** What one evaluation found for one series. */
export type Outcome =
  | {
      readonly kind: 'breach';
      readonly severity: Severity;
      readonly value: number;
      readonly period: string | null;
      readonly summary: string;
      readonly comparison: string;
    }
  | { readonly kind: 'clear'; readonly value: number; readonly period: string | null; readonly summary: string; readonly comparison: string }
  | { readonly kind: 'nodata'; readonly period: string | null; readonly summary: string }
  | { readonly kind: 'error'; readonly summary: string };

/** The result of one evaluation on one series. */
export interface Step {
  readonly next: SeriesState;
  /** what happens to the episode: one opens, the open one records the value, or it closes */
  readonly episode: 'open' | 'update' | 'close' | null;
  /** the notification this step causes, if any */
  readonly event: AlertEvent | null;
  /** the state changed, so a transition is recorded */
  readonly changed: boolean;
}

/** A series that has never left ok. */
export function okState(now: Date): SeriesState {
  return { state: 'ok', severity: null, pendingCount: 0, recoverCount: 0, episodeId: null, since: now, lastValue: null, lastPeriod: null };
}

/**
 * The alert lifecycle, ok → pending → firing → resolved → ok, plus nodata and error:
 * - a breach is pending until it has held for `for` periods, then fires (an episode opens);
 * - a firing series resolves after `recover_for` clear periods (the recovery level, checked by
 *   the judge, gives hysteresis); a change of severity while firing escalates or de-escalates;
 * - `for` and `recover_for` count periods, not evaluations: a monthly rule checked every hour sees
 *   the same month many times, and that must not turn one bad month into "two in a row". A counter
 *   at 0 counts its first evaluation whatever the period;
 * - no data keeps a firing episode open (a missing month is not a recovery) and resets a pending one;
 * - an error outcome (only on a rule's error series) fires at once and resolves on the next success.
 * Pure: the caller stores the result and creates the episode.
 * @example transition(okState(now), breach, { for: 1, recover_for: 1 }, now).event // 'firing'
 */
export function transition(prev: SeriesState, outcome: Outcome, rule: { readonly for: number; readonly recover_for: number }, now: Date): Step {
  const value = 'value' in outcome ? outcome.value : null;
  const period = 'period' in outcome ? outcome.period : prev.lastPeriod;
  const base = { ...prev, lastValue: value ?? prev.lastValue, lastPeriod: period };
  const to = (state: AlertState, fields: Partial<SeriesState>, step: Omit<Step, 'next' | 'changed'>): Step => ({
    next: { ...base, state, since: state === prev.state ? prev.since : now, ...fields },
    changed: state !== prev.state,
    ...step,
  });
  const firing = prev.state === 'firing' || prev.state === 'error';
  const next = (count: number) => count + (count === 0 || period !== prev.lastPeriod ? 1 : 0);

  switch (outcome.kind) {
    case 'error':
      return firing
        ? to(prev.state, {}, { episode: 'update', event: null })
        : to('error', { severity: 'warning', pendingCount: 0, recoverCount: 0 }, { episode: 'open', event: 'firing' });
    case 'breach': {
      if (firing) {
        const event = outcome.severity === prev.severity ? null : outcome.severity === 'critical' ? 'escalated' : 'deescalated';
        return to(prev.state, { severity: outcome.severity, recoverCount: 0 }, { episode: 'update', event });
      }
      const count = next(prev.state === 'pending' ? prev.pendingCount : 0);
      if (count >= rule.for) {
        return to('firing', { severity: outcome.severity, pendingCount: count, recoverCount: 0 }, { episode: 'open', event: 'firing' });
      }
      return to('pending', { severity: outcome.severity, pendingCount: count }, { episode: null, event: null });
    }
    case 'clear': {
      if (prev.state === 'error') return to('ok', { ...cleared }, { episode: 'close', event: 'resolved' });
      if (prev.state === 'firing') {
        const count = next(prev.recoverCount);
        if (count >= rule.recover_for) return to('resolved', { ...cleared }, { episode: 'close', event: 'resolved' });
        return to('firing', { recoverCount: count }, { episode: 'update', event: null });
      }
      return to('ok', { ...cleared }, { episode: null, event: null });
    }
    case 'nodata': {
      if (firing) return to(prev.state, {}, { episode: 'update', event: null });
      return to('nodata', { ...cleared }, { episode: null, event: null });
    }
  }
}

const cleared = { severity: null, pendingCount: 0, recoverCount: 0, episodeId: null } as const;
