/** Error codes shared across crm-pulse; each says which part of the pipeline failed. */
export type ErrorCode =
  /** the YAML config or env is invalid */
  | 'config'
  /** an input file or row could not be read */
  | 'input'
  /** the database could not be reached or refused a statement */
  | 'storage'
  /** an outbound call (CRM, Slack) failed */
  | 'remote'
  /** a command line or /kpi argument is wrong */
  | 'usage';

/** An error that says where it comes from, what went wrong and, where known, what to do. */
export class CrmPulseError extends Error {
  readonly code: ErrorCode;
  /** whether trying the same thing again later may succeed (429, 5xx, a lock) */
  readonly retryable: boolean;
  readonly hint: string | undefined;
  /** how long the far side asked us to wait (a 429's Retry-After), when it said */
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, options: { hint?: string; retryable?: boolean; retryAfterMs?: number; cause?: unknown } = {}) {
    super(options.hint ? `${message}\n  fix: ${options.hint}` : message, { cause: options.cause });
    this.name = 'CrmPulseError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.hint = options.hint;
    this.retryAfterMs = options.retryAfterMs;
  }
}
