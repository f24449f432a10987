/**
 * Whether this workspace's Slack refused a native block (data_visualization) with invalid_blocks:
 * an older client, or an Enterprise Grid policy. Once marked, alert cards and digests skip the
 * block and carry PNGs. The bot keeps the mark in its database (store/native-refusals.ts), so a
 * restart does not try the block again; tests and benches may keep it in memory.
 */
export interface NativeRefusal {
  /** whether the block was refused here before */
  refused(): Promise<boolean>;
  /** remembers that Slack refused the block, with Slack's words */
  mark(reason: string): Promise<void>;
}

/**
 * A refusal mark kept in memory, for one process: after a restart the first message tries the
 * block again (and is resent at once without it if Slack still refuses).
 * @example slackNotifier({ client, locale: 'en', charts: 'native', nativeRefusal: memoryRefusal() })
 */
export function memoryRefusal(): NativeRefusal & { readonly reason: () => string | undefined } {
  let reason: string | undefined;
  return {
    refused: async () => reason !== undefined,
    mark: async (r) => void (reason ??= r),
    reason: () => reason,
  };
}

/**
 * Whether a Web API failure (as slackError wraps it, or as the client threw it) is Slack refusing
 * the message's blocks: the platform error invalid_blocks.
 */
export function isInvalidBlocks(error: unknown): boolean {
  const e = error as { cause?: { data?: { error?: string } }; data?: { error?: string } };
  return (e.cause?.data?.error ?? e.data?.error) === 'invalid_blocks';
}
