import type { ScorecardDefinition as ScorecardConfig, TargetDefinition as TargetConfig } from '../domain/kpi.ts';
import type { Calendar, Grain, Period } from '../domain/period.ts';
import { closestMatch } from '../lib/closest-match.ts';
import { CrmPulseError } from '../lib/errors.ts';
import type { Database } from '../store/open-database.ts';
import { ahpWeights, assertConsistent, type AhpResult } from './ahp-weights.ts';
import { evaluateKpi } from './evaluate-kpi.ts';
import type { KpiRegistry } from './kpi-registry.ts';
import { periodContaining } from './periods.ts';
import { PERSPECTIVES, scorecard, type Perspective, type Scorecard, type ScorecardKpi } from './scorecard.ts';

/** The scorecard of one period, with the inputs that produced it. */
export interface ScorecardReport {
  readonly period: Period;
  readonly card: Scorecard;
  /** each KPI's value, target and why it has no score if it has none */
  readonly kpis: readonly (ScorecardKpi & { readonly reason?: string })[];
  /** AHP results per perspective that has a pairwise matrix */
  readonly ahp: Partial<Record<Perspective, AhpResult>>;
}

/**
 * Reads every scorecard KPI over the period containing `asOf`, weights KPIs within a perspective
 * by AHP (refusing an inconsistent matrix), and combines attainment against the targets into a
 * 0–100 composite across the Balanced Scorecard perspectives.
 * @example await buildScorecard(db, registry, config.scorecard, config.targets, asOf, cal)
 */
export async function buildScorecard(
  db: Database,
  registry: KpiRegistry,
  config: ScorecardConfig,
  targets: Readonly<Record<string, TargetConfig>>,
  asOf: Date,
  cal: Calendar,
): Promise<ScorecardReport> {
  const { kpiWeights, perspectiveWeights, ahp, members } = scorecardWeights(registry, config);
  if (members.length === 0) {
    throw new CrmPulseError('usage', '[kpi] no scorecard is configured', {
      hint: 'list KPIs per perspective under scorecard.perspectives in the config (see crm-pulse.example.yaml)',
    });
  }
  const period = periodContaining(asOf, config.grain as Grain, cal);
  const kpis: (ScorecardKpi & { reason?: string })[] = [];
  for (const { key, perspective } of members) {
    const kpi = registry.get(key);
    const point = (await evaluateKpi(db, kpi, [period], cal, { asOf })).points[0]!;
    kpis.push({
      key,
      title: kpi.title,
      perspective,
      direction: kpi.direction,
      value: point.value,
      target: targets[key]?.value ?? null,
      ...(point.value === null ? { reason: point.reason ?? 'no value' } : {}),
    });
  }
  return { period, card: scorecard({ kpis, kpiWeights, perspectiveWeights }, 'scorecard'), kpis, ahp };
}

/**
 * Checks the scorecard config against the KPIs in force and derives its weights; `where` names a
 * config path in errors (the loader's gives file and line).
 */
export function scorecardWeights(
  registry: KpiRegistry,
  config: ScorecardConfig,
  where: (path: readonly (string | number)[]) => string = (path) => path.join('.'),
) {
  const kpiWeights: Record<string, number> = {};
  const perspectiveWeights: Partial<Record<Perspective, number>> = {};
  const ahp: Partial<Record<Perspective, AhpResult>> = {};
  const members: { key: string; perspective: Perspective }[] = [];
  for (const perspective of PERSPECTIVES) {
    const p = config.perspectives[perspective];
    if (!p) continue;
    perspectiveWeights[perspective] = p.weight;
    const known = registry.all.map((k) => k.key);
    p.kpis.forEach((key, i) => {
      if (!known.includes(key)) {
        const guess = closestMatch(key, known);
        throw new CrmPulseError(
          'config',
          `[kpi] ${where(['scorecard', 'perspectives', perspective, 'kpis', i])}: unknown KPI '${key}'${guess ? `; did you mean '${guess}'?` : ''}`,
          {
            hint: 'use a key that crm-pulse kpi lists, or define the KPI under kpis:',
          },
        );
      }
      members.push({ key, perspective });
    });
    if (p.pairwise) {
      const at = where(['scorecard', 'perspectives', perspective, 'pairwise']);
      const result = ahpWeights(
        p.kpis,
        p.pairwise.map((row) => row.map(ratio)),
        at,
      );
      assertConsistent(result, at);
      ahp[perspective] = result;
      Object.assign(kpiWeights, result.weights);
    } else {
      for (const key of p.kpis) kpiWeights[key] = 1 / p.kpis.length;
    }
  }
  return { kpiWeights, perspectiveWeights, ahp, members };
}

function ratio(v: number | string): number {
  if (typeof v === 'number') return v;
  const [a, b] = v.split('/').map((x) => Number(x.trim()));
  return a! / b!;
}
