import { CrmPulseError } from '../lib/errors.ts';

/** The four Balanced Scorecard perspectives (Kaplan & Norton, 1992). */
export type Perspective =
  /** revenue, growth and profitability: how shareholders see the company */
  | 'financial'
  /** satisfaction, retention and acquisition: how customers see the company */
  | 'customer'
  /** the operations that must excel, such as complaint handling time or sales cycle length */
  | 'internal_process'
  /** people, systems and culture that sustain improvement, such as training or CRM adoption */
  | 'learning_growth';

/** The perspectives in the order a scorecard lists them. */
export const PERSPECTIVES: readonly Perspective[] = ['financial', 'customer', 'internal_process', 'learning_growth'];

/** Which way a KPI improves. */
export type Direction =
  /** more is better (win rate, revenue) */
  | 'higher'
  /** less is better (churn, handling time) */
  | 'lower';

/** One KPI's latest value and goal, as the scorecard needs it. */
export interface ScorecardKpi {
  key: string;
  title: string;
  perspective: Perspective;
  direction: Direction;
  value: number | null;
  target: number | null;
  /** the value that scores 0; when given, attainment is linear from baseline to target */
  baseline?: number | null;
}

/** What the composite is computed from. */
export interface ScorecardInput {
  kpis: readonly ScorecardKpi[];
  /** relative KPI weights within each perspective (e.g. AHP weights); equal when omitted */
  kpiWeights?: Readonly<Record<string, number>>;
  /** relative perspective weights; equal when omitted */
  perspectiveWeights?: Readonly<Partial<Record<Perspective, number>>>;
}

/** A KPI's 0–100 attainment, or why it has none. */
export type Attainment = { ok: true; attainment: number } | { ok: false; reason: string };

/** The Balanced Scorecard: a 0–100 composite, per-perspective scores and the KPIs left out. */
export interface Scorecard {
  /** weighted mean of the perspective scores that have one; null when none has */
  composite: number | null;
  perspectives: {
    perspective: Perspective;
    /** weighted mean attainment of the perspective's scored KPIs; null when none could be scored */
    score: number | null;
    /** the share of the composite this perspective carries (0 when it has no score) */
    weight: number;
    /** scored KPIs; `weight` is the share of the perspective score after renormalizing */
    kpis: { key: string; attainment: number; weight: number }[];
  }[];
  missing: { key: string; reason: string }[];
}

const clamp = (x: number) => Math.min(100, Math.max(0, x));

/**
 * Normalizes a KPI against its target to a 0–100 attainment (100 = target met or beaten):
 * - with a baseline: 100 × (value − baseline) / (target − baseline), clamped to 0–100. This works
 *   for both directions: for 'lower' the target lies below the baseline, so the denominator is
 *   negative. A target that is not on the improving side of the baseline cannot be scored.
 * - 'higher' without a baseline: 100 × value / target, clamped; needs target > 0 (0 scores 0).
 * - 'lower' without a baseline: 100 × target / value, clamped; needs target ≥ 0. A value ≤ 0 is
 *   at or below any such target and scores 100 (so value 0 → 100, and target 0 is "zero tolerance").
 */
export function attainment(kpi: ScorecardKpi): Attainment {
  const { value, target, direction } = kpi;
  const baseline = kpi.baseline ?? null;
  if (value === null) return { ok: false, reason: 'no value' };
  if (target === null) return { ok: false, reason: 'no target' };
  if (!Number.isFinite(value)) return { ok: false, reason: `value ${value} is not a finite number` };
  if (!Number.isFinite(target)) return { ok: false, reason: `target ${target} is not a finite number` };
  if (baseline !== null) {
    if (!Number.isFinite(baseline)) return { ok: false, reason: `baseline ${baseline} is not a finite number` };
    const improving = direction === 'higher' ? target > baseline : target < baseline;
    if (!improving) {
      return { ok: false, reason: `target ${target} is not ${direction === 'higher' ? 'above' : 'below'} baseline ${baseline} (${direction} is better)` };
    }
    return { ok: true, attainment: clamp((100 * (value - baseline)) / (target - baseline)) };
  }
  if (direction === 'higher') {
    if (target <= 0) return { ok: false, reason: `target ${target} must be positive to score without a baseline` };
    return { ok: true, attainment: clamp((100 * value) / target) };
  }
  if (target < 0) return { ok: false, reason: `target ${target} must not be negative to score without a baseline` };
  return { ok: true, attainment: value <= 0 ? 100 : clamp((100 * target) / value) };
}

