import { zonedToUtc } from '../../lib/zoned-time.ts';
import type { DemoAnchors } from '../../store/demo-anchors.ts';
import { createActiveSampler, type ActiveSampler, type Party } from './active-sampler.ts';
import { QUASI_STEPS, createRng, quasiStreams, type Rng } from './create-rng.ts';
import { DELIVERY_WEEK, WEST_RESOLUTION } from './demo-incidents.ts';
import { DAY_MS, HOUR_MS, demoWindows, type DemoWindow } from './demo-windows.ts';

/** Which side of the demo a record belongs to. */
export type Business =
  /** Maven CRM accounts, served by sales agents */
  | 'b2b'
  /** Online Retail customers */
  | 'b2c';

/** The categories of generated tickets; 'complaint' feeds the complaint KPIs. */
export type TicketCategory = 'complaint' | 'question' | 'billing' | 'delivery' | 'technical';

/** A generated support ticket, before it becomes a record; times are epoch milliseconds. */
export interface DemoTicket {
  readonly id: string;
  readonly business: Business;
  readonly account: string | null;
  readonly owner: string | null;
  readonly office: string | null;
  readonly customer: string | null;
  readonly subject: string;
  readonly category: TicketCategory;
  readonly channel: 'email' | 'phone' | 'chat' | 'web';
  readonly priority: 'low' | 'normal' | 'high';
  readonly openedAt: number;
  readonly firstResponseAt: number | null;
  readonly resolvedAt: number | null;
}

/** The tickets of both sides, by opening time, and how many tickets each incident touched. */
export interface GeneratedTickets {
  readonly tickets: DemoTicket[];
  readonly incidents: ReadonlyMap<string, number>;
}

/** Who a ticket is from, and the time zone its business hours are in. */
interface Link {
  readonly account: string | null;
  readonly owner: string | null;
  readonly office: string | null;
  readonly customer: string | null;
  readonly zone: string;
}

type Draft = Omit<DemoTicket, 'id'>;

/** Random numbers for independent details, quasi-random ones for shares and durations per group. */
interface Draws {
  readonly rng: Rng;
  readonly quasi: (key: string) => Rng;
  /** a second family, for a second draw about the same group */
  readonly quasi2: (key: string) => Rng;
}

/** Tickets a year per side, and their mix; B2B support is quiet at weekends, retail much less so. */
const PROFILES = {
  b2b: {
    total: 2500,
    weekend: 0.08,
    slower: 1.2,
    categories: { complaint: 0.25, question: 0.28, billing: 0.17, delivery: 0.08, technical: 0.22 },
    channels: { email: 0.55, phone: 0.3, chat: 0.05, web: 0.1 },
  },
  b2c: {
    total: 6000,
    weekend: 0.45,
    slower: 1,
    categories: { complaint: 0.25, question: 0.3, billing: 0.15, delivery: 0.18, technical: 0.12 },
    channels: { email: 0.45, phone: 0.2, chat: 0.25, web: 0.1 },
  },
} as const;

/** Median hours to resolve, by category; the spread around it is log-logistic. */
const RESOLVE_HOURS = { complaint: 30, question: 6, billing: 20, delivery: 36, technical: 28 } as const;
/** Median hours to the first answer, by channel. */
const FIRST_RESPONSE_HOURS = { phone: 0.05, chat: 0.1, email: 3, web: 4 } as const;
const PRIORITY_FACTOR = { high: 0.7, normal: 1, low: 1.3 } as const;
const PRIORITY = { low: 0.25, normal: 0.6, high: 0.15 } as const;
const COMPLAINT_PRIORITY = { low: 0.1, normal: 0.6, high: 0.3 } as const;
const OFFICE_ZONE: Readonly<Record<string, string>> = { East: 'America/New_York', Central: 'America/Chicago', West: 'America/Los_Angeles' };
/** Share of tickets opened in the last days of the data that are still open, as in a live helpdesk. */
const STILL_OPEN = { days: 10, share: 0.15 } as const;

