import type { DemoAnchors } from '../../store/demo-anchors.ts';
import { createQuasiRng, createRng, type Rng } from './create-rng.ts';
import { CSAT_DROP } from './demo-incidents.ts';
import { DAY_MS, HOUR_MS, demoWindows, type DemoWindow } from './demo-windows.ts';
import { compare, type Business, type DemoTicket } from './generate-tickets.ts';

/** A generated survey answer, before it becomes a record; times are epoch milliseconds. */
export interface DemoSurvey {
  readonly id: string;
  readonly business: Business;
  /** csat scores 1–5 after a resolved ticket; nps scores 0–10 in quarterly waves */
  readonly kind: 'csat' | 'nps';
  readonly score: number;
  readonly account: string | null;
  readonly customer: string | null;
  readonly answeredAt: number;
  readonly comment: string | null;
}

/** The answers of both sides, by answering time, and how many answers each incident touched. */
export interface GeneratedSurveys {
  readonly surveys: DemoSurvey[];
  readonly incidents: ReadonlyMap<string, number>;
}

type Draft = Omit<DemoSurvey, 'id'>;

/** Share of resolved tickets whose requester answers the CSAT survey. */
const CSAT_RESPONSE = { b2b: 0.45, b2c: 0.3 } as const;
/** Share of invited contacts answering an NPS wave; B2B invites several contacts per account. */
const NPS_RESPONSE = { b2b: 0.5, b2c: 0.15 } as const;
const NPS_MIX = { b2b: { promoter: 0.38, passive: 0.37 }, b2c: { promoter: 0.42, passive: 0.33 } } as const;
const DETRACTOR_SCORES = { '6': 0.3, '5': 0.25, '4': 0.15, '3': 0.1, '2': 0.08, '1': 0.05, '0': 0.07 } as const;
const LOW_COMMENTS = ['Took far too long to sort out', 'Had to chase several times', 'Problem is still not fixed', 'Nobody called me back'];
const HIGH_COMMENTS = ['Quick and helpful', 'Sorted on the first call', 'Friendly and clear', 'Great service, thank you'];

/**
 * Generates CSAT answers after a share of the resolved tickets (lower when resolution was slow)
 * and quarterly NPS waves over the accounts and customers, with the survey incidents applied.
 * @example generateSurveys(anchors, generateTickets(anchors, 42).tickets, 42).surveys.length
 */
export function generateSurveys(anchors: DemoAnchors, tickets: readonly DemoTicket[], seed: number): GeneratedSurveys {
  const windows = demoWindows(anchors);
  const incidents = new Map<string, number>();
  const drafts: Draft[] = [];
  for (const business of ['b2b', 'b2c'] as const) {
    const window = windows[business];
    if (window === null) continue;
    const own = tickets.filter((t) => t.business === business);
    drafts.push(...csatAnswers(business, own, window, createRng(seed, `csat-${business}`), incidents));
  }
  if (windows.b2b) {
    const rng = createRng(seed, 'nps-b2b');
    const accounts = [...anchors.accounts].filter((a) => a.deals > 0).sort((a, b) => compare(a.externalId, b.externalId));
    for (const wave of waves(windows.b2b)) {
      for (const a of accounts) {
        const from = (a.firstEngagedAt ?? a.firstClosedAt)?.getTime() ?? Infinity;
        const last = Math.max(a.lastClosedAt?.getTime() ?? 0, a.lastEngagedAt?.getTime() ?? 0);
        if (from > wave || last + 90 * DAY_MS < wave) continue;
        const contacts = rng.int(1, 3);
        for (let i = 0; i < contacts; i++) {
          if (rng.chance(NPS_RESPONSE.b2b)) drafts.push(npsAnswer(rng, 'b2b', a.externalId, null, wave, 0));
        }
      }
    }
  }
  if (windows.b2c) {
    const rng = createRng(seed, 'nps-b2c');
    const customers = [...anchors.customers].filter((c) => c.firstOrderAt && c.lastOrderAt).sort((a, b) => compare(a.externalId, b.externalId));
    for (const wave of waves(windows.b2c)) {
      for (const c of customers) {
        // A wave goes to customers who bought within the last six months.
        if (c.firstOrderAt!.getTime() > wave || c.lastOrderAt!.getTime() < wave - 182 * DAY_MS) continue;
        if (rng.chance(NPS_RESPONSE.b2c)) drafts.push(npsAnswer(rng, 'b2c', null, c.externalId, wave, c.invoices >= 10 ? 0.1 : 0));
      }
    }
  }
  // Answers that would come after the end of the data are never given.
  const kept = drafts.filter((d) => d.answeredAt < (windows[d.business]?.to ?? -Infinity));
  kept.sort((a, b) => a.answeredAt - b.answeredAt);
  const surveys = kept.map((d, i) => ({ id: `S-${String(i + 1).padStart(6, '0')}`, ...d }));
  return { surveys, incidents };
}

