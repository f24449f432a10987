import { CrmPulseError } from '../../lib/errors.ts';

/**
 * A response that is not the JSON the API documents. The read stops there: what came before is
 * stored, the page is kept as a rejected row, and the cursor stays for the next run.
 */
export class MalformedResponse extends CrmPulseError {
  /** the body as received, for the rejected row */
  readonly raw: string;
  constructor(message: string, raw: string) {
    super('remote', message, { hint: 'the rows read before this page are stored; the next run reads this page again from the saved cursor' });
    this.name = 'MalformedResponse';
    this.raw = raw;
  }
}

/**
 * Parses a response body as JSON.
 * @example parseJsonBody('{"results":[]}', '[hubspot] deals, page 1')
 */
export function parseJsonBody(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new MalformedResponse(`${where}: the response is not valid JSON (${(error as Error).message})`, text);
  }
}

/** True when `v` is a plain JSON object. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
