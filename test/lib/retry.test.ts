import nock from 'nock';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { createHttpClient, retryAfterMs, scrubSecrets } from '../../src/lib/http-client.ts';
import { CrmPulseError } from '../../src/lib/errors.ts';
import { backoffDelay, CALL_RETRY, withRetry } from '../../src/lib/retry.ts';

describe('backoff', () => {
  it('grows exponentially up to the cap, jittered over the whole range', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, CALL_RETRY, () => 0.999_999))).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    expect(backoffDelay(4, CALL_RETRY, () => 0)).toBe(0);
  });

  it('retries retryable errors only, waits what the far side asks, and refuses to wait past maxWaitMs', async () => {
    const sleeps: number[] = [];
    const sleep = async (ms: number) => void sleeps.push(ms);
    let tries = 0;
    const flaky = () =>
      ++tries < 3
        ? Promise.reject(new CrmPulseError('remote', 'busy', { retryable: true, retryAfterMs: tries === 1 ? 4000 : undefined }))
        : Promise.resolve('ok');
    expect(await withRetry(flaky, { sleep, random: () => 0.5 })).toBe('ok');
    expect(sleeps).toEqual([4000, 500]);

    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new CrmPulseError('remote', 'bad request');
        },
        { sleep },
      ),
    ).rejects.toThrow('bad request');
    expect(calls).toBe(1);

    await expect(
      withRetry(
        async () => {
          throw new CrmPulseError('remote', '[x] page 1: HTTP 429', { retryable: true, retryAfterMs: 3_600_000 });
        },
        { sleep },
      ),
    ).rejects.toThrow(
      '[x] page 1: HTTP 429 (asked to wait 3600 s, longer than the 120 s crm-pulse waits)\n  fix: nothing is lost: the next run starts again from the saved cursor',
    );
  });
});

describe('Retry-After and secrets', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it('scrubs secrets as written and URL-encoded', () => {
    expect(scrubSecrets('token=a/b+c&x=a%2Fb%2Bc', ['a/b+c'])).toBe('token=[redacted]&x=[redacted]');
  });
});

describe('the HTTP client', () => {
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());

  it('retries a 503 honouring an HTTP-date Retry-After, and fails a 404 at once with the body', async () => {
    const sleeps: number[] = [];
    const now = Date.parse('2026-01-01T00:00:00Z');
    nock('https://crm.test').get('/a').reply(503, 'maintenance', { 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }).get('/a').reply(200, '{"ok":true}');
    nock('https://crm.test').get('/b').reply(404, 'no such thing');
    const http = createHttpClient({ name: 'crm', now: () => now, retry: { sleep: async (ms) => void sleeps.push(ms) } });
    expect((await http.send({ method: 'GET', url: 'https://crm.test/a', what: 'a' })).text).toBe('{"ok":true}');
    expect(sleeps).toEqual([5000]);
    const error = await http.send({ method: 'GET', url: 'https://crm.test/b', what: 'b' }).catch((e: CrmPulseError) => e);
    expect(error).toMatchObject({ message: '[crm] b: HTTP 404: no such thing', retryable: false, code: 'remote' });
    expect(sleeps).toEqual([5000]);
  });
});
