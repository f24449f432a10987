import type { DemoAnchors } from '../../store/demo-anchors.ts';
import { createRng, type Rng } from './create-rng.ts';
import { DISPLAY_SPIKE } from './demo-incidents.ts';
import { DAY_MS, demoWindows, isoDay, type DemoWindow } from './demo-windows.ts';
import type { Business } from './generate-tickets.ts';

/** One generated day of one marketing channel, before it becomes a record. */
export interface DemoSpend {
  readonly id: string;
  readonly business: Business;
  /** UTC midnight of the day, epoch milliseconds */
  readonly day: number;
  readonly channel: string;
  readonly campaign: string;
  readonly spend: number;
  readonly leads: number;
  readonly attributedRevenue: number;
}

/** The spend rows of both sides, by day, and how many rows each incident touched. */
export interface GeneratedSpend {
  readonly rows: DemoSpend[];
  readonly incidents: ReadonlyMap<string, number>;
}

/** A channel's usual day: spend in the source's currency, leads, and revenue per unit of spend. */
interface ChannelPlan {
  readonly spend: number;
  readonly leads: number;
  readonly roas: number;
  /** whether it follows the retail season; display is bought as a flat brand budget */
  readonly seasonal: boolean;
}

// Online Retail sells about £22k a day; these plans credit marketing with roughly a fifth of it.
const B2C_CHANNELS: Readonly<Record<string, ChannelPlan>> = {
  search: { spend: 420, leads: 38, roas: 4.5, seasonal: true },
  social: { spend: 260, leads: 22, roas: 2.8, seasonal: true },
  email: { spend: 70, leads: 30, roas: 12, seasonal: true },
  display: { spend: 210, leads: 14, roas: 2.2, seasonal: false },
};
/** Retail demand by month (January first): the gift season lifts September to December. */
const B2C_SEASON = [0.85, 0.85, 0.95, 0.95, 1, 1, 1, 1, 1.1, 1.2, 1.35, 1.2] as const;

// Maven CRM wins about $2,400 per deal at a ~50% win rate, so a lead is worth about $1,200.
const B2B_CHANNELS: Readonly<Record<string, Omit<ChannelPlan, 'roas' | 'seasonal'>>> = {
  search: { spend: 650, leads: 2.2 },
  social: { spend: 250, leads: 0.8 },
  email: { spend: 80, leads: 1.2 },
  display: { spend: 300, leads: 0.6 },
};
const B2B_REVENUE_PER_LEAD = 1200;
/** Trade shows: a few weekdays a month, each a large spend that brings a burst of leads. */
const B2B_EVENTS = { chance: 0.08, spend: [12_000, 25_000], leads: 40 } as const;

/**
 * Generates daily marketing spend per channel over each source's date range: search, social,
 * email and display for both sides, plus events for B2B, with the spend incident applied.
 * @example generateSpend(anchors, 42).rows.find((r) => r.id === 'M-b2c-2011-11-15-display')
 */
export function generateSpend(anchors: DemoAnchors, seed: number): GeneratedSpend {
  const windows = demoWindows(anchors);
  const incidents = new Map<string, number>();
  const rows: DemoSpend[] = [];
  if (windows.b2b) rows.push(...b2bRows(windows.b2b, createRng(seed, 'spend-b2b')));
  if (windows.b2c) rows.push(...b2cRows(windows.b2c, createRng(seed, 'spend-b2c'), incidents));
  rows.sort((a, b) => a.day - b.day);
  return { rows, incidents };
}

function b2cRows(window: DemoWindow, rng: Rng, incidents: Map<string, number>): DemoSpend[] {
  const out: DemoSpend[] = [];
  for (let day = window.from; day < window.to; day += DAY_MS) {
    const season = B2C_SEASON[new Date(day).getUTCMonth()]!;
    for (const [channel, plan] of Object.entries(B2C_CHANNELS)) {
      const factor = plan.seasonal ? season : 1;
      const usual = plan.spend * factor * rng.logNormal(1, 0.15);
      const spike = channel === DISPLAY_SPIKE.channel && day >= DISPLAY_SPIKE.from && day < DISPLAY_SPIKE.to;
      if (spike) incidents.set(DISPLAY_SPIKE.key, (incidents.get(DISPLAY_SPIKE.key) ?? 0) + 1);
      // The spike buys impressions that convert no better: leads and revenue follow the usual spend.
      const spend = spike ? usual * DISPLAY_SPIKE.factor : usual;
      const leads = rng.poisson(plan.leads * factor);
      const revenue = usual * plan.roas * rng.logNormal(1, 0.25);
      out.push(row('b2c', day, channel, spend, leads, revenue));
    }
  }
  return out;
}

function b2bRows(window: DemoWindow, rng: Rng): DemoSpend[] {
  const out: DemoSpend[] = [];
  for (let day = window.from; day < window.to; day += DAY_MS) {
    const weekday = new Date(day).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    for (const [channel, plan] of Object.entries(B2B_CHANNELS)) {
      // B2B buyers are at work on weekdays; campaigns are throttled at weekends.
      const spend = plan.spend * (weekend ? 0.3 : 1) * rng.logNormal(1, 0.15);
      const leads = rng.poisson(plan.leads * (weekend ? 0.2 : 1));
      out.push(row('b2b', day, channel, spend, leads, leads * B2B_REVENUE_PER_LEAD * rng.logNormal(1, 0.3)));
    }
    if (!weekend && rng.chance(B2B_EVENTS.chance)) {
      const spend = B2B_EVENTS.spend[0] + rng.next() * (B2B_EVENTS.spend[1] - B2B_EVENTS.spend[0]);
      const leads = rng.poisson(B2B_EVENTS.leads);
      out.push(row('b2b', day, 'events', spend, leads, leads * B2B_REVENUE_PER_LEAD * rng.logNormal(1, 0.3)));
    }
  }
  return out;
}

function row(business: Business, day: number, channel: string, spend: number, leads: number, revenue: number): DemoSpend {
  return {
    id: `M-${business}-${isoDay(day)}-${channel}`,
    business,
    day,
    channel,
    campaign: `${business}-${channel}`,
    spend: cents(spend),
    leads,
    attributedRevenue: cents(revenue),
  };
}

function cents(value: number): number {
  return Math.round(value * 100) / 100;
}