/**
 * Combines KPIs into a Balanced Scorecard. Each KPI is normalized by `attainment`; a perspective
 * scores the weighted mean of its scored KPIs, and the composite is the weighted mean of the
 * perspectives that have a score. A KPI that cannot be scored is listed in `missing` and the
 * weights of the rest are renormalized, so a gap in the data neither zeroes nor inflates a score.
 *
 * @example
 * scorecard({ kpis: [{ key: 'win_rate', title: 'Win rate', perspective: 'financial', direction: 'higher', value: 0.3, target: 0.4 }] });
 * // { composite: 75, perspectives: [{ perspective: 'financial', score: 75, weight: 1, kpis: [{ key: 'win_rate', attainment: 75, weight: 1 }] }], missing: [] }
 */
export function scorecard(input: ScorecardInput, where = 'scorecard'): Scorecard {
  validate(input, where);
  const missing: Scorecard['missing'] = [];
  const groups = PERSPECTIVES.map((perspective) => {
    const members = input.kpis.filter((kpi) => kpi.perspective === perspective);
    const scored: { key: string; attainment: number; raw: number }[] = [];
    for (const kpi of members) {
      const result = attainment(kpi);
      if (result.ok) scored.push({ key: kpi.key, attainment: result.attainment, raw: input.kpiWeights?.[kpi.key] ?? 1 });
      else missing.push({ key: kpi.key, reason: result.reason });
    }
    const total = scored.reduce((sum, kpi) => sum + kpi.raw, 0);
    const kpis = scored.map(({ key, attainment, raw }) => ({ key, attainment, weight: total > 0 ? raw / total : 0 }));
    // All remaining weights being 0 leaves nothing to average: no score rather than a made-up one.
    const score = total > 0 ? kpis.reduce((sum, kpi) => sum + kpi.weight * kpi.attainment, 0) : null;
    return { perspective, members: members.length, score, raw: input.perspectiveWeights?.[perspective] ?? 1, kpis };
  }).filter((group) => group.members > 0);

  const total = groups.reduce((sum, group) => sum + (group.score === null ? 0 : group.raw), 0);
  const perspectives = groups.map(({ perspective, score, raw, kpis }) => ({
    perspective,
    score,
    weight: score === null || total === 0 ? 0 : raw / total,
    kpis,
  }));
  const composite = total > 0 ? perspectives.reduce((sum, p) => sum + p.weight * (p.score ?? 0), 0) : null;
  return { composite, perspectives, missing };
}

function validate(input: ScorecardInput, where: string): void {
  const fail = (message: string, hint: string): never => {
    throw new CrmPulseError('config', `[kpi] ${where}: ${message}`, { hint });
  };
  const keys = new Set<string>();
  for (const kpi of input.kpis) {
    if (keys.has(kpi.key)) fail(`KPI '${kpi.key}' is listed twice`, 'list each KPI once');
    keys.add(kpi.key);
    if (!PERSPECTIVES.includes(kpi.perspective)) {
      fail(`KPI '${kpi.key}' has unknown perspective '${kpi.perspective}'; known: ${PERSPECTIVES.join(', ')}`, 'use one of those');
    }
  }
  if (input.kpiWeights) {
    // When weights are given they come from a deliberate comparison (AHP); a gap or a stray key is a
    // config mistake, and a default of 1 beside weights summing to 1 would silently dominate.
    for (const [key, weight] of Object.entries(input.kpiWeights)) {
      if (!keys.has(key))
        fail(`a weight is given for '${key}', which is not a KPI of this scorecard; known: ${[...keys].join(', ')}`, 'remove it or fix its name');
      checkWeight(weight, `the weight of '${key}'`, fail);
    }
    for (const key of keys) if (!(key in input.kpiWeights)) fail(`KPI '${key}' has no weight`, 'give every KPI a weight, or none for equal weights');
  }
  if (input.perspectiveWeights) {
    for (const [perspective, weight] of Object.entries(input.perspectiveWeights)) {
      if (!PERSPECTIVES.includes(perspective as Perspective)) {
        fail(`unknown perspective '${perspective}'; known: ${PERSPECTIVES.join(', ')}`, 'use one of those');
      }
      checkWeight(weight, `the weight of perspective '${perspective}'`, fail);
    }
    for (const perspective of new Set(input.kpis.map((kpi) => kpi.perspective))) {
      if (input.perspectiveWeights[perspective] === undefined) {
        fail(`perspective '${perspective}' has KPIs but no weight`, 'give every perspective that has KPIs a weight, or none for equal weights');
      }
    }
  }
}

function checkWeight(weight: number | undefined, what: string, fail: (message: string, hint: string) => never): void {
  if (weight === undefined || !Number.isFinite(weight) || weight < 0) fail(`${what} is ${weight}; weights must be numbers ≥ 0`, 'fix the weight');
}
