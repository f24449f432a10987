import type { Database } from './open-database.ts';
import { sourceHealth } from './source-health.ts';

/** What /healthz reports: whether the database answers, and each source's last successful sync. */
export interface HealthCheck {
  readonly database: 'ok' | 'unreachable';
  /** why the database did not answer */
  readonly error?: string;
  readonly sources: readonly { readonly key: string; readonly name: string; readonly lastSuccess: Date | null }[];
}

/** Asks the database a trivial question, then reads the last successful sync of every source. */
export async function healthCheck(db: Database): Promise<HealthCheck> {
  try {
    await db.sql.all('SELECT 1 AS ok');
    const sources = await sourceHealth(db);
    return { database: 'ok', sources: sources.map((s) => ({ key: s.key, name: s.name, lastSuccess: s.lastSuccess })) };
  } catch (error) {
    return { database: 'unreachable', error: (error as Error).message.split('\n')[0]!, sources: [] };
  }
}