function csatAnswers(business: Business, tickets: readonly DemoTicket[], window: DemoWindow, rng: Rng, incidents: Map<string, number>): Draft[] {
  const out: Draft[] = [];
  // Whether an answer is 4–5 comes from a quasi-random stream, so that a month's share of
  // satisfied answers is the share the model gives, and the October drop is not lost in noise.
  const satisfied = createQuasiRng(rng.next());
  for (const t of tickets) {
    if (t.resolvedAt === null || !rng.chance(CSAT_RESPONSE[business])) continue;
    // The survey goes out on resolution; most people answer within a day or two.
    const answeredAt = t.resolvedAt + Math.round(rng.logNormal(20, 0.6) * HOUR_MS);
    if (answeredAt >= window.to) continue;
    const hours = (t.resolvedAt - t.openedAt) / HOUR_MS;
    let high = 0.84 - (hours > 72 ? 0.3 : hours > 24 ? 0.1 : 0) - (t.category === 'complaint' ? 0.08 : 0);
    if (business === 'b2c' && answeredAt >= CSAT_DROP.from && answeredAt < CSAT_DROP.to) {
      high -= CSAT_DROP.points;
      incidents.set(CSAT_DROP.key, (incidents.get(CSAT_DROP.key) ?? 0) + 1);
    }
    const score = satisfied.chance(Math.min(0.97, Math.max(0.05, high))) ? (rng.chance(0.6) ? 5 : 4) : Number(rng.weighted({ '3': 0.5, '2': 0.3, '1': 0.2 }));
    const comment = score <= 2 && rng.chance(0.4) ? rng.pick(LOW_COMMENTS) : score === 5 && rng.chance(0.15) ? rng.pick(HIGH_COMMENTS) : null;
    out.push({ business, kind: 'csat', score, account: t.account, customer: t.customer, answeredAt, comment });
  }
  return out;
}

function npsAnswer(rng: Rng, business: Business, account: string | null, customer: string | null, wave: number, loyalty: number): Draft {
  const mix = NPS_MIX[business];
  const u = rng.next();
  const score = u < mix.promoter + loyalty ? rng.int(9, 10) : u < mix.promoter + loyalty + mix.passive ? rng.int(7, 8) : Number(rng.weighted(DETRACTOR_SCORES));
  // Answers trickle in over the two weeks after the invitation, most in the first days.
  const delay = Math.min(14 * DAY_MS, Math.round(rng.logNormal(2, 0.8) * DAY_MS));
  const answeredAt = wave + delay;
  const comment = score <= 4 && rng.chance(0.3) ? rng.pick(LOW_COMMENTS) : null;
  return { business, kind: 'nps', score, account, customer, answeredAt, comment };
}

/** Invitation times of the quarterly NPS waves: 10:00 UTC on the 15th of each quarter's middle month. */
function waves(window: DemoWindow): number[] {
  const out: number[] = [];
  const first = new Date(window.from);
  for (let y = first.getUTCFullYear(); Date.UTC(y, 0, 1) < window.to; y++) {
    for (const month of [1, 4, 7, 10]) {
      const t = Date.UTC(y, month, 15, 10);
      if (t >= window.from && t < window.to) out.push(t);
    }
  }
  return out;
}
