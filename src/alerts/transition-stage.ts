import type { AlertEvent } from '../domain/alert.ts';
import type { StoredSeries } from '../store/alert-store.ts';
import type { SeriesAlert, Stage } from './stage.ts';
import { okState, transition } from './transition.ts';

/** The fields whose change makes a series worth rewriting. */
const KEPT = ['state', 'severity', 'pendingCount', 'recoverCount', 'lastValue', 'lastPeriod'] as const;

/**
 * The transition stage: steps each alert's stored state with its outcome (see transition) and
 * keeps only the alerts with something to store (an alert not judged this tick passes as it is). It also decides what people are told: a severity
 * that swings around the critical level must not page each time, so escalation is told once per
 * episode and de-escalation only shows on the card (the episode keeps its current severity).
 */
export const transitionStage: Stage = async (batch, { setup, stored, reachedCritical }) => {
  const { now } = setup;
  const tells = (event: AlertEvent | null, episodeId: number | null): event is AlertEvent =>
    event !== null && event !== 'deescalated' && !(event === 'escalated' && episodeId !== null && reachedCritical.has(episodeId));
  const alerts: SeriesAlert[] = [];
  for (const a of batch.alerts) {
    const { ref, seriesKey, outcome, counts } = a;
    if (!outcome || !counts) {
      alerts.push(a);
      continue;
    }
    const prev: StoredSeries = stored.get(`${ref.name}|${seriesKey}`) ?? { ...okState(now), rule: ref.name, seriesKey, kpi: ref.kpi?.key ?? ref.name };
    const step = transition(prev, outcome, counts, now);
    if (!step.changed && step.episode === null && step.event === null && prev.state === 'ok') continue;
    // A series re-evaluated with nothing new (same period, value, severity and counters) is not
    // rewritten: a steady tick over thousands of firing series then costs reads, not writes.
    const same = KEPT.every((k) => sameField(step.next[k], prev[k]));
    if (same && !step.changed && step.event === null && (step.episode === 'update' || step.episode === null)) continue;
    const facts = {
      value: 'value' in outcome ? outcome.value : null,
      period: 'period' in outcome ? outcome.period : null,
      summary: outcome.summary,
      comparison: 'comparison' in outcome ? outcome.comparison : '',
    };
    alerts.push({ ...a, prev, step, tell: tells(step.event, prev.episodeId) ? step.event : null, facts });
  }
  return { ...batch, alerts, judged: batch.judged + batch.alerts.length };
};

/**
 * Whether a kept field is unchanged. A value read back from the store may differ from the same value
 * computed afresh in its last binary digit (Prisma writes a float with 16 significant digits, and the
 * KPI cache derives a ratio in JS where SQL divided): such a value is the same value, not a change to
 * rewrite on every tick.
 */
function sameField(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'number' || typeof b !== 'number') return false;
  return Math.abs(a - b) <= SAME_VALUE * Math.max(Math.abs(a), Math.abs(b));
}

/** The relative difference under which two values are one: far above a float's rounding (2e-16), far below any change people read. */
const SAME_VALUE = 1e-12;
