import { mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { displayWidth, tableText } from '../answers/table-text.ts';
import type { ChartInput, Reply, ReplyBlock } from '../answers/reply.ts';
import { hash53 } from '../lib/hash53.ts';

/** Where and how local mode writes the charts of a reply. */
export interface FormatReplyOptions {
  /** the folder PNGs go to, created if missing (local mode: ./out) */
  readonly outDir: string;
  /** renders a chart to PNG (src/charts' renderChartPng, handed in by cli/) */
  readonly render: (chart: ChartInput) => Promise<Buffer>;
  /** paths are printed relative to this folder when inside it (default: the working directory) */
  readonly cwd?: string;
}

/** A reply as terminal text, and the chart files written for it. */
export interface FormattedReply {
  readonly text: string;
  /** the PNGs written, in the reply's order */
  readonly files: readonly string[];
}

/**
 * A /kpi reply as readable terminal text: headers underlined, Slack mrkdwn markers dropped,
 * tables monospaced, each chart rendered to a PNG under `outDir` (named after its kind, title
 * and period, so asking again replaces it) with its path printed.
 * @example const { text } = await formatReply(reply, { outDir: 'out', render: renderChartPng }); console.log(text);
 */
export async function formatReply(reply: Reply, options: FormatReplyOptions): Promise<FormattedReply> {
  const lines: string[] = [];
  const files: string[] = [];
  for (const b of reply.blocks) {
    if (b.kind === 'chart') {
      const file = join(options.outDir, chartFileName(b.chart));
      await mkdir(options.outDir, { recursive: true });
      await writeFile(file, await options.render(b.chart));
      files.push(file);
      lines.push(`  📈 ${shown(file, options.cwd ?? process.cwd())}  (${b.alt})`);
    } else {
      lines.push(...blockLines(b));
    }
  }
  if (reply.visibility === 'in_channel') lines.push('  (posted in the channel in Slack)');
  // A table is set off by blank lines; two tables in a row need one between them, not two.
  return { text: lines.filter((l, i) => l !== '' || lines[i - 1] !== '').join('\n'), files };
}

/**
 * A chart's file name: kind, title, dimension (`by-owner`) and period, in letters, digits and
 * dashes; the dimension keeps a breakdown by owner from replacing the one by region.
 */
export function chartFileName(chart: ChartInput): string {
  const slug = (s: string) =>
    s
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60);
  const by = 'dimension' in chart && chart.dimension ? `by-${slug(chart.dimension)}` : undefined;
  return `${[chart.kind, slug(chart.title) || hash53(chart.title).toString(36), by, slug(chart.period)].filter(Boolean).join('-')}.png`;
}

function blockLines(b: Exclude<ReplyBlock, { kind: 'chart' }>): string[] {
  switch (b.kind) {
    case 'header':
      return ['', b.text, '═'.repeat(Math.min(100, displayWidth(b.text)))];
    case 'text':
      return plain(b.text).split('\n');
    case 'fields': {
      const width = Math.max(...b.fields.map((f) => displayWidth(f.label)));
      return b.fields.map((f) => `  ${f.label}${' '.repeat(width - displayWidth(f.label))}  ${plain(f.value)}`);
    }
    case 'table':
      return [
        '',
        ...tableText(b.columns, b.rows)
          .split('\n')
          .map((l) => `  ${l}`),
        '',
      ];
    case 'context':
      return plain(b.text)
        .split('\n')
        .map((l) => `  · ${l}`);
    case 'actions':
      return [`  ${b.actions.map((a) => `[${a.label}]`).join(' ')}`];
  }
}

/** Slack mrkdwn as plain text: bold markers dropped, links as "text (url)", mentions as @id and #id. */
function plain(text: string): string {
  return text
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<#([A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, name?: string) => `#${name || id}`)
    .replace(/<@([A-Z0-9]+)>/g, '@$1')
    .replace(/\*([^*\n]+)\*/g, '$1');
}

function shown(file: string, cwd: string): string {
  const r = relative(cwd, file);
  return r && !r.startsWith('..') && !isAbsolute(r) ? r : file;
}
