/**
 * A `fetch` whose every call gives up after `timeoutMs`, the body included: a server that accepts
 * the connection and never answers costs at most that long. A signal the caller passes still works.
 *
 * The deadline is a plain timer that holds its AbortController, not `AbortSignal.timeout` joined
 * with the caller's signal by `AbortSignal.any`: on Node 20 the garbage collector can drop the
 * timeout inside such a composite before it fires (nodejs/node#57736), and the call then hangs
 * until undici's own 300 s header timeout. The timer runs on after the answer so that reading the
 * body stays bounded; aborting a body already read does nothing, and the timer keeps no process alive.
 * @example const f = timedFetch(10_000); await f(url) // rejects with a TimeoutError after 10 s
 */
export function timedFetch(timeoutMs: number, base: typeof fetch = (input, init) => fetch(input, init)): typeof fetch {
  return async (input, init) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
    // An open request keeps the process alive by its socket; the timer alone must not.
    timer.unref();
    const outer = init?.signal;
    if (outer) {
      if (outer.aborted) controller.abort(outer.reason);
      else outer.addEventListener('abort', () => controller.abort(outer.reason), { once: true });
    }
    try {
      return await base(input, { ...init, signal: controller.signal });
    } catch (error) {
      clearTimeout(timer);
      throw error;
    }
  };
}
