import { createHash } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { verifySlackRequest, type App } from '@slack/bolt';
import { CrmPulseError } from '../lib/errors.ts';
import { boltBodyOf, bodyShapeProblem } from './body-shape.ts';
import type { ReplayGuard, ReplayRefusal } from './replay-guard.ts';

/** The largest body read, as Bolt's own default (`defaultBodyLimit`): Slack's are far smaller. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Why the gate refused a request before Bolt saw it. */
export type GateRefusal =
  | ReplayRefusal
  /** the signature or timestamp header is not exactly `v0=` + 64 lower-case hex, or whole seconds */
  | 'malformed'
  /** the signature does not match, or the timestamp is stale */
  | 'unverified'
  /** the body is larger than MAX_BODY_BYTES */
  | 'too_large'
  /** signed, but not a shape crm-pulse handles (e.g. JSON `null`) */
  | 'bad_shape';

/** What the gate checks requests against. */
export interface RequestGateOptions {
  readonly signingSecret: string;
  readonly guard: ReplayGuard;
  readonly onRefused?: (reason: GateRefusal, detail?: string) => void;
}

/** Slack's signature, written the one way Slack writes it. */
const SIGNATURE = /^v0=[0-9a-f]{64}$/;
const TIMESTAMP = /^\d{1,12}$/;

/**
 * The gate in front of Bolt's HTTP receiver. For every POST it reads the body (at most
 * MAX_BODY_BYTES, else 413), then refuses with 401 a signature header that is not exactly `v0=`
 * followed by 64 lower-case hex characters (Bolt reads only the first two `=`-separated parts, so
 * `v0=<hex>=a` passed it), a signature that does not verify or a stale timestamp, and a replay of
 * the same timestamp and body (keyed on a SHA-256 of what was signed, not on the header). A signed
 * body whose shape crm-pulse does not handle gets 400 with what was wrong. Only then does Bolt see
 * the request, with the body already read (Bolt reuses `req.rawBody`). Unsigned `ssl_check=1`
 * pings pass to Bolt, which answers them without a signature and drops everything else they carry.
 * @example receiver.requestListener = requestGate({ signingSecret, guard: replayGuard() }).wrap(receiver.requestListener);
 */
export function requestGate(options: RequestGateOptions): { wrap(listener: RequestListener): RequestListener } {
  const refuse = (res: ServerResponse, reason: GateRefusal, detail?: string) => {
    options.onRefused?.(reason, detail);
    const status = { replay: 401, future: 401, malformed: 401, unverified: 401, full: 503, too_large: 413, bad_shape: 400 }[reason];
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...(reason === 'full' ? { 'retry-after': '5' } : {}) });
    res.end(status === 400 ? `[slack] ${detail ?? 'unexpected body'}` : '');
  };
  return {
    wrap(listener) {
      return (req: IncomingMessage, res: ServerResponse) => {
        if (req.method !== 'POST') return listener(req, res);
        void readBody(req)
          .then(
            (raw) => {
              if (raw === undefined) return refuse(res, 'too_large');
              const text = raw.toString('utf8');
              const contentType = header(req, 'content-type');
              (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
              if (contentType === 'application/x-www-form-urlencoded' && parseQuery(text).ssl_check === '1') return listener(req, res);
              const signature = header(req, 'x-slack-signature');
              const timestamp = header(req, 'x-slack-request-timestamp');
              if (!signature || !timestamp || !SIGNATURE.test(signature) || !TIMESTAMP.test(timestamp)) return refuse(res, 'malformed');
              try {
                verifySlackRequest({
                  signingSecret: options.signingSecret,
                  body: text,
                  headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(timestamp) },
                });
              } catch {
                return refuse(res, 'unverified');
              }
              const replay = options.guard.admit(createHash('sha256').update(`${timestamp}:`).update(raw).digest('base64'), Number(timestamp));
              if (replay) return refuse(res, replay);
              const body = boltBodyOf(contentType, text);
              const problem = body === undefined ? 'body: not readable as a form or JSON' : bodyShapeProblem(body.value);
              if (problem) return refuse(res, 'bad_shape', problem);
              return listener(req, res);
            },
            () => {
              if (!res.headersSent) refuse(res, 'malformed', 'the body could not be read');
            },
          )
          .catch((error: unknown) => {
            // A check that throws must not leave the request hanging or reject unhandled: refuse it.
            options.onRefused?.('bad_shape', `the body could not be checked: ${(error as Error).message}`);
            if (!res.headersSent) refuse(res, 'bad_shape', 'body: could not be checked');
          });
      };
    },
  };
}

/**
 * Puts `gate` in front of the HTTP receiver of `bolt`. Bolt offers no hook between reading the
 * headers and its own checks, so the receiver's (public) request listener is wrapped; its server
 * calls `this.requestListener` per request, so wrapping it before `start()` covers every request.
 */
export function gateReceiver(bolt: App, gate: { wrap(listener: RequestListener): RequestListener }): void {
  const receiver = (bolt as unknown as { receiver?: { requestListener?: RequestListener } }).receiver;
  if (typeof receiver?.requestListener !== 'function') {
    throw new CrmPulseError('config', '[slack] the HTTP receiver has no request listener to guard', {
      hint: 'the @slack/bolt version changed its HTTPReceiver; update src/slack/request-gate.ts',
    });
  }
  receiver.requestListener = gate.wrap(receiver.requestListener);
}

/** The body, or undefined once it passes MAX_BODY_BYTES (said at once; the rest is drained unread, so the 413 still reaches the caller). */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (!over) {
        over = true;
        chunks.length = 0;
        resolve(undefined);
      }
    });
    req.once('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? undefined : value;
}
