import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { App } from '@slack/bolt';
import { CrmPulseError } from '../lib/errors.ts';

/**
 * How long a signed Slack request stays valid: Bolt refuses timestamps older than five minutes,
 * and the guard remembers each signature until its timestamp is that old.
 * https://docs.slack.dev/authentication/verifying-requests-from-slack/
 */
export const REPLAY_WINDOW_MS = 5 * 60_000;

/** Why a request was refused before Bolt saw it. */
export type ReplayRefusal =
  /** the same signature was delivered before, inside the window */
  | 'replay'
  /** the timestamp is further ahead of our clock than the window: it would outlive our memory of it */
  | 'future'
  /** the guard holds its most signatures; refusing keeps memory bounded without forgetting one early */
  | 'full';

/** Remembers the signatures of the Slack requests it let through, and refuses their second delivery. */
export interface ReplayGuard {
  /** `listener`, behind the guard: a replayed signed POST gets 401 and never reaches it */
  wrap(listener: RequestListener): RequestListener;
  /** how many signatures it remembers now */
  readonly size: number;
}

/** Options of the guard; tests pin the clock and shrink the bound. */
export interface ReplayGuardOptions {
  readonly now?: () => number;
  /** the most signatures remembered at once; at ~330 requests a second for 5 minutes it is full */
  readonly maxEntries?: number;
  readonly onRefused?: (reason: ReplayRefusal) => void;
}

/**
 * A replay guard for Slack's signed HTTP requests. Bolt checks the signature and refuses stale
 * timestamps, but accepts the same request again and again inside the window; this refuses the
 * second delivery of a signature. A signature is remembered from arrival (so two concurrent
 * deliveries cannot both pass) and forgotten again when Bolt refuses the request (a forged
 * signature must not take memory), or once its timestamp leaves the window.
 * @example const guard = replayGuard(); server.on('request', guard.wrap(listener));
 */
export function replayGuard(options: ReplayGuardOptions = {}): ReplayGuard {
  const now = options.now ?? Date.now;
  const max = options.maxEntries ?? 100_000;
  /** signature → the instant after which Bolt refuses it as stale */
  const seen = new Map<string, number>();
  let lastSweep = 0;
  const sweep = (t: number) => {
    lastSweep = t;
    for (const [signature, until] of seen) if (until < t) seen.delete(signature);
  };
  const refuse = (res: ServerResponse, reason: ReplayRefusal) => {
    options.onRefused?.(reason);
    res.writeHead(reason === 'full' ? 503 : 401, reason === 'full' ? { 'retry-after': '5' } : {});
    res.end();
  };
  return {
    get size() {
      return seen.size;
    },
    wrap(listener) {
      return (req: IncomingMessage, res: ServerResponse) => {
        const signature = header(req, 'x-slack-signature');
        const timestamp = Number(header(req, 'x-slack-request-timestamp'));
        // Unsigned or malformed requests are Bolt's to refuse; GET routes (health) pass.
        if (req.method !== 'POST' || !signature || !Number.isFinite(timestamp)) return listener(req, res);
        const t = now();
        // Bolt compares whole seconds (stale when timestamp < floor(now / 1000) - 300): keep the
        // signature one second longer than the window so that no instant is accepted by Bolt and
        // forgotten here.
        const until = timestamp * 1000 + REPLAY_WINDOW_MS + 1000;
        if (t - lastSweep > 10_000 || seen.size >= max) sweep(t);
        if ((seen.get(signature) ?? -Infinity) >= t) return refuse(res, 'replay');
        if (timestamp * 1000 > t + REPLAY_WINDOW_MS) return refuse(res, 'future');
        if (seen.size >= max) return refuse(res, 'full');
        seen.set(signature, until);
        res.once('finish', () => {
          if (res.statusCode === 401 && seen.get(signature) === until) seen.delete(signature);
        });
        return listener(req, res);
      };
    },
  };
}

/**
 * Puts `guard` in front of the HTTP receiver of `bolt`. Bolt offers no hook between reading the
 * headers and its own checks, so the receiver's (public) request listener is wrapped; its server
 * calls `this.requestListener` per request, so wrapping it before `start()` covers every request.
 */
export function guardReceiver(bolt: App, guard: ReplayGuard): void {
  const receiver = (bolt as unknown as { receiver?: { requestListener?: RequestListener } }).receiver;
  if (typeof receiver?.requestListener !== 'function') {
    throw new CrmPulseError('config', '[slack] the HTTP receiver has no request listener to guard against replays', { hint: 'the @slack/bolt version changed its HTTPReceiver; update src/slack/replay-guard.ts' });
  }
  receiver.requestListener = guard.wrap(receiver.requestListener);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
