import { CrmPulseError } from '../../lib/errors.ts';
import { hash53 } from '../../lib/hash53.ts';
import type { RejectKind, RejectedInput } from '../../store/sync-log.ts';
import type { ReadBatch } from '../connector.ts';
import { MalformedResponse } from './malformed-response.ts';

/** The longest raw text kept with a rejected row. */
const RAW_LIMIT = 4000;

/**
 * A rejected row for a record read from an API: the record as JSON, with every secret scrubbed
 * from it and from the reason. A record without a usable id is kept under `?<hash of its text>`,
 * so that its reject stays in view, as the run that follows will not read it again.
 * @example rejectOf(http.scrub, 7, 'missing', 'stage is required but empty', result, '1234')
 */
export function rejectOf(scrub: (text: string) => string, line: number, kind: RejectKind, reason: string, record: unknown, externalId?: string): RejectedInput {
  const raw = scrub(clip(typeof record === 'string' ? record : (JSON.stringify(record) ?? String(record))));
  return { line, kind, reason: scrub(reason), raw, externalId: externalId ?? `?${hash53(raw).toString(36)}` };
}

/**
 * Passes a unit's batches through. A response that is not the documented JSON ends the read: it
 * is yielded as an `unreadable` rejected row (line 0: the response, not a record), then the read
 * fails, so that the runner keeps what came before and leaves the cursor where it was.
 */
export async function* stopAtMalformed(batches: AsyncGenerator<ReadBatch>, scrub: (text: string) => string): AsyncGenerator<ReadBatch> {
  try {
    yield* batches;
  } catch (error) {
    if (!(error instanceof MalformedResponse)) throw error;
    // The message carries the hint already (CrmPulseError appends it); the error below adds it again.
    const message = scrub(error.hint ? error.message.slice(0, error.message.length - `\n  fix: ${error.hint}`.length) : error.message);
    yield { records: [], rejects: [{ line: 0, kind: 'unreadable', reason: message, raw: scrub(clip(error.raw)) }] };
    throw new CrmPulseError('remote', message, { hint: error.hint!, retryable: true });
  }
}

function clip(text: string): string {
  return text.length > RAW_LIMIT ? `${text.slice(0, RAW_LIMIT)}…` : text;
}
