import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, type LogFormat } from '../../src/lib/logger.ts';

/** A destination that keeps what is written, and says whether it is a terminal. */
function sink(isTTY: boolean): Writable & { isTTY: boolean; text(): string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(w, { isTTY, text: () => chunks.join('') });
}

const SECRETS = {
  token: 'xoxb-1111-secret',
  headers: { authorization: 'Bearer pat-na1-2222' },
  config: { clientSecret: 'cs-3333', refreshToken: 'rt-4444' },
  databaseUrl: 'postgres://u:pw-5555@db/crm',
};

describe('createLogger', () => {
  it('writes one JSON object a line when the destination is not a terminal', () => {
    const out = sink(false);
    createLogger({ destination: out }).info({ source: 'crm', rows: 27 }, 'sync unit finished');
    const line = JSON.parse(out.text()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, name: 'crm-pulse', source: 'crm', rows: 27, msg: 'sync unit finished' });
  });

  it('writes readable lines, without colour codes unless asked, when the destination is a terminal', () => {
    const out = sink(true);
    createLogger({ destination: out, colorize: false }).warn({ source: 'crm', rows: 27 }, 'sync unit finished');
    expect(out.text()).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN \(crm-pulse\): sync unit finished \{"source":"crm","rows":27\}\n$/);
  });

  it('lets LOG_FORMAT override the terminal guess both ways', () => {
    const tty = sink(true);
    createLogger({ destination: tty, format: 'json' }).info('x');
    expect(JSON.parse(tty.text())).toMatchObject({ msg: 'x' });
    const pipe = sink(false);
    createLogger({ destination: pipe, format: 'pretty' }).info('y');
    expect(pipe.text()).toMatch(/ INFO \(crm-pulse\): y\n$/);
  });

  it.each(['json', 'pretty'] satisfies LogFormat[])('redacts tokens, secrets and URLs in %s lines', (format) => {
    const out = sink(false);
    createLogger({ destination: out, format }).error({ ...SECRETS, source: 'hubspot' }, 'request failed');
    const text = out.text();
    for (const secret of ['xoxb-1111-secret', 'pat-na1-2222', 'cs-3333', 'rt-4444', 'pw-5555']) expect(text).not.toContain(secret);
    expect(text.match(/\[redacted\]/g)).toHaveLength(5);
    expect(text).toContain('hubspot');
  });

  it('keeps the level in both formats', () => {
    for (const format of ['json', 'pretty'] as const) {
      const out = sink(false);
      const log = createLogger({ destination: out, format, level: 'warn' });
      log.info('hidden');
      log.warn('shown');
      expect(out.text()).not.toContain('hidden');
      expect(out.text()).toContain('shown');
    }
  });
});
