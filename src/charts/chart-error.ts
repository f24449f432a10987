import { CrmPulseError } from '../lib/errors.ts';

/**
 * The error of a chart that cannot be drawn: `[charts] [<kind>] <what>`, with what to do.
 * The project's error codes have none for rendering; a chart fails on what it was given, so 'input'.
 */
export function chartError(kind: string, message: string, hint: string, cause?: unknown): CrmPulseError {
  return new CrmPulseError('input', `[charts] [${kind}] ${message}`, { hint, cause });
}
