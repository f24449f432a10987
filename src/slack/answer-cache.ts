import type { ChartInput } from '../answers/reply.ts';
import type { CommandService } from '../answers/command-service.ts';
import type { CommandContext, Reply } from '../answers/reply.ts';

/** What the answer cache reads from and how far it grows. */
export interface AnswerCacheOptions {
  readonly commands: Pick<CommandService, 'run' | 'answerKey'>;
  /** a token that changes whenever anything is committed to the database; undefined: nothing is cached or shared */
  readonly dataVersion: () => Promise<string | undefined>;
  /** renders a chart; each chart of a cached answer is rendered once */
  readonly chartPng: (chart: ChartInput) => Promise<Buffer>;
  /** the instant an answer is worked out for, from the caller's now (default: now itself) */
  readonly asOf?: (now: Date) => Date;
  /** also part of every key: what the answers depend on besides the data (the config's fingerprint) */
  readonly configKey?: string;
  /** answers kept (default 200) */
  readonly maxEntries?: number;
  /** bytes kept, answers and their PNGs together (default 32 MiB) */
  readonly maxBytes?: number;
}

/** Counters of the cache, for tests and /metrics-style logging. */
export interface AnswerCacheStats {
  /** answers worked out by the command service for keyed commands */
  readonly computations: number;
  /** answers served from the cache */
  readonly hits: number;
  /** answers that joined a computation already in flight */
  readonly shared: number;
  readonly entries: number;
  readonly bytes: number;
}

/** The /kpi command service with cached, shared answers, and the chart renderer that goes with it. */
export interface AnswerCache {
  run(text: string, ctx: CommandContext): Promise<Reply>;
  chartPng(chart: ChartInput): Promise<Buffer>;
  stats(): AnswerCacheStats;
}

interface Entry {
  readonly key: string;
  readonly reply: Reply;
  bytes: number;
  readonly pngs: Map<ChartInput, Promise<Buffer>>;
}

/**
 * Caches /kpi answers that depend only on (the normalized command, its as-of, the data version,
 * the config): `kpi` and `chart` (CommandService.answerKey). The data version changes with every
 * commit, so a cached answer is never older than the data; identical commands in flight share
 * one computation; each chart of a cached answer is rendered once. Bounded by count and by bytes
 * (least recently used first). Errors, usage hints and refusals are never cached.
 * @example const cache = answerCache({ commands, dataVersion: app.dataVersion, chartPng: renderChartPng });
 */
export function answerCache(options: AnswerCacheOptions): AnswerCache {
  const maxEntries = options.maxEntries ?? 200;
  const maxBytes = options.maxBytes ?? 32 << 20;
  const asOf = options.asOf ?? ((now: Date) => now);
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<Reply>>();
  const owners = new WeakMap<ChartInput, Entry>();
  let bytes = 0;
  let computations = 0;
  let hits = 0;
  let shared = 0;
  const evict = () => {
    for (const [key, e] of entries) {
      if (entries.size <= 1 || (entries.size <= maxEntries && bytes <= maxBytes)) break;
      entries.delete(key);
      bytes -= e.bytes;
    }
  };
  const store = (key: string, reply: Reply) => {
    const e: Entry = { key, reply, bytes: JSON.stringify(reply).length, pngs: new Map() };
    for (const b of reply.blocks) if (b.kind === 'chart') owners.set(b.chart, e);
    entries.set(key, e);
    bytes += e.bytes;
    evict();
  };
  return {
    async run(text, ctx) {
      const at = { ...ctx, now: asOf(ctx.now) };
      const answerKey = options.commands.answerKey(text, at);
      const version = answerKey === undefined ? undefined : await options.dataVersion().catch(() => undefined);
      if (answerKey === undefined || version === undefined) return options.commands.run(text, at);
      const key = `${version}\u0000${options.configKey ?? ''}\u0000${answerKey}`;
      const hit = entries.get(key);
      if (hit) {
        entries.delete(key);
        entries.set(key, hit);
        hits++;
        return hit.reply;
      }
      const flying = inFlight.get(key);
      if (flying) {
        shared++;
        return flying;
      }
      computations++;
      const computing = options.commands
        .run(text, at)
        .then((reply) => {
          if (reply.kind === 'answer') store(key, reply);
          return reply;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, computing);
      return computing;
    },
    chartPng(chart) {
      const e = owners.get(chart);
      if (!e) return options.chartPng(chart);
      let png = e.pngs.get(chart);
      if (!png) {
        png = options.chartPng(chart);
        e.pngs.set(chart, png);
        png.then(
          (buf) => {
            if (entries.get(e.key) !== e) return;
            e.bytes += buf.length;
            bytes += buf.length;
            evict();
          },
          () => e.pngs.delete(chart),
        );
      }
      return png;
    },
    stats: () => ({ computations, hits, shared, entries: entries.size, bytes }),
  };
}

/** The start of `now`'s minute: the as-of of the bot's answers on the wall clock, so that answers asked within one minute can be shared. */
export function startOfMinute(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000);
}
