import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type Sqlite from 'better-sqlite3';
import { CrmPulseError } from '../lib/errors.ts';
import type { SqlClient, SqlParam } from './sql-client.ts';

/** How the reader thread is bounded. */
export interface ReaderOptions {
  /** the longest one read may take, ms; past it the read fails and the thread is replaced (default 30,000) */
  readonly timeoutMs?: number;
  /** reads that may wait for the thread; more are refused at once (default 256) */
  readonly maxPending?: number;
  /** how long close() waits for reads in progress before it stops the thread, ms (default 5,000) */
  readonly closeTimeoutMs?: number;
  /** reader threads, each with its own connection (default DEFAULT_READER_THREADS) */
  readonly threads?: number;
  /**
   * a thread that had no read for this long stops, and its memory (the rows it last read, its
   * heap, its connection's cache) goes back to the system; the next read starts it again, ms
   * (default READER_IDLE_MS)
   */
  readonly idleMs?: number;
  /** called with each thread started (tests stop it to see a crash answered) */
  readonly onWorker?: (worker: Worker) => void;
}

/** Reader threads by default: one per core, at most 4 (the main thread mostly waits on them). */
export const DEFAULT_READER_THREADS = Math.min(4, availableParallelism());

/**
 * How long a reader thread may wait for a read before it stops. A thread costs about 5 MB idle and
 * keeps up to 30 MB after big reads; starting one again costs about 0.15 CPU-s, so a burst of
 * questions keeps its threads, and an idle bot holds none.
 */
export const READER_IDLE_MS = 30_000;

/** SQLite reads on a worker thread with its own read-only connection. */
export interface SqliteReader {
  /** rows of one SELECT, run on the reader thread */
  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** a token that changes whenever anything commits to the database (any connection, any process) */
  dataVersion(): Promise<string>;
  /** waits (bounded) for reads in progress, then stops the thread; later reads are refused */
  close(): Promise<void>;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
  slot: Slot;
}

interface Slot {
  worker: Worker | undefined;
  busy: number;
  /** the thread has started (loaded better-sqlite3 and opened its connection) */
  online: boolean;
  /** stops the thread once it has had no read for idleMs */
  idle: NodeJS.Timeout | undefined;
}

/** Extra time a read may take while its thread is still starting. */
const STARTUP_MS = 10_000;

/**
 * Starts SQLite reads on worker threads (sqlite-reader-worker.js), each with its own read-only
 * connection, so that a /kpi answer's aggregates do not hold the main thread's event loop. Every
 * wait is bounded: a full queue, a read past its timeout and a thread that dies each fail the read
 * with a retryable storage error (the command answers "the database is unavailable, try again"),
 * and the next read starts a new thread. A thread with no read for `idleMs` stops; the next read
 * starts it again. The data version is `PRAGMA data_version` on a read-only
 * connection of the main thread that never writes: every commit by anyone else changes it.
 * @example const reader = sqliteReader('/data/crm-pulse.db'); await reader.all('SELECT 1 AS x');
 */
