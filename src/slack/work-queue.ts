/**
 * Runs slow work after an acknowledgement, a few at a time. Jobs start on a later turn of the event
 * loop, so that requests already waiting are read and acknowledged first (Slack allows 3 s).
 * @example const queue = workQueue(2); await ack(); queue(() => answer(command));
 */
export function workQueue(concurrency: number, onError: (error: unknown) => void): (job: () => Promise<void>) => void {
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
    waiting.push(job);
    next();
  };
}
