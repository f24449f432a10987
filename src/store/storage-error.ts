import { CrmPulseError } from '../lib/errors.ts';

// Socket errors of a database that is down, restarting or unreachable.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// PostgreSQL SQLSTATEs of a lost server: class 08 (connection exception), and admin_shutdown,
// crash_shutdown and cannot_connect_now (https://www.postgresql.org/docs/current/errcodes-appendix.html).
const SERVER_GONE = new Set(['57P01', '57P02', '57P03']);
// Prisma's codes for an unreachable server, a closed connection and an exhausted pool
// (https://www.prisma.io/docs/orm/reference/error-reference).
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024']);
// The driver adapter's kinds of the same failures.
const ADAPTER_KINDS = new Set(['ConnectionClosed', 'DatabaseNotReachable', 'SocketTimeout', 'TooManyConnections']);
// pg's own messages for a connection that died or never came up.
const PG_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|not queryable|Connection refused/i;

/** The message of a database outage, the same wherever it surfaces. */
export const STORAGE_UNAVAILABLE = 'storage unavailable';

/**
 * Whether an error says the database could not be reached (down, restarting, cut off), as opposed
 * to refusing one statement: trying again in a moment may work.
 */
export function isConnectionFailure(error: unknown): boolean {
  for (
    let e = error as { code?: unknown; message?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: string } } }; cause?: unknown } | undefined,
      depth = 0;
    e && depth < 4;
    e = e.cause as typeof e, depth++
  ) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (SOCKET_CODES.has(code) || SERVER_GONE.has(code) || code.startsWith('08') || PRISMA_CODES.has(code)) return true;
    const kind = e.meta?.driverAdapterError?.cause?.kind;
    if (kind && ADAPTER_KINDS.has(kind)) return true;
    if (typeof e.message === 'string' && PG_MESSAGES.test(e.message)) return true;
  }
  return false;
}

/**
 * A database outage as a retryable storage CrmPulseError that names the database (password
 * hidden) and says that crm-pulse reconnects by itself; any other error is returned unchanged.
 */
export function asStorageError(error: unknown, displayUrl: string): unknown {
  if (error instanceof CrmPulseError || !isConnectionFailure(error)) return error;
  const e = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: string } } } };
  const why = e.meta?.driverAdapterError?.cause?.kind ?? (typeof e.code === 'string' ? e.code : 'connection lost');
  return new CrmPulseError('storage', `[store] ${STORAGE_UNAVAILABLE}: the database at ${displayUrl} did not answer (${why})`, {
    hint: 'check that the database server is running; crm-pulse reconnects by itself when it is back',
    retryable: true,
    cause: error,
  });
}
