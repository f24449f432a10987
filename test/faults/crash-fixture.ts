// The CRM of the crash trials (crash-trials.test.ts): its config, and the deals it holds at each
// phase of a trial, so that every month's won revenue per owner is known in advance.
import type { HubspotRecord } from '../ingest/fakes/fake-hubspot.ts';
import { mulberry32 } from '../helpers/seeded-random.ts';

/** The phases of a trial: each syncs the CRM as it then stands, evaluates at asOf and delivers. */
export const PHASES = [
  { phase: 1, asOf: '2024-04-01T09:00:00Z' },
  { phase: 2, asOf: '2024-05-01T09:00:00Z' },
  { phase: 3, asOf: '2024-07-01T09:00:00Z' },
];

export const CONFIG = (port: number) => `
timezone: UTC
sources:
  crm:
    kind: hubspot
    base_url: http://127.0.0.1:${port}
    objects: [owners, deals]
alerts:
  channels: ['#alerts']
  routes:
    - { severity: critical, channels: ['#leads'] }
  rules:
    drop:
      kpi: won_revenue
      grain: month
      by: owner
      repeat: 1d
      conditions:
        - { type: change, drop: { warning: 30, critical: 50 } }
`;

const ANN = '41629779';
const BOB = '41629780';
/** Won revenue per month: Ann drops in March, Bob in June; two deals a month each. */
const WON: Record<string, [number, number]> = { '01': [100, 100], '02': [100, 100], '03': [40, 100], '04': [100, 100], '05': [100, 100], '06': [100, 45] };
/** The phase whose sync first sees each month's deals. */
const MONTH_PHASE: Record<string, number> = { '01': 1, '02': 1, '03': 1, '04': 2, '05': 3, '06': 3 };

/** The CRM as it stands at `phase`: new deals each phase, and in phases 2 and 3 an old one edited. */
export function dealsAt(phase: number): HubspotRecord[] {
  const out: HubspotRecord[] = [];
  let n = 0;
  const record = (id: string, name: string, stage: string, amount: number, owner: string, closed: string, modified: string): HubspotRecord => ({
    id,
    properties: {
      dealname: name,
      dealstage: stage,
      pipeline: 'default',
      amount: String(amount),
      createdate: '2024-01-01T00:00:00.000Z',
      closedate: closed,
      hs_lastmodifieddate: modified,
      hubspot_owner_id: owner,
    },
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: modified,
  });
  const seen = (p: number, i: number) => new Date(Date.parse(PHASES[p - 1]!.asOf) - 86_400_000 + i * 60_000).toISOString();
  for (const [month, totals] of Object.entries(WON)) {
    const p = MONTH_PHASE[month]!;
    if (p > phase) continue;
    totals.forEach((total, o) => {
      const owner = o === 0 ? ANN : BOB;
      for (const [k, part] of [0.6, 0.4].entries()) {
        out.push(
          record(
            `7${month}${o}${k}`,
            `${month} deal ${o}${k}`,
            'closedwon',
            Math.round(total * part),
            owner,
            `2024-${month}-1${k}T00:00:00.000Z`,
            seen(p, ++n),
          ),
        );
      }
    });
  }
  for (let p = 1; p <= phase; p++)
    out.push(record(`80${p}`, `open deal ${p}`, 'qualifiedtobuy', 10 * p, p % 2 ? ANN : BOB, '2024-12-31T00:00:00.000Z', seen(p, 50)));
  // Edits that only an incremental read from the right cursor picks up.
  const edit = (id: string, amount: number, p: number) => {
    const d = out.find((x) => x.id === id)!;
    d.properties.amount = String(amount);
    d.properties.hs_lastmodifieddate = d.updatedAt = seen(p, 90);
  };
  if (phase >= 2) edit('70210', 61, 2);
  if (phase >= 3) edit('70401', 41, 3);
  return out;
}

/** A seeded generator, so that a trial can be replayed by its seed. */
export const rng = mulberry32;
