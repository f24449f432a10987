import { CrmPulseError, type ErrorCode } from './errors.ts';
import type { Logger } from './logger.ts';
import { withRetry, type RetryOptions } from './retry.ts';

/** One outbound HTTP request. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** what the request is for, as messages name it: `deals, page 3` */
  readonly what: string;
}

/** A response, its body read as text. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** A vendor's reading of a failed response: its own message, and whether to try again. */
export interface RemoteProblem {
  readonly message: string;
  /** the vendor's error code (Salesforce's errorCode), kept on the error for the caller */
  readonly vendorCode?: string;
  readonly retryable?: boolean;
  readonly retryAfterMs?: number;
  readonly hint?: string;
  /** 'config' when the request failed because of the config (a field that does not exist) */
  readonly code?: ErrorCode;
}

/** How a client is built; everything but the name has a production default. */
export interface HttpClientOptions {
  /** the remote's name in messages: `[hubspot] …` */
  readonly name: string;
  readonly fetch?: typeof fetch;
  /** per try, covering the body too */
  readonly timeoutMs?: number;
  readonly retry?: RetryOptions;
  /** the clock, in epoch ms, for Retry-After given as a date */
  readonly now?: () => number;
  /** values that must never appear in a message or log line: tokens, secrets */
  readonly secrets?: () => readonly (string | undefined)[];
  /** the vendor's reading of a non-2xx response; undefined keeps the generic one */
  readonly describe?: (response: HttpResponse) => RemoteProblem | undefined;
  readonly log?: Pick<Logger, 'warn'>;
}

/** Sends requests with timeouts and retries; the only place crm-pulse calls fetch for CRMs. */
export interface HttpClient {
  /** Resolves to a 2xx response, or throws a CrmPulseError that says whether it is retryable. */
  send(request: HttpRequest): Promise<HttpResponse>;
  /** `text` with every secret replaced, for anything that may end up in a message or a row. */
  scrub(text: string): string;
}

/** A non-2xx response, as an error that keeps the status and the vendor's error code. */
export class HttpError extends CrmPulseError {
  readonly status: number;
  readonly vendorCode: string | undefined;
  constructor(code: ErrorCode, message: string, status: number, vendorCode: string | undefined, options: ConstructorParameters<typeof CrmPulseError>[2]) {
    super(code, message, options);
    this.name = 'HttpError';
    this.status = status;
    this.vendorCode = vendorCode;
  }
}

/** Ten seconds per try (CRM_PULSE_HTTP_TIMEOUT_MS in the app): a search page of 200 records takes well under one. */
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Creates an HTTP client. 429 and 5xx responses, timeouts and network errors are retried, with
 * the wait a Retry-After header (or the vendor's reading) asks for, else capped exponential
 * backoff with jitter; other 4xx responses fail at once. Messages never carry a secret.
 * @example const http = createHttpClient({ name: 'hubspot', secrets: () => [token] }); await http.send({ method: 'GET', url, what: 'owners' })
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  const scrub = (text: string) => scrubSecrets(text, options.secrets?.() ?? []);
  const prefix = `[${options.name}]`;

  async function once(request: HttpRequest): Promise<HttpResponse> {
    let response: Response;
    let text: string;
    try {
      response = await doFetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw transportError(error as Error);
    }
    const result: HttpResponse = { status: response.status, headers: response.headers, text };
    if (response.ok) return result;
    throw responseError(result);

    function transportError(error: Error): CrmPulseError {
      const timedOut = error.name === 'TimeoutError' || error.name === 'AbortError';
      const cause = (error.cause as { code?: string; message?: string } | undefined) ?? {};
      const detail = timedOut
        ? `no answer within ${timeoutMs / 1000} s`
        : `${error.message}${cause.code ? ` (${cause.code})` : cause.message ? ` (${cause.message})` : ''}`;
      return new CrmPulseError('remote', scrub(`${prefix} ${request.what}: ${detail}`), { retryable: true });
    }

    function responseError(r: HttpResponse): HttpError {
      const vendor = options.describe?.(r);
      const retryable = vendor?.retryable ?? (r.status === 429 || r.status === 408 || r.status >= 500);
      // A Retry-After header is the server's own word, so it wins over a vendor's rule of thumb.
      const asked = retryAfterMs(r.headers.get('retry-after'), now()) ?? vendor?.retryAfterMs;
      const message = vendor?.message ?? `HTTP ${r.status}${r.text ? `: ${clip(r.text.replace(/\s+/g, ' '), 200)}` : ''}`;
      return new HttpError(vendor?.code ?? 'remote', scrub(`${prefix} ${request.what}: ${message}`), r.status, vendor?.vendorCode, {
        retryable,
        ...(asked !== undefined ? { retryAfterMs: asked } : {}),
        ...(vendor?.hint ? { hint: scrub(vendor.hint) } : {}),
      });
    }
  }

  return {
    scrub,
    send: (request) =>
      withRetry(() => once(request), {
        ...options.retry,
        onRetry: (error, attempt, waitMs) => {
          options.log?.warn({ remote: options.name, what: request.what, attempt, waitMs, error: error.message }, 'retrying a request');
          options.retry?.onRetry?.(error, attempt, waitMs);
        },
      }),
  };
}

/**
 * The wait a Retry-After header asks for, in ms: delay-seconds or an HTTP date
 * (RFC 9110 §10.2.3). Undefined when absent or unreadable.
 * @example retryAfterMs('7', Date.now()) // 7000
 */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const t = header.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  const at = Date.parse(t);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** `text` with each secret (of 4 characters or more), as is or URL-encoded, replaced by `[redacted]`. */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    for (const form of new Set([s, encodeURIComponent(s)])) out = out.split(form).join('[redacted]');
  }
  return out;
}

function clip(text: string, n: number): string {
  return text.length > n ? `${text.slice(0, n)}…` : text;
}
