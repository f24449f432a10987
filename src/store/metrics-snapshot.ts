import type { MetricsSnapshot } from '../lib/metrics.ts';
import type { Database } from './open-database.ts';

/** Outbox tables counted when they exist: the digest's may not be migrated in every database. */
const OUTBOXES = [
  { outbox: 'alert', table: 'alert_outbox', required: true },
  { outbox: 'digest', table: 'digest_outbox', required: false },
] as const;

/**
 * The counts /metrics reads at scrape time: alert series by state, open episodes by severity and
 * outbox rows by status. Each is one GROUP BY in the database.
 */
export async function metricsSnapshot(db: Database): Promise<MetricsSnapshot> {
  const counts = async (sql: string) => {
    const rows = await db.sql.all<{ k: string; n: number | string | bigint }>(sql);
    return Object.fromEntries(rows.map((r) => [r.k, Number(r.n)]));
  };
  const alertSeries = await counts('SELECT state AS k, COUNT(*) AS n FROM alert_series GROUP BY state ORDER BY state');
  const openEpisodes = await counts(
    'SELECT current_severity AS k, COUNT(*) AS n FROM alert_episodes WHERE ended_at IS NULL GROUP BY current_severity ORDER BY current_severity',
  );
  const outbox: { outbox: string; status: string; count: number }[] = [];
  for (const o of OUTBOXES) {
    if (!o.required && !(await tableExists(db, o.table))) continue;
    // `pending` is always there, so an empty queue reads 0 rather than no data.
    const byStatus = { pending: 0, ...(await counts(`SELECT status AS k, COUNT(*) AS n FROM ${o.table} GROUP BY status ORDER BY status`)) };
    for (const [status, count] of Object.entries(byStatus)) {
      outbox.push({ outbox: o.outbox, status, count });
    }
  }
  return { alertSeries, openEpisodes, outbox };
}

/** Whether a table exists in the database's current schema. */
async function tableExists(db: Database, table: string): Promise<boolean> {
  const sql =
    db.dialect === 'sqlite'
      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?"
      : 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?';
  return (await db.sql.all(sql, [table])).length > 0;
}
