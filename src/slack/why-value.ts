import type { WhyTarget } from '../answers/command-service.ts';
import type { AlertNotification } from '../domain/alert.ts';

/** What the Why? button of a card carries: the KPI, the period judged and the dimension value. */
interface WhyValue {
  readonly kpi: string;
  readonly period?: string | null;
  readonly dimension?: { readonly name: string; readonly value: string };
}

/** A button's value holds at most 2,000 characters (Block Kit). */
const MAX_VALUE = 2000;
const KEY = /^[\p{L}\p{N}_.-]{1,64}$/u;
const PERIOD = /^[0-9A-Za-z-]{1,20}$/;

/**
 * The Why? button's value for a card: its KPI, period and dimension value, so that the answer
 * explains the period the card is about (not the month to date when it is pressed).
 * @example whyValue(n) // '{"kpi":"won_revenue","period":"2024-03","dimension":{"name":"region","value":"West"}}'
 */
export function whyValue(n: Pick<AlertNotification, 'kpi' | 'period' | 'dimension'>): string {
  const full = JSON.stringify({ kpi: n.kpi, period: n.period, ...(n.dimension ? { dimension: n.dimension } : {}) } satisfies WhyValue);
  // A dimension value too long for the button is left out: the period and the KPI still hold.
  return full.length <= MAX_VALUE ? full : JSON.stringify({ kpi: n.kpi, period: n.period });
}

/**
 * What a Why? value asks: the KPI, the period judged and the dimension, or the KPI alone for the
 * cards posted before the value carried more. Undefined when the value is not one a card writes
 * (every part is checked, so nothing else reaches the answers).
 */
export function whyTarget(value: string): WhyTarget | undefined {
  if (!value.startsWith('{')) return KEY.test(value) ? { kpi: value } : undefined;
  let v: WhyValue;
  try {
    v = JSON.parse(value) as WhyValue;
  } catch {
    return undefined;
  }
  if (typeof v?.kpi !== 'string' || !KEY.test(v.kpi)) return undefined;
  if (v.period !== undefined && v.period !== null && (typeof v.period !== 'string' || !PERIOD.test(v.period))) return undefined;
  const by = typeof v.dimension?.name === 'string' && KEY.test(v.dimension.name) ? v.dimension.name : undefined;
  return { kpi: v.kpi, ...(v.period ? { period: v.period } : {}), ...(by ? { by } : {}) };
}
