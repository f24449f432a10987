import { safeSlice } from '../../lib/safe-slice.ts';

/** One Block Kit block, loosely typed. */
export type Block = { readonly type: string } & Record<string, unknown>;

/** A message as chat.postMessage, chat.update and response_url take it. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks?: readonly Block[];
  readonly attachments?: readonly { readonly color?: string; readonly blocks?: readonly Block[] }[];
}

// Whether a message conforms to Block Kit is checked in tests against Slack's published JSON
// Schema (test/helpers/block-kit.ts); builders here only cut text to the schema's limits.

/** Cuts text to a limit, saying so. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${safeSlice(text, max - 1)}…`;
}
