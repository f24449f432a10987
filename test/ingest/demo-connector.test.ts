import { describe, expect, it } from 'vitest';
import { CRM_OBJECTS, type CrmObject } from '../../src/domain/crm-objects.ts';
import type { Connector, PendingRecord } from '../../src/ingest/connector.ts';
import { DEMO_INCIDENTS, DRIVER_NAME, demoConnector } from '../../src/ingest/connectors/demo.ts';
import { generateSurveys } from '../../src/ingest/demo/generate-surveys.ts';
import type { DemoTicket } from '../../src/ingest/demo/generate-tickets.ts';
import { CrmPulseError } from '../../src/lib/errors.ts';
import { wallTimeIn } from '../../src/lib/zoned-time.ts';
import type { AccountAnchor, CustomerAnchor, DemoAnchors } from '../../src/store/demo-anchors.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const utc = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d);

/** 15 accounts over the three offices, West the largest as its incident is measured on it. */
function accounts(): AccountAnchor[] {
  const offices = ['West', 'West', 'East', 'West', 'Central'];
  return Array.from({ length: 15 }, (_, i) => ({
    externalId: `Account ${String.fromCharCode(65 + i)}`,
    country: i % 3 === 0 ? 'Kenya' : 'United States',
    owner: `Agent ${i % 7}`,
    office: offices[i % offices.length]!,
    deals: 20 + ((i * 37) % 80),
    firstEngagedAt: new Date(utc(2016, 10, 20) + ((i * 5) % 60) * DAY),
    lastEngagedAt: new Date(utc(2017, 12, 27) - ((i * 3) % 30) * DAY),
    firstClosedAt: new Date(utc(2017, 3, 1)),
    lastClosedAt: new Date(utc(2017, 12, 31) - ((i * 2) % 20) * DAY),
  }));
}

/** 60 customers with spans of a day to the whole year, plus one with only cancelled orders. */
function customers(): CustomerAnchor[] {
  const out: CustomerAnchor[] = Array.from({ length: 60 }, (_, i) => {
    const first = utc(2010, 12, 1) + ((i * 17) % 200) * DAY + 9 * HOUR;
    const last = Math.min(utc(2011, 12, 9) + 12 * HOUR, first + ((i * 53) % 380) * DAY);
    return {
      externalId: String(12346 + i),
      country: i % 4 === 0 ? 'France' : 'United Kingdom',
      firstOrderAt: new Date(first),
      lastOrderAt: new Date(last),
      invoices: 1 + ((i * 13) % 40),
    };
  });
  out.push({ externalId: '19999', country: 'Spain', firstOrderAt: null, lastOrderAt: null, invoices: 0 });
  return out;
}

function fixture(parts: { b2b?: boolean; b2c?: boolean } = {}): DemoAnchors {
  const b2b = parts.b2b ?? true;
  const b2c = parts.b2c ?? true;
  return {
    accounts: b2b ? accounts() : [],
    customers: b2c ? customers() : [],
    ranges: {
      'maven-crm': b2b ? { from: new Date(utc(2016, 10, 20)), to: new Date(utc(2017, 12, 31)) } : null,
      'online-retail': b2c ? { from: new Date('2010-12-01T08:26:00Z'), to: new Date('2011-12-09T12:50:00Z') } : null,
    },
  };
}

interface UnitOutput {
  records: PendingRecord[];
  batchSizes: number[];
  progress: [number, number][];
  cursorBefore: string | undefined;
  cursor: string | undefined;
  notes: string[];
}

async function readUnit(connector: Connector, object: CrmObject): Promise<UnitOutput> {
  const unit = connector.units().find((u) => u.object === object)!;
  const progress: [number, number][] = [];
  const read = await connector.read(unit, undefined, (done, total) => progress.push([done, total]));
  const out: UnitOutput = { records: [], batchSizes: [], progress, cursorBefore: read.cursor(), cursor: undefined, notes: [] };
  for await (const batch of read.batches) {
    expect(batch.rejects).toEqual([]);
    out.batchSizes.push(batch.records.length);
    out.records.push(...batch.records);
  }
  out.cursor = read.cursor();
  out.notes = read.notes();
  return out;
}

