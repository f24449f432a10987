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
