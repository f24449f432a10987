import { CRM_OBJECT_NAMES, type CrmObject } from '../domain/crm-objects.ts';
import type { LeftoverSource, RejectSummary, SourceStatus, StatusReport, UnitStatus } from '../domain/status-report.ts';
import type { Database } from './open-database.ts';

export type { UnitStatus, RejectSummary, SourceStatus, LeftoverSource, StatusReport } from '../domain/status-report.ts';

/** A source the config names, as `status` lists it. */
export interface ConfiguredSource {
  readonly key: string;
  readonly kind: string;
  readonly name: string;
}

/**
 * Reads the status of every source: record counts, the latest run of each unit, rejected rows by
 * kind with examples, and data-quality facts. Every figure is an aggregate query.
 * @example const report = await statusReport(db); report.totals.deals // 8800
 */
export async function statusReport(db: Database, options: { examples?: number; configured?: readonly ConfiguredSource[] } = {}): Promise<StatusReport> {
  const examples = options.examples ?? 3;
  const stored = await db.prisma.source.findMany({ orderBy: { id: 'asc' } });
  const configured = options.configured;
  // With a config, only its sources are listed (in its order); others are left over from an
  // earlier config or an `ingest --demo`, and are flagged rather than mixed in silently.
  const sources = configured ? configured.map((c) => stored.find((s) => s.key === c.key) ?? { ...c, id: -1 }) : stored;
  const others = configured ? stored.filter((s) => !configured.some((c) => c.key === s.key)) : [];
  const counts = new Map<number, Partial<Record<CrmObject, number>>>();
  const totals: Partial<Record<CrmObject, number>> = {};
  for (const object of CRM_OBJECT_NAMES) {
    const rows = await db.sql.all<{ source_id: number; n: number }>(`SELECT "source_id", count(*) AS n FROM "${object}" GROUP BY "source_id"`);
    for (const r of rows) {
      const c = counts.get(Number(r.source_id)) ?? {};
      c[object] = Number(r.n);
      counts.set(Number(r.source_id), c);
      totals[object] = (totals[object] ?? 0) + Number(r.n);
    }
  }
  const latest = await db.sql.all<{ id: number }>(`SELECT max("id") AS id FROM "sync_runs" GROUP BY "source_id", "object", "file"`);
  const runs = await db.prisma.syncRun.findMany({ where: { id: { in: latest.map((r) => Number(r.id)) } }, orderBy: { id: 'asc' } });
  const out: SourceStatus[] = [];
  for (const s of sources) {
    const units = runs.filter((r) => r.sourceId === s.id).map(toUnitStatus);
    const lines = units.reduce((a, u) => ({ read: a.read + u.read, written: a.written + u.written, rejected: a.rejected + u.rejected }), {
      read: 0,
      written: 0,
      rejected: 0,
    });
    const ended = units
      .map((u) => u.endedAt)
      .filter((e): e is string => e !== null)
      .sort();
    out.push({
      key: s.key,
      kind: s.kind,
      name: s.name,
      records: counts.get(s.id) ?? {},
      units,
      lines: { ...lines, accounted: lines.read === lines.written + lines.rejected },
      lastSyncAt: ended.at(-1) ?? null,
      rejects: await rejectSummary(db, s.id, examples),
      facts: await facts(db, s.id),
    });
  }
  const leftover = others.map((s) => ({ key: s.key, kind: s.kind, name: s.name, records: counts.get(s.id) ?? {} }));
  return { database: db.displayUrl, sources: out, leftover, totals };
}

function toUnitStatus(r: {
  object: string;
  file: string | null;
  status: string;
  startedAt: Date;
  endedAt: Date | null;
  rowsRead: number;
  rowsWritten: number;
  rowsRejected: number;
  rowsInserted: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  error: string | null;
  notes: string | null;
}): UnitStatus {
  return {
    object: r.object,
    file: r.file,
    status: r.status,
    startedAt: r.startedAt.toISOString(),
    endedAt: r.endedAt?.toISOString() ?? null,
    read: r.rowsRead,
    written: r.rowsWritten,
    rejected: r.rowsRejected,
    inserted: r.rowsInserted,
    updated: r.rowsUpdated,
    unchanged: r.rowsUnchanged,
    accounted: r.rowsRead === r.rowsWritten + r.rowsRejected,
    error: r.error,
    notes: r.notes ? (JSON.parse(r.notes) as string[]) : [],
  };
}

async function rejectSummary(db: Database, sourceId: number, examples: number): Promise<RejectSummary> {
  const kinds = await db.sql.all<{ kind: string; n: number }>(
    `SELECT "kind", count(*) AS n FROM "rejected_rows" WHERE "source_id" = ? GROUP BY "kind" ORDER BY n DESC`,
    [sourceId],
  );
  const byKind = Object.fromEntries(kinds.map((k) => [k.kind, Number(k.n)]));
  // One example of each kind first, so that a rare kind is not hidden behind a common one.
  const shown = await db.sql.all<{ file: string; line: number; kind: string; reason: string; raw: string }>(
    `SELECT "file", "line", "kind", "reason", "raw" FROM "rejected_rows"
     WHERE "id" IN (SELECT min("id") FROM "rejected_rows" WHERE "source_id" = ? GROUP BY "kind")
        OR "id" IN (SELECT "id" FROM "rejected_rows" WHERE "source_id" = ? ORDER BY "id" LIMIT ?)
     ORDER BY "id" LIMIT ?`,
    [sourceId, sourceId, examples, Math.max(examples, kinds.length)],
  );
  return {
    total: kinds.reduce((a, k) => a + Number(k.n), 0),
    byKind,
    examples: shown.map((e) => ({ ...e, line: Number(e.line) })),
  };
}

/** Named counts worth seeing at a glance; each is one aggregate query. */
const FACTS: Record<string, string> = {
  deals_open: `SELECT count(*) AS n FROM "deals" WHERE "source_id" = ? AND "status" = 'open'`,
  deals_won: `SELECT count(*) AS n FROM "deals" WHERE "source_id" = ? AND "status" = 'won'`,
  deals_lost: `SELECT count(*) AS n FROM "deals" WHERE "source_id" = ? AND "status" = 'lost'`,
  deals_without_account: `SELECT count(*) AS n FROM "deals" WHERE "source_id" = ? AND "account_id" IS NULL`,
  order_lines_cancelled: `SELECT count(*) AS n FROM "order_lines" WHERE "source_id" = ? AND "cancelled"`,
  order_lines_guest: `SELECT count(*) AS n FROM "order_lines" WHERE "source_id" = ? AND "customer_id" IS NULL`,
  tickets_complaints: `SELECT count(*) AS n FROM "tickets" WHERE "source_id" = ? AND "category" = 'complaint'`,
};

async function facts(db: Database, sourceId: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, sql] of Object.entries(FACTS)) {
    const n = Number((await db.sql.all<{ n: number }>(sql, [sourceId]))[0]?.n ?? 0);
    if (n > 0) out[name] = n;
  }
  return out;
}