const SUBJECTS: Readonly<Record<TicketCategory, readonly string[]>> = {
  complaint: ['Service not as promised', 'Item arrived damaged', 'Refund still not received', 'Same issue again', 'Poor experience with support'],
  question: ['Question about my order', 'How do I change my details?', 'Is this product available?', 'Question about terms'],
  billing: ['Charged twice', 'Invoice amount incorrect', 'Copy of invoice needed', 'Payment not recognised'],
  delivery: ['Where is my order?', 'Change of delivery date', 'Parcel sent to wrong address', 'Partial delivery'],
  technical: ['Cannot log in', 'Error at checkout', 'Integration not syncing', 'Password reset not working'],
};
const DELIVERY_INCIDENT_SUBJECTS = ['Order not delivered', 'Parcel lost by courier', 'Delivery a week late'] as const;

/**
 * Generates the support tickets of both sides from the anchors: B2B tickets of the last year of
 * Maven CRM owned by each account's main agent, B2C tickets of the last year of Online Retail
 * from customers within their ordering span, with the ticket incidents applied.
 * @example generateTickets(anchors, 42).tickets.length // about 8,500 on the bundled data
 */
export function generateTickets(anchors: DemoAnchors, seed: number): GeneratedTickets {
  const windows = demoWindows(anchors);
  const incidents = new Map<string, number>();
  const drafts: Draft[] = [];
  if (windows.b2b) {
    const parties = [...anchors.accounts]
      .filter((a) => a.owner !== null && a.deals > 0)
      .sort((a, b) => compare(a.externalId, b.externalId))
      .map((a): Party<Link> => {
        const from = (a.firstEngagedAt ?? a.firstClosedAt)?.getTime() ?? windows.b2b!.from;
        // Accounts keep calling support for a quarter after their last deal.
        const to = Math.max(a.lastClosedAt?.getTime() ?? 0, a.lastEngagedAt?.getTime() ?? 0, from) + 90 * DAY_MS;
        const zone = OFFICE_ZONE[a.office ?? ''] ?? 'America/Chicago';
        return { item: { account: a.externalId, owner: a.owner, office: a.office, customer: null, zone }, from, to, weight: a.deals / ((to - from) / DAY_MS) };
      });
    drafts.push(...generateSide('b2b', windows.b2b, parties, createRng(seed, 'tickets-b2b'), incidents));
  }
  if (windows.b2c) {
    const parties = [...anchors.customers]
      .filter((c) => c.firstOrderAt !== null && c.lastOrderAt !== null && c.invoices > 0)
      .sort((a, b) => compare(a.externalId, b.externalId))
      .map((c): Party<Link> => {
        const from = c.firstOrderAt!.getTime();
        // A complaint about the last order comes within two weeks of it.
        const to = c.lastOrderAt!.getTime() + 14 * DAY_MS;
        return {
          item: { account: null, owner: null, office: null, customer: c.externalId, zone: 'Europe/London' },
          from,
          to,
          weight: c.invoices / ((to - from) / DAY_MS),
        };
      });
    drafts.push(...generateSide('b2c', windows.b2c, parties, createRng(seed, 'tickets-b2c'), incidents));
  }
  // Sort is stable, so equal opening times keep generation order and ids stay deterministic.
  drafts.sort((a, b) => a.openedAt - b.openedAt);
  const tickets = drafts.map((d, i) => ({ id: `T-${String(i + 1).padStart(6, '0')}`, ...d }));
  return { tickets, incidents };
}

function generateSide(business: Business, window: DemoWindow, parties: Party<Link>[], rng: Rng, incidents: Map<string, number>): Draft[] {
  const profile = PROFILES[business];
  // A party's weight is its deals or invoices per day of its span, so the daily ticket load
  // follows the business's activity in the real data.
  const sampler = createActiveSampler(parties);
  const days = Math.round((window.to - window.ticketsFrom) / DAY_MS);
  const load = sampler.activity(window.ticketsFrom, days).map((a, d) => {
    const weekday = new Date(window.ticketsFrom + d * DAY_MS).getUTCDay();
    return a * (weekday === 0 || weekday === 6 ? profile.weekend : 1);
  });
  const sum = load.reduce((s, x) => s + x, 0);
  const out: Draft[] = [];
  const draw: Draws = { rng, quasi: quasiStreams(rng), quasi2: quasiStreams(rng, QUASI_STEPS[1]) };
  const add = (draft: Draft | undefined) => draft && out.push(draft);
  const expected = load.map((x) => (sum > 0 ? (profile.total * x) / sum : 0));
  let extraDue = 0;
  for (let d = 0; d < days; d++) {
    const dayStart = window.ticketsFrom + d * DAY_MS;
    const n = rng.poisson(expected[d]!);
    for (let i = 0; i < n; i++) add(draftTicket(draw, business, sampler, dayStart, window.to, incidents, false));
    if (business === 'b2c' && dayStart >= DELIVERY_WEEK.from && dayStart < DELIVERY_WEEK.to) {
      // The extra complaints are a fixed multiple of the usual level (the four weeks before), not
      // drawn, so the week triples whatever the seed.
      const usual = expected.slice(Math.max(0, d - 28), d);
      extraDue += (usual.reduce((s, x) => s + x, 0) / Math.max(1, usual.length)) * profile.categories.complaint * DELIVERY_WEEK.extra;
      for (; extraDue >= 1; extraDue--) add(draftTicket(draw, business, sampler, dayStart, window.to, incidents, true));
    }
  }
  return out;
}

