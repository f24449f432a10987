import type { AlertState, EpisodeKind, Severity } from '../domain/alert.ts';
import type { Database, Prisma } from './open-database.ts';
import { writeTransaction } from './write-transaction.ts';

type Tx = Omit<Prisma, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

/** A stored series state, as the lifecycle reads and writes it. */
export interface StoredSeries {
  readonly rule: string;
  readonly seriesKey: string;
  readonly kpi: string;
  readonly state: AlertState;
  readonly severity: Severity | null;
  readonly pendingCount: number;
  readonly recoverCount: number;
  readonly episodeId: number | null;
  readonly since: Date;
  readonly lastValue: number | null;
  readonly lastPeriod: string | null;
}

/** An episode row. */
export interface EpisodeRow {
  readonly id: number;
  readonly rule: string;
  readonly seriesKey: string;
  readonly kpi: string;
  readonly kind: EpisodeKind;
  readonly severity: Severity;
  readonly currentSeverity: Severity;
  readonly startedAt: Date;
  readonly endedAt: Date | null;
  readonly peakValue: number | null;
  readonly lastValue: number | null;
  readonly summary: string;
  readonly acknowledgedAt: Date | null;
  readonly acknowledgedBy: string | null;
  readonly lastNotifiedAt: Date | null;
  readonly reminders: number;
}

/** A notification to queue. */
export interface OutboxInput {
  readonly dedupKey: string;
  readonly channel: string;
  readonly event: string;
  readonly payload: string;
  readonly status: 'pending' | 'held' | 'muted';
  readonly note: string | null;
  readonly notBefore: Date;
}

/** One series' evaluation result to store: its next state, what happens to its episode, what to queue. */
export interface SeriesWrite {
  readonly next: StoredSeries;
  readonly fromState: AlertState;
  /** the episode open before this evaluation, updated or closed by it */
  readonly openEpisodeId: number | null;
  readonly changed: boolean;
  readonly episode: 'open' | 'update' | 'close' | null;
  readonly kind: EpisodeKind;
  readonly value: number | null;
  readonly period: string | null;
  readonly summary: string;
  /** which way is worse, for the episode's peak */
  readonly worse: 'higher' | 'lower';
  /** the notifications this write causes, given its episode */
  readonly outbox: (episode: EpisodeRow) => Promise<readonly OutboxInput[]>;
}

const TX = { maxWait: 30_000, timeout: 120_000 };

/** Every series that is not ok, by rule and series key; only the named rules' when `rules` is given. */
export async function loadSeries(db: Database, rules?: readonly string[]): Promise<StoredSeries[]> {
  const rows = await db.prisma.alertSeries.findMany(rules ? { where: { rule: { in: [...rules] } } } : undefined);
  return rows.map((r) => ({ ...r, state: r.state as AlertState, severity: r.severity as Severity | null }));
}

/**
 * Stores one tick's results: series states, episodes, transitions and the outbox rows they cause.
 */
export async function saveTick(db: Database, writes: readonly SeriesWrite[], now: Date): Promise<EpisodeRow[]> {
  const touched: EpisodeRow[] = [];
  // Each series' state, episode, transition and notifications commit together; series are saved in
  // batches so that a tick over thousands of them never holds the write lock for long. A crash
  // between batches leaves the rest to the next tick, whose dedup keys keep notifications single.
  for (let i = 0; i < writes.length; i += SAVE_BATCH) touched.push(...(await saveBatch(db, writes.slice(i, i + SAVE_BATCH), now)));
  return touched;
}

const SAVE_BATCH = 200;

/** How a fenced save checks, inside its transaction, that it may still write, and marks its work done. */
export interface WriteFence {
  /** whether this writer still holds its claim; false: write nothing */
  holds(tx: Tx): Promise<boolean>;
  /** marks the claimed work done, after the writes, in the same transaction */
  finish(tx: Tx): Promise<void>;
}

/**
 * Stores the results of one piece of a tick (see saveTick) in ONE transaction that first checks the
 * writer's claim on it: a writer that lost its claim (another replica took the work over) writes no
 * row at all. Returns false then, true when the results were stored and the work marked done.
 */
export async function saveFencedWrites(db: Database, writes: readonly SeriesWrite[], now: Date, fence: WriteFence): Promise<boolean> {
  return writeTransaction(
    db,
    async (tx) => {
      if (!(await fence.holds(tx))) return false;
      await writeSeries(tx, writes, now);
      await fence.finish(tx);
      return true;
    },
    TX,
  );
}

async function saveBatch(db: Database, writes: readonly SeriesWrite[], now: Date): Promise<EpisodeRow[]> {
  return writeTransaction(db, (tx) => writeSeries(tx, writes, now), TX);
}

