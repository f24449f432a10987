import type { CrmObject, StoredValue } from '../../domain/crm-objects.ts';
import { CrmPulseError } from '../../lib/errors.ts';
import { hash53 } from '../../lib/hash53.ts';
import { B2B_SOURCE, B2C_SOURCE, type DemoAnchors } from '../../store/demo-anchors.ts';
import type { Connector, PendingRecord, ProgressListener, ReadBatch, RefValue, SyncUnit, UnitRead } from '../connector.ts';
import { incidentNote } from '../demo/demo-incidents.ts';
import { demoWindows } from '../demo/demo-windows.ts';
import { generateSpend } from '../demo/generate-spend.ts';
import { generateSurveys } from '../demo/generate-surveys.ts';
import { generateTickets, type Business } from '../demo/generate-tickets.ts';

export { DEMO_INCIDENTS, type DemoIncident } from '../demo/demo-incidents.ts';

/** Name of this connector in sources (`kind: demo`) and in messages. */
export const DRIVER_NAME = 'demo';

/** Records per batch handed to the store: one transaction each. */
const BATCH_SIZE = 2000;

const UNITS: readonly SyncUnit[] = [
  { object: 'tickets', label: 'tickets' },
  { object: 'survey_answers', label: 'survey_answers' },
  { object: 'marketing_spend', label: 'marketing_spend' },
];

/** What one unit generates: its records and one note per incident applied or side left out. */
interface Generated {
  readonly records: PendingRecord[];
  readonly notes: string[];
}

/**
 * Generates support tickets, survey answers and marketing spend linked to the real demo data
 * (accounts and agents of maven-crm, customers of online-retail), with documented incidents for
 * alerts to find. Deterministic: the same anchors and seed give the same records.
 * @example await syncSource(deps, { key: 'demo', kind: 'demo', name: 'Generated demo data' }, demoConnector(await demoAnchors(db), 42))
 */
export function demoConnector(anchors: DemoAnchors, seed: number): Connector {
  return {
    kind: DRIVER_NAME,
    units: () => UNITS,
    read: async (unit, _cursor, onProgress) => readUnit(anchors, seed, unit, onProgress),
  };
}

async function readUnit(anchors: DemoAnchors, seed: number, unit: SyncUnit, onProgress?: ProgressListener): Promise<UnitRead> {
  const windows = demoWindows(anchors);
  if (!windows.b2b && !windows.b2c) {
    throw new CrmPulseError('input', `[demo] ${unit.label}: nothing to link generated records to; sources '${B2B_SOURCE}' and '${B2C_SOURCE}' have no data`, {
      hint: `run 'crm-pulse ingest ${B2B_SOURCE}' and 'crm-pulse ingest ${B2C_SOURCE}' first, then sync demo again`,
    });
  }
  const generated = generate(anchors, seed, unit.object);
  const notes = [...generated.notes];
  for (const [business, source] of [
    ['b2b', B2B_SOURCE],
    ['b2c', B2C_SOURCE],
  ] as const) {
    if (!windows[business])
      notes.push(`[demo] ${source} has no data, so no ${business.toUpperCase()} ${unit.label} were generated; run 'crm-pulse ingest ${source}' first`);
  }
  const { records } = generated;
  let done = false;
  async function* batches(): AsyncGenerator<ReadBatch> {
    for (let i = 0; i < records.length; i += BATCH_SIZE) {
      const batch = records.slice(i, i + BATCH_SIZE);
      onProgress?.(i + batch.length, records.length);
      yield { records: batch, rejects: [] };
    }
    done = true;
  }
  return {
    batches: batches(),
    cursor: () => (done ? `demo:seed=${seed}` : undefined),
    notes: () => notes,
  };
}

function generate(anchors: DemoAnchors, seed: number, object: CrmObject): Generated {
  switch (object) {
    case 'tickets': {
      const { tickets, incidents } = generateTickets(anchors, seed);
      const records = tickets.map((t, i) =>
        pending(
          i + 1,
          t.id,
          {
            subject: t.subject,
            category: t.category,
            channel: t.channel,
            priority: t.priority,
            opened_at: new Date(t.openedAt),
            first_response_at: date(t.firstResponseAt),
            resolved_at: date(t.resolvedAt),
          },
          refsOf(t.business, t.account, t.customer, t.owner),
        ),
      );
      return { records, notes: [...incidents].map(([key, n]) => incidentNote(key, n, 'tickets')) };
    }
    case 'survey_answers': {
      const { surveys, incidents } = generateSurveys(anchors, generateTickets(anchors, seed).tickets, seed);
      const records = surveys.map((s, i) =>
        pending(
          i + 1,
          s.id,
          { kind: s.kind, score: s.score, answered_at: new Date(s.answeredAt), comment: s.comment },
          refsOf(s.business, s.account, s.customer, null),
        ),
      );
      return { records, notes: [...incidents].map(([key, n]) => incidentNote(key, n, 'answers')) };
    }
    case 'marketing_spend': {
      const { rows, incidents } = generateSpend(anchors, seed);
      const records = rows.map((r, i) =>
        pending(
          i + 1,
          r.id,
          {
            day: new Date(r.day),
            channel: r.channel,
            campaign: r.campaign,
            spend: r.spend,
            leads: r.leads,
            attributed_revenue: r.attributedRevenue,
          },
          {},
        ),
      );
      return { records, notes: [...incidents].map(([key, n]) => incidentNote(key, n, 'rows')) };
    }
    default:
      throw new CrmPulseError('input', `[demo] cannot generate ${object}; units are ${UNITS.map((u) => u.label).join(', ')}`);
  }
}

/**
 * The references of a generated record. A side's records carry only that side's references: an
 * absent field is stored empty without counting as an "empty reference" in the import notes.
 */
function refsOf(business: Business, account: string | null, customer: string | null, owner: string | null): Record<string, RefValue | null> {
  const refs: Record<string, RefValue> = {};
  if (business === 'b2b') {
    if (account !== null) refs.account = { object: 'accounts', key: account, source: B2B_SOURCE, unknown: 'reject' };
    if (owner !== null) refs.owner = { object: 'owners', key: owner, source: B2B_SOURCE, unknown: 'reject' };
  } else if (customer !== null) {
    refs.customer = { object: 'customers', key: customer, source: B2C_SOURCE, unknown: 'reject' };
  }
  return refs;
}

function pending(line: number, externalId: string, values: Record<string, StoredValue>, refs: Record<string, RefValue | null>): PendingRecord {
  return { line, externalId, contentHash: hash53(JSON.stringify([values, refs])), values, refs };
}

function date(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}