const cache = new Map<number, Promise<Record<string, UnitOutput>>>();
/** All three units of the full fixture for a seed; generated once per seed for the whole file. */
function readAll(seed: number): Promise<Record<string, UnitOutput>> {
  if (!cache.has(seed)) {
    const connector = demoConnector(fixture(), seed);
    cache.set(
      seed,
      (async () => ({
        tickets: await readUnit(connector, 'tickets'),
        survey_answers: await readUnit(connector, 'survey_answers'),
        marketing_spend: await readUnit(connector, 'marketing_spend'),
      }))(),
    );
  }
  return cache.get(seed)!;
}

const ms = (v: unknown) => (v as Date).getTime();
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const tickets = async (seed = 42) => (await readAll(seed)).tickets!.records;
const surveys = async (seed = 42) => (await readAll(seed)).survey_answers!.records;
const spend = async (seed = 42) => (await readAll(seed)).marketing_spend!.records;

describe('demo connector', () => {
  it('offers one unit per generated object, labelled with the object name', () => {
    const connector = demoConnector(fixture(), 42);
    expect(connector.kind).toBe(DRIVER_NAME);
    expect(connector.units()).toEqual([
      { object: 'tickets', label: 'tickets' },
      { object: 'survey_answers', label: 'survey_answers' },
      { object: 'marketing_spend', label: 'marketing_spend' },
    ]);
  });

  it('gives identical records for the same seed and different ones for another seed', async () => {
    const snapshot = (records: PendingRecord[]) => JSON.stringify(records.map((r) => [r.line, r.externalId, r.contentHash, r.values, r.refs]));
    const again = demoConnector(fixture(), 42);
    for (const object of ['tickets', 'survey_answers', 'marketing_spend'] as const) {
      const first = (await readAll(42))[object]!.records;
      expect(snapshot((await readUnit(again, object)).records)).toBe(snapshot(first));
      expect(snapshot((await readAll(43))[object]!.records)).not.toBe(snapshot(first));
    }
  });

  it('yields batches of at most 2,000, reports progress, and gives the cursor only at the end', async () => {
    for (const out of Object.values(await readAll(42))) {
      const n = out.records.length;
      expect(Math.max(...out.batchSizes)).toBeLessThanOrEqual(2000);
      expect(out.batchSizes.reduce((a, b) => a + b, 0)).toBe(n);
      expect(out.progress.at(-1)).toEqual([n, n]);
      expect(out.cursorBefore).toBeUndefined();
      expect(out.cursor).toBe('demo:seed=42');
      expect(out.records.map((r) => r.line)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      expect(new Set(out.records.map((r) => r.externalId)).size).toBe(n);
    }
  });

  it('sets every required field and keeps values inside the rules', async () => {
    const all = await readAll(42);
    for (const object of ['tickets', 'survey_answers', 'marketing_spend'] as const) {
      for (const r of all[object]!.records) {
        for (const [field, spec] of Object.entries(CRM_OBJECTS[object])) {
          if (spec.required) expect(r.values[field] ?? null, `${r.externalId}.${field}`).not.toBeNull();
          if (spec.oneOf && r.values[field] != null) expect(spec.oneOf).toContain(r.values[field]);
        }
        expect(r.contentHash).toBe(Math.floor(r.contentHash));
      }
    }
    for (const r of all.survey_answers!.records) {
      const score = r.values.score as number;
      expect(Number.isInteger(score)).toBe(true);
      if (r.values.kind === 'csat') expect(score >= 1 && score <= 5, `${r.externalId} csat ${score}`).toBe(true);
      else expect(score >= 0 && score <= 10, `${r.externalId} nps ${score}`).toBe(true);
    }
    for (const r of all.tickets!.records) {
      const opened = ms(r.values.opened_at);
      const first = r.values.first_response_at === null ? null : ms(r.values.first_response_at);
      const resolved = r.values.resolved_at === null ? null : ms(r.values.resolved_at);
      if (first !== null) expect(first, r.externalId).toBeGreaterThanOrEqual(opened);
      if (resolved !== null) expect(resolved, r.externalId).toBeGreaterThanOrEqual(first ?? opened);
      expect(['complaint', 'question', 'billing', 'delivery', 'technical']).toContain(r.values.category);
      expect(['email', 'phone', 'chat', 'web']).toContain(r.values.channel);
      expect(['low', 'normal', 'high']).toContain(r.values.priority);
    }
    for (const r of all.marketing_spend!.records) {
      expect(r.values.spend as number).toBeGreaterThan(0);
      expect(Number.isInteger(r.values.leads)).toBe(true);
      expect(ms(r.values.day) % DAY).toBe(0);
    }
  });

  it('links B2B tickets to the account and its main agent, B2C tickets to an active customer', async () => {
    const byAccount = new Map(accounts().map((a) => [a.externalId, a]));
    const byCustomer = new Map(customers().map((c) => [c.externalId, c]));
    const records = await tickets();
    let b2b = 0;
    let b2c = 0;
    for (const r of records) {
      const opened = ms(r.values.opened_at);
      if (r.refs.account) {
        b2b++;
        const account = byAccount.get(r.refs.account.key)!;
        expect(r.refs.account).toEqual({ object: 'accounts', key: account.externalId, source: 'maven-crm', unknown: 'reject' });
        expect(r.refs.owner).toEqual({ object: 'owners', key: account.owner, source: 'maven-crm', unknown: 'reject' });
        expect(new Date(opened).getUTCFullYear()).toBe(2017);
      } else {
        b2c++;
        expect(r.refs.customer).toMatchObject({ object: 'customers', source: 'online-retail', unknown: 'reject' });
        const customer = byCustomer.get(r.refs.customer!.key)!;
        expect(opened).toBeGreaterThanOrEqual(customer.firstOrderAt!.getTime());
        expect(opened).toBeLessThan(customer.lastOrderAt!.getTime() + 14 * DAY);
        expect(opened).toBeGreaterThanOrEqual(utc(2011, 1, 1));
      }
    }
    expect(b2b).toBeGreaterThan(2000);
    expect(b2b).toBeLessThan(3000);
    expect(b2c).toBeGreaterThan(5000);
    expect(b2c).toBeLessThan(7000);
    const complaints = records.filter((r) => r.values.category === 'complaint').length / records.length;
    expect(complaints).toBeGreaterThan(0.22);
    expect(complaints).toBeLessThan(0.3);
    // Most tickets are opened in business hours where the requester is.
    const london = records.filter((r) => r.refs.customer).map((r) => wallTimeIn(r.values.opened_at as Date, 'Europe/London').hour);
    expect(london.filter((h) => h >= 8 && h < 18).length / london.length).toBeGreaterThan(0.8);
    const unresolved = records.filter((r) => r.values.resolved_at === null);
    expect(unresolved.length).toBeGreaterThan(0);
    expect(unresolved.length).toBeLessThan(records.length * 0.02);
  });

  it('answers CSAT after a resolved ticket of the same requester, and NPS in quarterly waves', async () => {
    const resolvedBy = new Map<string, number[]>();
    for (const t of await tickets()) {
      if (t.values.resolved_at === null) continue;
      const key = (t.refs.account ?? t.refs.customer)!.key;
      resolvedBy.set(key, [...(resolvedBy.get(key) ?? []), ms(t.values.resolved_at)]);
    }
    const answers = await surveys();
    for (const s of answers.filter((a) => a.values.kind === 'csat')) {
      const answered = ms(s.values.answered_at);
      const times = resolvedBy.get((s.refs.account ?? s.refs.customer)!.key) ?? [];
      expect(
        times.some((t) => t <= answered && answered - t < 15 * DAY),
        s.externalId,
      ).toBe(true);
    }
    const nps = answers.filter((a) => a.values.kind === 'nps');
    expect(nps.some((a) => a.refs.account) && nps.some((a) => a.refs.customer)).toBe(true);
    for (const a of nps) {
      const d = a.values.answered_at as Date;
      const invited = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - ((d.getUTCMonth() - 1 + 12) % 3), 15, 10);
      expect([1, 4, 7, 10]).toContain(new Date(invited).getUTCMonth());
      expect(d.getTime() - invited, a.externalId).toBeGreaterThanOrEqual(0);
      expect(d.getTime() - invited, a.externalId).toBeLessThanOrEqual(14 * DAY);
    }
  });

  it('scores CSAT lower when the resolution was slow', () => {
    const ticket = (i: number, hours: number): DemoTicket => ({
      id: `T-${i}`,
      business: 'b2c',
      account: null,
      owner: null,
      office: null,
      customer: '12346',
      subject: 'x',
      category: 'question',
      channel: 'email',
      priority: 'normal',
      openedAt: utc(2011, 3, 1) + i * HOUR,
      firstResponseAt: null,
      resolvedAt: utc(2011, 3, 1) + i * HOUR + hours * HOUR,
    });
    const list = [...Array.from({ length: 1500 }, (_, i) => ticket(i, 4)), ...Array.from({ length: 1500 }, (_, i) => ticket(i + 1500, 100))];
    const answers = generateSurveys(fixture({ b2b: false }), list, 42).surveys.filter((s) => s.kind === 'csat');
    const satisfied = (slow: boolean) => {
      const xs = answers.filter((s) => s.answeredAt - utc(2011, 3, 1) > 1500 * HOUR === slow);
      return xs.filter((s) => s.score >= 4).length / xs.length;
    };
    expect(satisfied(false) - satisfied(true)).toBeGreaterThan(0.2);
  });
});