async function writeSeries(tx: Tx, writes: readonly SeriesWrite[], now: Date): Promise<EpisodeRow[]> {
  const touched: EpisodeRow[] = [];
  const rows: SeriesRow[] = [];
  const transitions: TransitionRow[] = [];
  for (const w of writes) {
    const episode = await writeEpisode(tx, w, now);
    const episodeId = w.episode === 'close' ? null : (episode?.id ?? w.openEpisodeId);
    // An ok series with no episode open is kept as no row at all.
    if (w.next.state !== 'ok' || episodeId !== null) rows.push(seriesRow({ ...w.next, episodeId }, now));
    if (w.changed) {
      transitions.push({
        rule: w.next.rule,
        seriesKey: w.next.seriesKey,
        episodeId: episode?.id ?? null,
        fromState: w.fromState,
        toState: w.next.state,
        severity: w.next.severity,
        value: w.value,
        period: w.period,
        reason: w.summary,
        at: now,
      });
    }
    if (episode) {
      touched.push(episode);
      for (const o of await w.outbox(episode)) {
        await tx.alertOutbox.upsert({
          where: { dedupKey: o.dedupKey },
          create: { ...o, episodeId: episode.id, createdAt: now },
          update: {},
        });
      }
    }
  }
  // The batch's series rows are replaced, and its transitions appended, in three statements rather
  // than two per series: a cold tick writes thousands of them (issue 18). Same transaction as above.
  if (writes.length) await tx.alertSeries.deleteMany({ where: { OR: writes.map((w) => ({ rule: w.next.rule, seriesKey: w.next.seriesKey })) } });
  if (rows.length) await tx.alertSeries.createMany({ data: rows });
  if (transitions.length) await tx.alertTransition.createMany({ data: transitions });
  return touched;
}

type SeriesRow = StoredSeries & { readonly updatedAt: Date };
interface TransitionRow {
  readonly rule: string;
  readonly seriesKey: string;
  readonly episodeId: number | null;
  readonly fromState: AlertState;
  readonly toState: AlertState;
  readonly severity: Severity | null;
  readonly value: number | null;
  readonly period: string | null;
  readonly reason: string;
  readonly at: Date;
}

/** The stored columns of a series, and only those (a state read from the store also carries its row id). */
function seriesRow(s: StoredSeries, now: Date): SeriesRow {
  const { rule, seriesKey, kpi, state, severity, pendingCount, recoverCount, episodeId, since, lastValue, lastPeriod } = s;
  return { rule, seriesKey, kpi, state, severity, pendingCount, recoverCount, episodeId, since, lastValue, lastPeriod, updatedAt: now };
}

async function writeEpisode(tx: Tx, w: SeriesWrite, now: Date): Promise<EpisodeRow | undefined> {
  const seen = { at: now.toISOString(), period: w.period, value: w.value, severity: w.next.severity };
  if (w.episode === 'open') {
    const row = await tx.alertEpisode.create({
      data: {
        rule: w.next.rule,
        seriesKey: w.next.seriesKey,
        kpi: w.next.kpi,
        kind: w.kind,
        severity: w.next.severity ?? 'warning',
        currentSeverity: w.next.severity ?? 'warning',
        startedAt: now,
        peakValue: w.value,
        lastValue: w.value,
        seen: JSON.stringify([seen]),
        summary: w.summary,
      },
    });
    return episodeRow(row);
  }
  if ((w.episode === 'update' || w.episode === 'close') && w.openEpisodeId !== null) {
    const prev = await tx.alertEpisode.findUniqueOrThrow({ where: { id: w.openEpisodeId } });
    const peak =
      w.value === null || prev.peakValue === null
        ? (prev.peakValue ?? w.value)
        : w.worse === 'higher'
          ? Math.max(prev.peakValue, w.value)
          : Math.min(prev.peakValue, w.value);
    const severity = w.next.severity ?? prev.currentSeverity;
    const row = await tx.alertEpisode.update({
      where: { id: prev.id },
      data: {
        peakValue: peak,
        lastValue: w.value ?? prev.lastValue,
        currentSeverity: severity,
        severity: prev.severity === 'critical' || severity === 'critical' ? 'critical' : 'warning',
        // The values seen, one per evaluation that changed something, the latest 500 kept.
        seen: JSON.stringify([...(JSON.parse(prev.seen) as unknown[]), seen].slice(-500)),
        summary: w.summary,
        ...(w.episode === 'close' ? { endedAt: now } : {}),
      },
    });
    return episodeRow(row);
  }
  return undefined;
}

function episodeRow<T extends { kind: string; severity: string; currentSeverity: string }>(row: T): EpisodeRow & T {
  return { ...row, kind: row.kind as EpisodeKind, severity: row.severity as Severity, currentSeverity: row.currentSeverity as Severity } as EpisodeRow & T;
}

