import type { Database } from './open-database.ts';
import { pgValue, sqliteDate } from './record-writer.ts';

/** A workspace's refusal of native blocks, as stored. */
export interface NativeRefusalRow {
  readonly reason: string;
  readonly refusedAt: Date;
}

/** When and why a workspace's Slack refused native blocks; undefined when it never did. */
export async function readNativeRefusal(db: Database, workspace: string): Promise<NativeRefusalRow | undefined> {
  // Read as text: PostgreSQL's timestamp(3) holds UTC wall time, which its driver would read as local time.
  const at = db.dialect === 'sqlite' ? '"refused_at"' : 'CAST("refused_at" AS TEXT)';
  const [row] = await db.sql.all<{ reason: string; refused_at: string }>(
    `SELECT "reason", ${at} AS "refused_at" FROM "slack_native_refusals" WHERE "workspace" = ?`,
    [workspace],
  );
  if (!row) return undefined;
  const text = String(row.refused_at);
  return { reason: row.reason, refusedAt: new Date(db.dialect === 'sqlite' ? text : `${text.replace(' ', 'T')}Z`) };
}

/** Records that a workspace's Slack refused native blocks; the first refusal is kept. */
export async function markNativeRefusal(db: Database, workspace: string, reason: string, now: Date): Promise<void> {
  const at = db.dialect === 'sqlite' ? sqliteDate(now) : (pgValue(now) as string);
  await db.sql.run('INSERT INTO "slack_native_refusals" ("workspace", "reason", "refused_at") VALUES (?, ?, ?) ON CONFLICT ("workspace") DO NOTHING', [
    workspace,
    reason,
    at,
  ]);
}

/** Forgets a workspace's refusal, or every one (their Slack now takes the blocks); how many it forgot. */
export async function clearNativeRefusal(db: Database, workspace?: string): Promise<number> {
  return workspace === undefined
    ? db.sql.run('DELETE FROM "slack_native_refusals"', [])
    : db.sql.run('DELETE FROM "slack_native_refusals" WHERE "workspace" = ?', [workspace]);
}
