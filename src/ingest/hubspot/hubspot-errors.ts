import type { HttpResponse, RemoteProblem } from '../../lib/http-client.ts';
import { retryAfterMs } from '../../lib/http-client.ts';

/** HubSpot's error body (CRM v3 "Error"), and the fields its 429 bodies add. */
interface HubspotError {
  readonly message?: string;
  readonly category?: string;
  /** the request's id at HubSpot, which its spec asks to quote in any error report */
  readonly correlationId?: string;
  readonly policyName?: string;
  readonly errorType?: string;
}

/**
 * Reads a failed HubSpot response. A 429 waits for Retry-After, else for the window its
 * rate-limit headers or policy name give (the secondly and ten-secondly limits); the daily limit
 * is not waited out. An invalid token, a missing scope or an unknown property is a config error.
 * See https://developers.hubspot.com/docs/guides/apps/api-usage/usage-details.
 */
export function describeHubspotError(r: HttpResponse, tokenEnv: string, nowMs: number): RemoteProblem | undefined {
  const body = parse(r.text);
  const said = body?.message ? `: ${body.message}` : '';
  if (r.status !== 429 && typeof body?.correlationId === 'string') return withCorrelation(describe(r, body, said, tokenEnv), body.correlationId);
  return describe(r, body, said, tokenEnv, nowMs);
}

/** The problem, its message ending with the id HubSpot support asks for. */
function withCorrelation(p: RemoteProblem | undefined, id: string): RemoteProblem | undefined {
  return p && { ...p, message: `${p.message} (HubSpot correlationId ${id})` };
}

function describe(r: HttpResponse, body: HubspotError | undefined, said: string, tokenEnv: string, nowMs = 0): RemoteProblem | undefined {
  if (r.status === 429) {
    if (body?.policyName === 'DAILY') {
      return {
        message: `HTTP 429, the daily API limit is used up${said}`,
        retryable: false,
        hint: "the limit resets at midnight in the portal's time zone; the next run resumes from the saved cursor",
      };
    }
    const header = retryAfterMs(r.headers.get('retry-after'), nowMs);
    const interval = Number(r.headers.get('x-hubspot-ratelimit-interval-milliseconds'));
    const byPolicy = body?.policyName === 'TEN_SECONDLY_ROLLING' ? 10_000 : body?.policyName === 'SECONDLY' ? 1000 : undefined;
    const wait = header ?? (Number.isFinite(interval) && interval > 0 ? interval : byPolicy);
    return { message: `HTTP 429${said}`, retryable: true, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
  }
  if (r.status === 401) {
    return {
      message: `HTTP 401${said}`,
      retryable: false,
      code: 'config',
      hint: `check the private app access token in ${tokenEnv}: it may be mistyped or revoked`,
    };
  }
  if (r.status === 403) {
    return {
      message: `HTTP 403${said}`,
      retryable: false,
      code: 'config',
      hint: 'give the private app the read scopes of the objects synced (crm.objects.deals.read, crm.objects.contacts.read, crm.objects.companies.read, tickets, crm.objects.owners.read)',
    };
  }
  if (r.status === 400 && body?.category === 'VALIDATION_ERROR') {
    return { message: `HTTP 400${said}`, retryable: false, code: 'config', hint: 'check the property names under fields: in the config' };
  }
  return body?.message ? { message: `HTTP ${r.status}${said}` } : undefined;
}

function parse(text: string): HubspotError | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as HubspotError) : undefined;
  } catch {
    return undefined;
  }
}
