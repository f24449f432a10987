import type { Direction } from '../domain/kpi.ts';
import { CHART_COLORS } from './chart-theme.ts';

/** The colour of a change: green when it goes the good way for the KPI, red when not, grey when flat or unknown. */
export function changeColor(change: number | null, direction: Direction = 'higher'): string {
  if (change === null || !Number.isFinite(change) || change === 0) return CHART_COLORS.muted;
  return change > 0 === (direction === 'higher') ? CHART_COLORS.good : CHART_COLORS.bad;
}
