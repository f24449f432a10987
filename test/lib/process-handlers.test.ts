// The process-level policy for errors nobody caught (src/lib/process-handlers.ts), on an emitter
// standing in for `process`: a rejection is logged and the bot keeps serving; an exception is
// logged and the process exits 1.
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/lib/logger.ts';
import { installProcessHandlers } from '../../src/lib/process-handlers.ts';

function logged(): { log: ReturnType<typeof createLogger>; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return {
    log: createLogger({ destination, format: 'json' }),
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('installProcessHandlers', () => {
  it('logs an unhandled rejection with an error id and does not exit', () => {
    const proc = new EventEmitter();
    const { log, lines } = logged();
    const exits: number[] = [];
    installProcessHandlers(proc, log, (c) => exits.push(c));
    proc.emit('unhandledRejection', new TypeError("Cannot read properties of null (reading 'ssl_check')"));
    expect(exits).toEqual([]);
    const [line] = lines();
    expect(line).toMatchObject({ level: 50, msg: '[process] an unhandled promise rejection; the bot keeps serving' });
    expect((line!.err as { message: string }).message).toBe("Cannot read properties of null (reading 'ssl_check')");
    expect(line!.errorId).toMatch(/^[0-9a-f]{8}$/);
  });

  it('logs an uncaught exception and exits with code 1; uninstalling removes both handlers', () => {
    const proc = new EventEmitter();
    const { log, lines } = logged();
    const exits: number[] = [];
    const uninstall = installProcessHandlers(proc, log, (c) => exits.push(c));
    proc.emit('uncaughtException', new Error('boom'));
    expect(exits).toEqual([1]);
    expect(lines()[0]).toMatchObject({ level: 60, msg: '[process] an uncaught exception; exiting so that a restart starts from a known state' });
    uninstall();
    expect([proc.listenerCount('unhandledRejection'), proc.listenerCount('uncaughtException')]).toEqual([0, 0]);
  });
});