/** Episodes still open, oldest first. */
export async function openEpisodes(db: Database): Promise<EpisodeRow[]> {
  const rows = await db.prisma.alertEpisode.findMany({ where: { endedAt: null }, orderBy: { id: 'asc' } });
  return rows.map(episodeRow);
}

/** Episodes that overlap [from, to), newest first. */
export async function episodesBetween(db: Database, from: Date, to: Date): Promise<EpisodeRow[]> {
  const rows = await db.prisma.alertEpisode.findMany({
    where: { startedAt: { lt: to }, OR: [{ endedAt: null }, { endedAt: { gte: from } }] },
    orderBy: { id: 'desc' },
  });
  return rows.map(episodeRow);
}

/** One episode, or undefined. */
export async function findEpisode(db: Database, id: number): Promise<EpisodeRow | undefined> {
  const row = await db.prisma.alertEpisode.findUnique({ where: { id } });
  return row ? episodeRow(row) : undefined;
}

/** Marks an episode acknowledged: reminders stop, the state stays. */
export async function acknowledgeEpisode(db: Database, id: number, actor: string, now: Date): Promise<void> {
  await writeTransaction(
    db,
    async (tx) => {
      await tx.alertEpisode.update({ where: { id }, data: { acknowledgedAt: now, acknowledgedBy: actor } });
      await tx.auditEntry.create({ data: { at: now, actor, action: 'acknowledge', subject: `episode ${id}` } });
    },
    TX,
  );
}

/** Queues reminders of firing episodes in one transaction and counts them on their episodes. */
export async function queueReminders(db: Database, reminders: readonly { episodeId: number; rows: readonly OutboxInput[] }[], now: Date): Promise<void> {
  if (reminders.length === 0) return;
  await writeTransaction(
    db,
    async (tx) => {
      for (const r of reminders) {
        await tx.alertEpisode.update({ where: { id: r.episodeId }, data: { reminders: { increment: 1 }, lastNotifiedAt: now } });
        for (const o of r.rows) {
          await tx.alertOutbox.upsert({ where: { dedupKey: o.dedupKey }, create: { ...o, episodeId: r.episodeId, createdAt: now }, update: {} });
        }
      }
    },
    TX,
  );
}

/** Appends to the audit log. */
export async function audit(db: Database, entry: { at: Date; actor: string; action: string; subject: string; detail?: unknown }): Promise<void> {
  await db.prisma.auditEntry.create({
    data: {
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      subject: entry.subject,
      detail: entry.detail === undefined ? null : JSON.stringify(entry.detail),
    },
  });
}

/** The audit log, newest first. */
export async function auditLog(db: Database, limit = 50): Promise<{ at: Date; actor: string; action: string; subject: string; detail: string | null }[]> {
  return db.prisma.auditEntry.findMany({ orderBy: { id: 'desc' }, take: limit });
}

/**
 * Records the current version of each rule and audits the ones that are new, changed or gone
 * since the last tick.
 */
export async function recordRuleVersions(db: Database, hashes: ReadonlyMap<string, string>, now: Date): Promise<string[]> {
  const stored = new Map((await db.prisma.alertRuleVersion.findMany()).map((r) => [r.name, r.hash]));
  const changes: string[] = [];
  // Most ticks find the rules as they were: no write transaction then (it would take SQLite's write lock).
  if (stored.size === hashes.size && [...hashes].every(([name, hash]) => stored.get(name) === hash)) return changes;
  await writeTransaction(
    db,
    async (tx) => {
      for (const [name, hash] of hashes) {
        const before = stored.get(name);
        if (before === hash) continue;
        const action = before === undefined ? 'rule_added' : 'rule_changed';
        changes.push(`${action} ${name}`);
        await tx.alertRuleVersion.upsert({ where: { name }, create: { name, hash, updatedAt: now }, update: { hash, updatedAt: now } });
        await tx.auditEntry.create({ data: { at: now, actor: 'config', action, subject: `rule ${name}`, detail: JSON.stringify({ hash }) } });
      }
      for (const name of stored.keys()) {
        if (hashes.has(name)) continue;
        changes.push(`rule_removed ${name}`);
        await tx.alertRuleVersion.delete({ where: { name } });
        await tx.auditEntry.create({ data: { at: now, actor: 'config', action: 'rule_removed', subject: `rule ${name}` } });
      }
    },
    TX,
  );
  return changes;
}

/** Records that a tick ran and what it did. */
export async function recordTick(
  db: Database,
  tick: { at: Date; rules: number; series: number; transitions: number; queued: number; errors: number },
): Promise<void> {
  await db.prisma.alertTick.create({ data: tick });
}

/** The instant of the latest tick, if any ran. */
export async function lastTick(db: Database): Promise<Date | undefined> {
  const row = await db.prisma.alertTick.findFirst({ orderBy: { at: 'desc' } });
  return row?.at;
}
