import cliProgress from 'cli-progress';
import type { ProgressListener, SyncUnit } from '../ingest/connector.ts';

/** A factory of progress listeners, one bar per unit, and a way to stop them all. */
export interface ProgressBars {
  readonly forUnit: (source: string, unit: SyncUnit) => ProgressListener | undefined;
  stop(): void;
}

/**
 * Terminal progress bars for long imports, drawn on stderr. When stderr is not a terminal (CI,
 * pipes), no bars are drawn and the listeners are undefined.
 */
export function progressBars(stream: NodeJS.WriteStream = process.stderr): ProgressBars {
  if (!stream.isTTY) return { forUnit: () => undefined, stop: () => undefined };
  let bar: cliProgress.SingleBar | undefined;
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    forUnit(source, unit) {
      stop();
      const current = new cliProgress.SingleBar(
        {
          stream,
          format: `  {label} [{bar}] {percentage}% | {done}/{size}`,
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      bar = current;
      let started = false;
      const label = `${source}: ${unit.label}`.slice(-60);
      return (done, total) => {
        const fmt = { label, done: mb(done), size: mb(total) };
        if (!started) {
          current.start(total, done, fmt);
          started = true;
        } else current.update(done, fmt);
      };
    },
    stop,
  };
}

function mb(bytes: number): string {
  return bytes > 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} kB`;
}
