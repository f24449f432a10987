/** A user's place in line: wait for `previous`, send, then call `done` (always, also on failure). */
export interface Turn {
  readonly previous: Promise<void>;
  done(): void;
}

/** Keeps each user's answers in the order they asked, while answers of different users run side by side. */
export interface UserOrder {
  take(userId: string): Turn;
}

/**
 * Per-user ordering of answers: answers are worked out concurrently, but a user's answer is sent
 * only after their previous one was (sent or failed). Each turn ends once its own, bounded, Slack
 * calls end, so no turn waits for ever; a user with nothing in flight holds no memory.
 * @example const turn = order.take(userId); await turn.previous; try { await send(); } finally { turn.done(); }
 */
export function userOrder(): UserOrder {
  const tails = new Map<string, Promise<void>>();
  return {
    take(userId) {
      const previous = tails.get(userId) ?? Promise.resolve();
      let done!: () => void;
      const mine = new Promise<void>((resolve) => (done = resolve));
      const tail = previous.then(() => mine);
      tails.set(userId, tail);
      void tail.then(() => {
        if (tails.get(userId) === tail) tails.delete(userId);
      });
      return { previous, done };
    },
  };
}
