// A small CRM with known monthly won revenue per region, and the app over it, for the alert
// lifecycle tests. West's won revenue: 100 a month, except March 2024 (40) and June 2024 (55);
// East's: 100 every month. No deal has an account or a product, so deal data is 0% complete.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, type App } from '../../src/app.ts';
import type { Notifier } from '../../src/alerts/notifier.ts';
import { readEnv } from '../../src/config/env.ts';
import type { AlertNotification } from '../../src/domain/alert.ts';
import { fixedClock, type Clock } from '../../src/lib/clock.ts';
import { CrmPulseError } from '../../src/lib/errors.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { tempSqlite, type TestDatabase } from '../helpers/databases.ts';
import { tempFiles } from '../helpers/import.ts';
import { OWNER_DEALS_SOURCE } from '../helpers/csv-sources.ts';

const WEST: Record<string, number> = { '2024-03': 40, '2024-06': 55 };

/** The fixture's deals as CSV. */
export function dealsCsv(): string {
  const lines = ['id,status,amount,owner,engaged_at,closed_at'];
  let id = 0;
  for (let m = 1; m <= 9; m++) {
    const month = `2024-${String(m).padStart(2, '0')}`;
    lines.push(`${++id},won,${WEST[month] ?? 100},ann,${month}-01,${month}-15`);
    lines.push(`${++id},won,100,bob,${month}-01,${month}-15`);
    lines.push(`${++id},lost,0,bob,${month}-01,${month}-16`);
  }
  return `${lines.join('\n')}\n`;
}

/** The fixture's timezone and CSV source, for a config of its own. */
export const SOURCE = `
timezone: UTC
${OWNER_DEALS_SOURCE}`;

/** The alerts section used unless a test passes its own. */
export const DROP_RULES = `
alerts:
  channels: ['#alerts']
  routes:
    - { severity: critical, channels: ['#leads'] }
  mentions: { critical: '@here' }
  owners: {}
  rules:
    drop:
      kpi: won_revenue
      grain: month
      by: region
      repeat: 1d
      conditions:
        - { type: change, drop: { warning: 30, critical: 50 } }
`;

/** A notifier that records what it delivered, and can be told to fail. */
export interface RecordingNotifier extends Notifier<AlertNotification> {
  readonly delivered: AlertNotification[];
  /** the next deliveries throw this error, then it works again */
  failNext(count: number, retryable: boolean): void;
}

/** A recording notifier. */
export function recordingNotifier(): RecordingNotifier {
  const delivered: AlertNotification[] = [];
  let failures = 0;
  let retryable = true;
  return {
    name: 'recording',
    delivered,
    failNext(count, r) {
      failures = count;
      retryable = r;
    },
    async deliver(n, thread) {
      if (failures > 0) {
        failures--;
        throw new CrmPulseError('remote', `[test] delivery to ${n.channel} failed`, { retryable });
      }
      delivered.push(n);
      return { ref: thread ?? `${n.channel}/${n.episodeId}` };
    },
  };
}

/** The app over the fixture CRM, with `alerts` as its alerts section, synced once. */
export async function alertFixture(
  alerts = DROP_RULES,
  options: { clock?: Clock; database?: TestDatabase } = {},
): Promise<{ app: App; dir: string; close(): Promise<void> }> {
  const dir = tempFiles({ 'owners.csv': 'id,name,office\nann,Ann,West\nbob,Bob,East\n', 'deals.csv': dealsCsv() });
  writeFileSync(join(dir, 'crm-pulse.yaml'), `${SOURCE}\n${alerts}`);
  const database = options.database ?? tempSqlite();
  const app = await createApp(
    readEnv({ DATABASE_URL: database.url, CRM_PULSE_CONFIG: join(dir, 'crm-pulse.yaml'), CRM_PULSE_NOTIFICATIONS: join(dir, 'notifications.jsonl') }),
    silentLogger(),
    options.clock ?? fixedClock(new Date('2024-09-30T00:00:00Z')),
  );
  const results = await app.ingest('crm');
  if (results.some((r) => r.status !== 'succeeded')) throw new Error(`fixture import failed: ${JSON.stringify(results)}`);
  return {
    app,
    dir,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

/** An instant in UTC. */
export const at = (iso: string) => new Date(iso);