function draftTicket(
  { rng, quasi, quasi2 }: Draws,
  business: Business,
  sampler: ActiveSampler<Link>,
  dayStart: number,
  end: number,
  incidents: Map<string, number>,
  delivery: boolean,
): Draft | undefined {
  const profile = PROFILES[business];
  let party: Party<Link> | undefined;
  let openedAt = 0;
  for (let attempt = 0; attempt < 5 && party === undefined; attempt++) {
    const p = sampler.pick(rng, dayStart + DAY_MS / 2);
    if (p === undefined) return undefined;
    const t = openingTime(rng, dayStart, p.item.zone);
    if (p.from <= t && t < p.to && t < end) [party, openedAt] = [p, t];
  }
  if (party === undefined) return undefined;
  const category: TicketCategory = delivery ? 'complaint' : quasi(`category-${business}`).weighted(profile.categories);
  const channel = delivery ? rng.weighted({ email: 0.6, phone: 0.4 }) : rng.weighted(profile.channels);
  const link = party.item;
  const group = `${business}-${link.office ?? ''}-${category}`;
  const priority = quasi2(group).weighted(category === 'complaint' ? COMPLAINT_PRIORITY : PRIORITY);
  const subject = rng.pick(delivery ? DELIVERY_INCIDENT_SUBJECTS : SUBJECTS[category]);
  const spread = quasi(group).logLogistic(1, 0.25);
  let resolveHours = Math.max(0.25, RESOLVE_HOURS[category] * PRIORITY_FACTOR[priority] * profile.slower * spread);
  if (
    business === 'b2b' &&
    category === 'complaint' &&
    link.office === WEST_RESOLUTION.office &&
    openedAt >= WEST_RESOLUTION.from &&
    openedAt < WEST_RESOLUTION.to
  ) {
    resolveHours *= WEST_RESOLUTION.factor;
    bump(incidents, WEST_RESOLUTION.key);
  }
  if (delivery) bump(incidents, DELIVERY_WEEK.key);
  // The first answer comes before the resolution: a ticket is answered at the latest when it is solved.
  const firstHours = Math.min(FIRST_RESPONSE_HOURS[channel] * PRIORITY_FACTOR[priority] * rng.logNormal(1, 0.8), resolveHours * 0.8);
  const stillOpen = openedAt >= end - STILL_OPEN.days * DAY_MS && rng.chance(STILL_OPEN.share);
  const firstResponseAt = openedAt + Math.round(firstHours * HOUR_MS);
  const resolvedAt = openedAt + Math.round(resolveHours * HOUR_MS);
  return {
    business,
    account: link.account,
    owner: link.owner,
    office: link.office,
    customer: link.customer,
    subject,
    category,
    channel,
    priority,
    openedAt,
    firstResponseAt: firstResponseAt < end ? firstResponseAt : null,
    resolvedAt: stillOpen || resolvedAt >= end ? null : resolvedAt,
  };
}

/** A time on the given calendar day, mostly within business hours of `zone`. */
function openingTime(rng: Rng, dayStart: number, zone: string): number {
  const day = new Date(dayStart);
  const minutes = Math.floor((rng.chance(0.85) ? 8 + rng.next() * 10 : rng.next() * 24) * 60);
  const wall = {
    year: day.getUTCFullYear(),
    month: day.getUTCMonth() + 1,
    day: day.getUTCDate(),
    hour: Math.floor(minutes / 60),
    minute: minutes % 60,
    second: rng.int(0, 59),
    millisecond: 0,
  };
  return zonedToUtc(wall, zone).getTime();
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** Code-unit order, the same on every machine and database collation. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
