import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AlertNotification } from '../domain/alert.ts';
import type { Delivery, Notifier } from '../alerts/notifier.ts';
import { formatNotification } from './format-notification.ts';

/** What else local mode's notifier does with a notification. */
export interface LocalNotifierOptions {
  /** writes the notification's chart (the alert card's chart) as a PNG; resolves its path, if it wrote one */
  readonly chart?: (n: AlertNotification) => Promise<string | undefined>;
}

/**
 * Local mode's notifier: appends each notification as a JSON line to a file, which is the record
 * of what was delivered, and prints it readably, with the path of its chart's PNG when `chart`
 * writes one. Delivering a dedup key that the file already has does nothing, so a crash between
 * delivery and bookkeeping never shows a notification twice.
 * @example const notifier = localNotifier('./data/notifications.jsonl', (t) => process.stdout.write(t));
 */
export function localNotifier(
  file: string,
  print: (text: string) => void,
  options: LocalNotifierOptions = {},
): Notifier<AlertNotification> & { readonly delivered: () => ReadonlySet<string> } {
  let keys: Set<string> | undefined;
  const load = () => {
    if (keys) return keys;
    keys = new Set();
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          keys.add((JSON.parse(line) as { dedupKey: string }).dedupKey);
        } catch {
          // A line cut short by a crash mid-write was never delivered; it is written again.
        }
      }
    }
    return keys;
  };
  return {
    name: 'local',
    delivered: load,
    async deliver(n: AlertNotification, thread: string | undefined): Promise<Delivery> {
      const seen = load();
      if (!seen.has(n.dedupKey)) {
        mkdirSync(dirname(file), { recursive: true });
        appendFileSync(file, `${JSON.stringify({ ...n, deliveredAt: new Date().toISOString(), thread: thread ?? null })}\n`);
        seen.add(n.dedupKey);
        // Printed with its notification in one piece: channels are delivered side by side.
        const chart = await options.chart?.(n).catch((error: unknown) => `chart not written: ${(error as Error).message.split('\n')[0]}`);
        print(`${formatNotification(n)}${chart ? `\n  📈 ${chart}` : ''}\n`);
      }
      return { ref: thread ?? `${file}#${n.episodeId}` };
    },
  };
}