export function sqliteReader(file: string, options: ReaderOptions = {}): SqliteReader {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxPending = options.maxPending ?? 256;
  const idleMs = options.idleMs ?? READER_IDLE_MS;
  const slots: Slot[] = Array.from({ length: Math.max(1, options.threads ?? DEFAULT_READER_THREADS) }, () => ({
    worker: undefined,
    busy: 0,
    online: false,
    idle: undefined,
  }));
  const pending = new Map<number, Pending>();
  let versions: Promise<Sqlite.Database> | undefined;
  let nextId = 0;
  let closed = false;
  const unavailable = (why: string) =>
    new CrmPulseError('storage', `[store] a SQLite read failed: ${why}`, {
      retryable: true,
      hint: "try again; if it keeps failing, check the database file and the bot's log",
    });
  // A thread with no read in progress stops after idleMs. Only then: no read is ever cut off, and a
  // read asked for later finds the slot empty and starts a new thread.
  const retire = (slot: Slot, w: Worker) => {
    slot.idle = undefined;
    if (slot.worker !== w || slot.busy > 0) return;
    slot.worker = undefined;
    slot.online = false;
    void w.terminate().catch(() => undefined);
  };
  const settle = (id: number, p: Pending) => {
    clearTimeout(p.timer);
    pending.delete(id);
    const slot = p.slot;
    slot.busy--;
    const w = slot.worker;
    if (slot.busy === 0 && w && !closed) {
      clearTimeout(slot.idle);
      slot.idle = setTimeout(() => retire(slot, w), idleMs).unref();
    }
  };
  const stop = (slot: Slot, w: Worker, why: string) => {
    if (slot.worker === w) {
      slot.worker = undefined;
      slot.online = false;
    }
    const error = unavailable(why);
    for (const [id, p] of pending) {
      if (p.slot !== slot) continue;
      settle(id, p);
      p.reject(error);
    }
    // A read inside SQLite is not interrupted: the old thread ends once it returns. Not awaited.
    void w.terminate().catch(() => undefined);
  };
  const start = (slot: Slot) => {
    const w = new Worker(new URL('./sqlite-reader-worker.js', import.meta.url), { workerData: { file, busyTimeoutMs: Math.min(timeoutMs, 10_000) } });
    w.on('message', (m: { id: number; rows?: unknown[]; error?: { message: string; code?: string } }) => {
      const p = pending.get(m.id);
      if (!p) return;
      settle(m.id, p);
      if (m.error)
        p.reject(
          new CrmPulseError('storage', `[store] SQLite refused a read: ${m.error.message}${m.error.code ? ` (${m.error.code})` : ''}`, {
            retryable: m.error.code === 'SQLITE_BUSY',
          }),
        );
      else p.resolve(m.rows);
    });
    w.once('online', () => {
      if (slot.worker === w) slot.online = true;
    });
    w.on('error', (error) => stop(slot, w, `the reader thread failed (${error.message})`));
    w.on('exit', (code) => {
      if (slot.worker === w) stop(slot, w, `the reader thread stopped (exit code ${code})`);
    });
    // An idle reader does not keep the process alive.
    w.unref();
    options.onWorker?.(w);
    return w;
  };
  const ask = (sql: string, params: readonly SqlParam[]): Promise<unknown> => {
    if (closed) return Promise.reject(unavailable('the reader is closed (the bot is stopping)'));
    if (pending.size >= maxPending) return Promise.reject(unavailable(`${maxPending} reads are already waiting`));
    const slot = slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    clearTimeout(slot.idle);
    slot.idle = undefined;
    const w = (slot.worker ??= start(slot));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      // A thread that is still starting gets its start-up time on top (bounded as well).
      const timer = setTimeout(
        () => stop(slot, w, `a read took longer than ${timeoutMs} ms; the reader thread was replaced`),
        slot.online ? timeoutMs : timeoutMs + STARTUP_MS,
      );
      slot.busy++;
      pending.set(id, { resolve, reject, timer, slot });
      w.postMessage({ id, sql, params });
    });
  };
  return {
    async all<T>(sql: string, params: readonly SqlParam[] = []) {
      return (await ask(sql, [...params])) as T[];
    },
    async dataVersion() {
      if (closed) throw unavailable('the reader is closed (the bot is stopping)');
      // One pragma on an idle connection: microseconds, so it stays on the main thread.
      // Loaded here, so that importing this module loads no SQLite driver (a PostgreSQL bot needs none).
      versions ??= import('better-sqlite3').then((m) => new m.default(file, { readonly: true, fileMustExist: true }));
      const connection = await versions.catch((error: unknown) => {
        versions = undefined;
        throw error;
      });
      return `sqlite:${connection.pragma('data_version', { simple: true }) as number}`;
    },
    async close() {
      closed = true;
      const until = Date.now() + (options.closeTimeoutMs ?? 5_000);
      while (pending.size && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      const connection = versions;
      versions = undefined;
      (await connection?.catch(() => undefined))?.close();
      await Promise.all(
        slots.map(async (slot) => {
          clearTimeout(slot.idle);
          const w = slot.worker;
          if (!w) return;
          stop(slot, w, 'the reader is closed (the bot is stopping)');
          // A read inside SQLite ends the thread only when it returns: the wait for it is bounded too.
          await Promise.race([w.terminate(), new Promise((r) => setTimeout(r, options.closeTimeoutMs ?? 5_000).unref())]);
        }),
      );
    },
  };
}

/**
 * A SqlClient whose reads outside a transaction go to `reader()` when it returns one; writes,
 * scripts and transactions (with every read inside them) stay on `sql`'s connection.
 */
export function routedReads(sql: SqlClient, reader: () => SqliteReader | undefined): SqlClient {
  return {
    dialect: sql.dialect,
    all: <T>(text: string, params?: readonly SqlParam[]) => reader()?.all<T>(text, params) ?? sql.all<T>(text, params),
    run: (text, params) => sql.run(text, params),
    exec: (text) => sql.exec(text),
    transaction: (fn) => sql.transaction(fn),
    close: () => sql.close(),
  };
}
