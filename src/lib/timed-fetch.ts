/**
 * A `fetch` whose every call gives up after `timeoutMs`, the body included: a server that accepts
 * the connection and never answers costs at most that long. A signal the caller passes still works.
 * @example const f = timedFetch(10_000); await f(url) // rejects with a TimeoutError after 10 s
 */
export function timedFetch(timeoutMs: number, base: typeof fetch = (input, init) => fetch(input, init)): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return base(input, { ...init, signal });
  };
}
