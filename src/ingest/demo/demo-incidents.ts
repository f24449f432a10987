/** A documented anomaly the demo generator puts into its data, for alerts to find. */
export interface DemoIncident {
  readonly key: string;
  readonly description: string;
}

/** Complaint resolution time of the West office (B2B) doubles for tickets opened in this month. */
export const WEST_RESOLUTION = { key: 'west-complaint-resolution', office: 'West', from: Date.UTC(2017, 8, 1), to: Date.UTC(2017, 9, 1), factor: 2 } as const;

/** B2C complaints roughly triple in this week (local calendar days): 2.25 times the usual complaints come on top. */
export const DELIVERY_WEEK = { key: 'b2c-delivery-complaints', from: Date.UTC(2011, 7, 8), to: Date.UTC(2011, 7, 15), extra: 2.25 } as const;

/** B2C CSAT answers of this month are 20 points less likely to be 4 or 5. */
export const CSAT_DROP = { key: 'b2c-csat-drop', from: Date.UTC(2011, 9, 1), to: Date.UTC(2011, 10, 1), points: 0.2 } as const;

/** B2C display spend is multiplied in this month while its leads and revenue stay as they were. */
export const DISPLAY_SPIKE = { key: 'b2c-display-spike', channel: 'display', from: Date.UTC(2011, 10, 1), to: Date.UTC(2011, 11, 1), factor: 4 } as const;

/** The incidents of the demo data, each real in the generated records (see test/ingest/demo-connector.test.ts). */
export const DEMO_INCIDENTS: readonly DemoIncident[] = [
  {
    key: WEST_RESOLUTION.key,
    description: 'Complaint resolution time of the West office (B2B tickets owned by West agents) doubles in September 2017.',
  },
  {
    key: DELIVERY_WEEK.key,
    description: 'B2C complaint volume roughly triples in the week of 2011-08-08 (a delivery problem), mostly by email and phone.',
  },
  {
    key: CSAT_DROP.key,
    description: 'B2C CSAT drops in October 2011: the share of 4–5 scores falls by about 20 points.',
  },
  {
    key: DISPLAY_SPIKE.key,
    description: 'B2C display spend spikes about 4× in November 2011 with no rise in leads (ROI collapse).',
  },
];

/** The note a unit reports for an incident it applied to `count` records. */
export function incidentNote(key: string, count: number, what: string): string {
  const incident = DEMO_INCIDENTS.find((i) => i.key === key);
  return `[demo] incident ${key} (${count.toLocaleString('en-US')} ${what}): ${incident?.description ?? ''}`;
}