describe('demo incidents', () => {
  it('documents each incident and notes it in the unit that applies it', async () => {
    expect(DEMO_INCIDENTS.map((i) => i.key)).toEqual(['west-complaint-resolution', 'b2c-delivery-complaints', 'b2c-csat-drop', 'b2c-display-spike']);
    const all = await readAll(42);
    const noted = (object: string) => all[object]!.notes.filter((n) => n.includes('incident')).map((n) => /incident ([\w-]+)/.exec(n)![1]);
    expect(noted('tickets')).toEqual(['west-complaint-resolution', 'b2c-delivery-complaints']);
    expect(noted('survey_answers')).toEqual(['b2c-csat-drop']);
    expect(noted('marketing_spend')).toEqual(['b2c-display-spike']);
  });

  // Each incident is checked on several seeds: it must be real in the data, not luck of one draw.
  it.each([42, 1, 7])('a: West complaint resolution time doubles in September 2017 (seed %i)', async (seed) => {
    const officeOf = new Map(accounts().map((a) => [a.externalId, a.office]));
    const records = await tickets(seed);
    const hours = (office: string, from: number, to: number) =>
      median(
        records
          .filter((t) => t.refs.account && t.values.category === 'complaint' && t.values.resolved_at !== null)
          .filter((t) => officeOf.get(t.refs.account!.key) === office)
          .filter((t) => ms(t.values.opened_at) >= from && ms(t.values.opened_at) < to)
          .map((t) => (ms(t.values.resolved_at) - ms(t.values.opened_at)) / HOUR),
      );
    const sep = [utc(2017, 9, 1), utc(2017, 10, 1)] as const;
    const summer = [utc(2017, 6, 1), utc(2017, 9, 1)] as const;
    expect(hours('West', ...sep)).toBeGreaterThanOrEqual(1.7 * hours('West', ...summer));
    // Only the West office slows down.
    expect(hours('East', ...sep)).toBeLessThan(1.4 * hours('East', ...summer));
  });

  it.each([42, 1, 7])('b: B2C complaints triple in the week of 2011-08-08, mostly by email and phone (seed %i)', async (seed) => {
    const complaints = (await tickets(seed)).filter((t) => t.refs.customer && t.values.category === 'complaint');
    const week = (from: number) => complaints.filter((t) => ms(t.values.opened_at) >= from && ms(t.values.opened_at) < from + 7 * DAY);
    const incident = week(utc(2011, 8, 8));
    const before = mean([1, 2, 3, 4].map((k) => week(utc(2011, 8, 8) - k * 7 * DAY).length));
    expect(incident.length).toBeGreaterThanOrEqual(2.5 * before);
    const byPhoneOrEmail = incident.filter((t) => t.values.channel === 'email' || t.values.channel === 'phone').length;
    expect(byPhoneOrEmail / incident.length).toBeGreaterThan(0.75);
  });

  it.each([42, 1, 7])('c: B2C CSAT falls by about 20 points in October 2011 (seed %i)', async (seed) => {
    const csat = (await surveys(seed)).filter((s) => s.refs.customer && s.values.kind === 'csat');
    const satisfied = (from: number, to: number) => {
      const xs = csat.filter((s) => ms(s.values.answered_at) >= from && ms(s.values.answered_at) < to);
      return xs.filter((s) => (s.values.score as number) >= 4).length / xs.length;
    };
    const drop = satisfied(utc(2011, 7, 1), utc(2011, 10, 1)) - satisfied(utc(2011, 10, 1), utc(2011, 11, 1));
    expect(drop).toBeGreaterThan(0.12);
    expect(drop).toBeLessThan(0.3);
  });

  it.each([42, 1, 7])('d: B2C display spend spikes 4× in November 2011 with no rise in leads (seed %i)', async (seed) => {
    const display = (await spend(seed)).filter((r) => r.externalId.startsWith('M-b2c-') && r.values.channel === 'display');
    const perDay = (from: number, to: number) => {
      const xs = display.filter((r) => ms(r.values.day) >= from && ms(r.values.day) < to);
      return { spend: mean(xs.map((r) => r.values.spend as number)), leads: mean(xs.map((r) => r.values.leads as number)) };
    };
    const nov = perDay(utc(2011, 11, 1), utc(2011, 12, 1));
    const before = perDay(utc(2011, 8, 1), utc(2011, 11, 1));
    expect(nov.spend).toBeGreaterThanOrEqual(3 * before.spend);
    expect(nov.leads).toBeLessThanOrEqual(1.2 * before.leads);
    expect(nov.spend / nov.leads).toBeGreaterThanOrEqual(3 * (before.spend / before.leads));
  });

  it('covers every day of each source with one row per channel, events only for B2B', async () => {
    const rows = await spend();
    const b2c = rows.filter((r) => r.externalId.startsWith('M-b2c-'));
    const b2b = rows.filter((r) => r.externalId.startsWith('M-b2b-'));
    const days = (from: number, to: number) => (to - from) / DAY + 1;
    expect(b2c.length).toBe(4 * days(utc(2010, 12, 1), utc(2011, 12, 9)));
    expect(b2b.filter((r) => r.values.channel !== 'events').length).toBe(4 * days(utc(2016, 10, 20), utc(2017, 12, 31)));
    expect(b2b.some((r) => r.values.channel === 'events')).toBe(true);
    expect(b2c.some((r) => r.values.channel === 'events')).toBe(false);
    expect(rows.find((r) => r.externalId === 'M-b2c-2011-03-04-search')?.values.day).toEqual(new Date('2011-03-04T00:00:00Z'));
  });
});

describe('demo connector without the real data', () => {
  it('generates only the side whose source is imported, and says what is missing', async () => {
    const connector = demoConnector(fixture({ b2c: false }), 42);
    const out = await readUnit(connector, 'tickets');
    expect(out.records.length).toBeGreaterThan(2000);
    expect(out.records.every((r) => r.refs.account && !r.refs.customer)).toBe(true);
    expect(out.notes).toContain("[demo] online-retail has no data, so no B2C tickets were generated; run 'crm-pulse ingest online-retail' first");
  });

  it('refuses to generate anything when neither source is imported', async () => {
    const connector = demoConnector(fixture({ b2b: false, b2c: false }), 42);
    const error = await connector.read(connector.units()[0]!, undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrmPulseError);
    expect((error as CrmPulseError).code).toBe('input');
    expect((error as CrmPulseError).message).toBe(
      "[demo] tickets: nothing to link generated records to; sources 'maven-crm' and 'online-retail' have no data\n" +
        "  fix: run 'crm-pulse ingest maven-crm' and 'crm-pulse ingest online-retail' first, then sync demo again",
    );
  });
});
