import { chartError } from './chart-error.ts';

/** A number to draw, or null for "no value": null, NaN and ±Infinity all count as no value. */
export function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The instant of an ISO date or date-time, or a chart error naming the field. */
export function parseInstant(kind: string, where: string, value: string): number {
  const t = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(t)) {
    throw chartError(kind, `${where}: not an ISO date: ${JSON.stringify(value)}`, 'pass dates as ISO 8601 text, e.g. 2017-03-06 or 2017-03-06T00:00:00Z');
  }
  return t;
}

/** A required finite number, or a chart error naming the field. */
export function requireFinite(kind: string, where: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw chartError(kind, `${where}: expected a finite number, got ${String(value)}`, 'leave the field out when there is no value');
  }
  return value;
}
