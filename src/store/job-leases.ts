import type { Database } from './open-database.ts';
import { sqliteDate, pgValue } from './record-writer.ts';

/** Who claims which tick of which job, until when. */
export interface LeaseClaim {
  readonly job: string;
  readonly tick: Date;
  readonly holder: string;
}

const date = (db: Database, d: Date) => (db.dialect === 'sqlite' ? sqliteDate(d) : (pgValue(d) as string));

/**
 * Claims one tick of a job for `holder` until `now + ttlMs`, in one statement, so that two
 * replicas racing for it cannot both win. The claim succeeds when the job has no lease yet, when
 * its last tick is older and finished, or when the lease has expired unfinished (its holder died);
 * it fails while another run of the job is under way (no overlap) and once the tick is done.
 * Returns whether this holder now has the lease.
 */
export async function acquireLease(db: Database, claim: LeaseClaim, now: Date, ttlMs: number): Promise<boolean> {
  const changed = await db.sql.run(
    `INSERT INTO "job_leases" ("job", "tick", "holder", "expires_at", "done_at") VALUES (?, ?, ?, ?, NULL)
     ON CONFLICT ("job") DO UPDATE SET "tick" = excluded."tick", "holder" = excluded."holder", "expires_at" = excluded."expires_at", "done_at" = NULL
     WHERE "job_leases"."tick" <= excluded."tick"
       AND (("job_leases"."done_at" IS NOT NULL AND "job_leases"."tick" < excluded."tick")
         OR ("job_leases"."done_at" IS NULL AND "job_leases"."expires_at" <= ?))`,
    [claim.job, date(db, claim.tick), claim.holder, date(db, new Date(now.getTime() + ttlMs)), date(db, now)],
  );
  return changed > 0;
}

/** Extends a held lease while its job runs; false when the holder lost it (it expired and was taken over). */
export async function renewLease(db: Database, claim: LeaseClaim, now: Date, ttlMs: number): Promise<boolean> {
  const changed = await db.sql.run(`UPDATE "job_leases" SET "expires_at" = ? WHERE "job" = ? AND "tick" = ? AND "holder" = ? AND "done_at" IS NULL`, [
    date(db, new Date(now.getTime() + ttlMs)),
    claim.job,
    date(db, claim.tick),
    claim.holder,
  ]);
  return changed > 0;
}

/** Marks a held tick as run, so no replica runs it again; the next tick may then be claimed. */
export async function finishLease(db: Database, claim: LeaseClaim, now: Date): Promise<void> {
  await db.sql.run(`UPDATE "job_leases" SET "done_at" = ?, "expires_at" = ? WHERE "job" = ? AND "tick" = ? AND "holder" = ?`, [
    date(db, now),
    date(db, now),
    claim.job,
    date(db, claim.tick),
    claim.holder,
  ]);
}

/** Gives up a held, unfinished tick at once, so another replica may take it without waiting for the expiry. */
export async function releaseLease(db: Database, claim: LeaseClaim, now: Date): Promise<void> {
  await db.sql.run(`UPDATE "job_leases" SET "expires_at" = ? WHERE "job" = ? AND "tick" = ? AND "holder" = ? AND "done_at" IS NULL`, [
    date(db, now),
    claim.job,
    date(db, claim.tick),
    claim.holder,
  ]);
}

/** The last tick any replica claimed for a job, with whether it finished: where a catch-up starts. */
export async function lastLease(db: Database, job: string): Promise<{ tick: Date; done: boolean } | undefined> {
  const rows = await db.sql.all<{ tick: string | Date; done_at: string | Date | null }>(`SELECT "tick", "done_at" FROM "job_leases" WHERE "job" = ?`, [job]);
  const row = rows[0];
  return row ? { tick: new Date(row.tick), done: row.done_at !== null } : undefined;
}

/** An unfinished lease: which job, and who holds it. */
export interface OpenLease {
  readonly job: string;
  readonly holder: string;
}

/** Leases claimed and not finished, expired or not: where a restarted replica finds its own. */
export async function openLeases(db: Database): Promise<OpenLease[]> {
  return db.sql.all<OpenLease>(`SELECT "job", "holder" FROM "job_leases" WHERE "done_at" IS NULL`);
}

/**
 * Expires an unfinished lease of `holder` at once, so its tick may be claimed now rather than
 * when it would have expired; only while that holder still has it (a claim in between wins).
 * Returns whether it was expired.
 */
export async function expireLease(db: Database, lease: OpenLease, now: Date): Promise<boolean> {
  const changed = await db.sql.run(`UPDATE "job_leases" SET "expires_at" = ? WHERE "job" = ? AND "holder" = ? AND "done_at" IS NULL`, [
    date(db, now),
    lease.job,
    lease.holder,
  ]);
  return changed > 0;
}

/** A job's lease row as it stands: which tick, who holds it, until when, and whether it is done. */
export interface LeaseRow {
  readonly tick: Date;
  readonly holder: string;
  readonly expiresAt: Date;
  readonly done: boolean;
}

/** The job's lease row, if the job ever ran. */
export async function currentLease(db: Database, job: string): Promise<LeaseRow | undefined> {
  const rows = await db.sql.all<{ tick: string | Date; holder: string; expires_at: string | Date; done_at: string | Date | null }>(
    `SELECT "tick", "holder", "expires_at", "done_at" FROM "job_leases" WHERE "job" = ?`,
    [job],
  );
  const row = rows[0];
  return row ? { tick: new Date(row.tick), holder: row.holder, expiresAt: new Date(row.expires_at), done: row.done_at !== null } : undefined;
}
