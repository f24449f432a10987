import { randomUUID } from 'node:crypto';
import type { Logger } from './logger.ts';

/** What a process-level handler listens on: `process`, or an emitter standing in for it in tests. */
export interface ProcessEvents {
  on(event: 'unhandledRejection' | 'uncaughtException', listener: (error: unknown) => void): unknown;
  off(event: 'unhandledRejection' | 'uncaughtException', listener: (error: unknown) => void): unknown;
}

/**
 * The bot's policy for errors nobody caught, installed once at start-up:
 * - an unhandled promise rejection is logged (with an error id) and the bot keeps serving: it is
 *   one request's or one job's failure, whose work is in the outbox or retried by its schedule;
 * - an uncaught exception is logged and the process exits with code 1, because Node leaves its
 *   state undefined (https://nodejs.org/api/process.html#warning-using-uncaughtexception-correctly);
 *   the outbox and the job leases make a restart by the supervisor lose and repeat nothing.
 * Returns a function that removes both handlers.
 * @example const uninstall = installProcessHandlers(process, app.log, (code) => process.exit(code));
 */
export function installProcessHandlers(proc: ProcessEvents, log: Logger, exit: (code: number) => void): () => void {
  const rejection = (error: unknown) => {
    log.error({ err: error, errorId: randomUUID().slice(0, 8) }, '[process] an unhandled promise rejection; the bot keeps serving');
  };
  const exception = (error: unknown) => {
    log.fatal({ err: error, errorId: randomUUID().slice(0, 8) }, '[process] an uncaught exception; exiting so that a restart starts from a known state');
    exit(1);
  };
  proc.on('unhandledRejection', rejection);
  proc.on('uncaughtException', exception);
  return () => {
    proc.off('unhandledRejection', rejection);
    proc.off('uncaughtException', exception);
  };
}
