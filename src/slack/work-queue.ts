/** Adds a job to a work queue: false when the queue is full and the job was not taken. */
export type EnqueueWork = (job: () => Promise<void>) => boolean;

/**
 * Runs slow work after an acknowledgement, a few at a time, with at most `maxWaiting` jobs waiting
 * for a slot: past that a job is refused (the caller answers "busy, try again"), so a burst of
 * requests cannot grow memory or make a later user wait behind thousands. Jobs start on a later
 * turn of the event loop, so that requests already waiting are read and acknowledged first (Slack
 * allows 3 s).
 * @example const queue = workQueue(2, 50, onError); if (!queue(() => answer(command))) await ack(busy); else await ack();
 */
export function workQueue(concurrency: number, maxWaiting: number, onError: (error: unknown) => void): EnqueueWork {
  const waiting: (() => Promise<void>)[] = [];
  let running = 0;
  const next = () => {
    while (running < concurrency && waiting.length) {
      const job = waiting.shift()!;
      running++;
      setImmediate(() => {
        job()
          .catch(onError)
          .finally(() => {
            running--;
            next();
          });
      });
    }
  };
  return (job) => {
    if (waiting.length >= maxWaiting) return false;
    waiting.push(job);
    next();
    return true;
  };
}
