// The deadline of every Slack call must hold while the garbage collector runs. On Node 20 a
// timeout joined to the caller's signal by AbortSignal.any can be collected before it fires
// (nodejs/node#57736), and the call then hangs for undici's 300 s instead of the configured time.
import { createServer, type Server, type ServerResponse } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../src/config/env.ts';
import { slackClientOptions } from '../../src/slack/slack-client.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let server: Server;
let url: string;
const held = new Set<ServerResponse>();

beforeAll(async () => {
  // A server that takes every request and never answers.
  server = createServer((_req, res) => void held.add(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/chat.postMessage`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("the fetch of production's Slack clients (slackClientOptions) against a server that never answers", () => {
  it('gives up on every call at CRM_PULSE_HTTP_TIMEOUT_MS while the garbage collector runs, even when the caller passes a longer signal', async () => {
    const { fetch: bounded } = slackClientOptions(readEnv({ CRM_PULSE_HTTP_TIMEOUT_MS: '300' }));
    const collecting = setInterval(gc, 10);
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          // As Bolt's respond() or an upload URL may: a caller's own, longer deadline.
          bounded!(url, { method: 'POST', body: `call ${i}`, signal: AbortSignal.timeout(600_000) }).then(
            () => 'answered',
            (error: Error) => error.name,
          ),
        ),
      );
      expect(outcomes).toEqual(Array.from({ length: 20 }, () => 'TimeoutError'));
    } finally {
      clearInterval(collecting);
    }
  }, 60_000);

  it("still stops at the caller's own signal when that comes first", async () => {
    const { fetch: bounded } = slackClientOptions(readEnv({ CRM_PULSE_HTTP_TIMEOUT_MS: '60000' }));
    const caller = new AbortController();
    const call = bounded!(url, { method: 'POST', body: 'cancelled', signal: caller.signal });
    caller.abort(new Error('the caller gave up'));
    await expect(call).rejects.toThrow('the caller gave up');
  });
});
