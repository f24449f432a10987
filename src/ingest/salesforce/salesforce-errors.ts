import type { HttpResponse, RemoteProblem } from '../../lib/http-client.ts';

/** One entry of Salesforce's error body, a JSON array. */
export interface SalesforceErrorEntry {
  readonly errorCode: string;
  readonly message: string;
}

/** How long to wait when the org refuses requests for a while (the concurrent-request limit). */
export const REQUEST_LIMIT_WAIT_MS = 60_000;

/**
 * Reads a failed Salesforce REST response: `[{ "message": …, "errorCode": … }]`. INVALID_SESSION_ID
 * is left to the session (it re-authenticates once); REQUEST_LIMIT_EXCEEDED backs off, unless the
 * Sforce-Limit-Info header shows the daily allowance used up, which no wait within a run cures.
 * See https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm.
 */
export function describeSalesforceError(r: HttpResponse): RemoteProblem | undefined {
  const first = errorEntries(r.text)[0];
  if (!first) return undefined;
  const message = `HTTP ${r.status} ${first.errorCode}: ${first.message}`;
  if (first.errorCode === 'REQUEST_LIMIT_EXCEEDED') {
    const usage = apiUsage(r.headers);
    if (usage && usage.used >= usage.max) {
      return {
        message: `${message} (api-usage=${usage.used}/${usage.max})`,
        vendorCode: first.errorCode,
        retryable: false,
        hint: "the org's API allowance is counted over 24 hours; the next run resumes from the saved cursor",
      };
    }
    return { message, vendorCode: first.errorCode, retryable: true, retryAfterMs: REQUEST_LIMIT_WAIT_MS };
  }
  const retryable = r.status >= 500 || first.errorCode === 'SERVER_UNAVAILABLE' || first.errorCode === 'UNABLE_TO_LOCK_ROW';
  return { message, vendorCode: first.errorCode, retryable };
}

/** The entries of an error body, or none when it is not Salesforce's error array. */
export function errorEntries(text: string): SalesforceErrorEntry[] {
  try {
    const v = JSON.parse(text) as unknown;
    const list = Array.isArray(v) ? v : [v];
    // A query error's message repeats the SOQL over several lines; one line reads better in logs.
    return list
      .filter((e): e is SalesforceErrorEntry => typeof e?.errorCode === 'string')
      .map((e) => ({
        errorCode: e.errorCode,
        message: String(e.message ?? '')
          .replace(/\s+/g, ' ')
          .trim(),
      }));
  } catch {
    return [];
  }
}

/** The `Sforce-Limit-Info: api-usage=18/5000` header, read. */
export function apiUsage(headers: Headers): { used: number; max: number } | undefined {
  const m = /api-usage=(\d+)\/(\d+)/.exec(headers.get('sforce-limit-info') ?? '');
  return m ? { used: Number(m[1]), max: Number(m[2]) } : undefined;
}
