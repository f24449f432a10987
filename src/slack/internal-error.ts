import { randomUUID } from 'node:crypto';
import { messages } from '../answers/messages.ts';
import type { Locale } from '../domain/locale.ts';
import type { Logger } from '../lib/logger.ts';

/**
 * The answer to a user whose request failed inside crm-pulse: a sentence in their language with a
 * short error id, never the error's own message (it may name tables, hosts or code); the log line
 * holds the error under the same id, so the admin finds it from what the user quotes.
 * @example await respond({ text: internalErrorText(s.log, 'en', error, '/kpi') }) // "… give your admin the error id `3f9c2a1b`."
 */
export function internalErrorText(log: Logger, locale: Locale, error: unknown, where: string): string {
  const errorId = randomUUID().slice(0, 8);
  log.error({ err: error, errorId, where }, `[slack] ${where} failed (error id ${errorId})`);
  return messages(locale).internalError(errorId);
}
