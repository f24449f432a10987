import type { UnitResult } from '../ingest/sync-source.ts';
import type { StatusReport } from '../store/status-report.ts';
import { localTimeText } from '../lib/zoned-time.ts';

const n = (v: number) => v.toLocaleString('en-US');

/** A plain-text table: columns padded to their widest cell, numbers right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], indent = ''): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  // Numbers, percentages and signed changes are right-aligned; dates and labels are not.
  const numeric = (c: string) => /^(–|[−+±-]?[\d,]*\.?\d+( ?%| pp)?\*?)$/.test(c);
  const isNum = header.map((_, i) => rows.length > 0 && rows.every((r) => numeric(r[i] ?? '')));
  const line = (cells: readonly string[]) =>
    indent +
    cells
      .map((c, i) => (isNum[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** What an ingest did, unit by unit, with notes and failures. */
export function formatIngest(results: readonly UnitResult[]): string {
  const rows = results.map((r) => [
    r.source,
    r.label,
    r.status,
    n(r.counts.read),
    n(r.counts.inserted),
    n(r.counts.updated),
    n(r.counts.unchanged),
    n(r.counts.rejected),
  ]);
  const out = [table(['source', 'file/object', 'status', 'read', 'new', 'updated', 'unchanged', 'rejected'], rows)];
  for (const r of results) {
    for (const note of r.notes) out.push(`  note  ${r.source} ${r.object}: ${note}`);
    if (r.error) out.push(`  error ${r.source} ${r.label}: ${r.error}`);
  }
  return out.join('\n');
}

/** Records per object as text: `deals 8,800, accounts 85`. */
export function formatRecords(records: Partial<Record<string, number>>): string {
  return (
    Object.entries(records)
      .map(([k, v]) => `${k} ${n(v ?? 0)}`)
      .join(', ') || 'no records'
  );
}

/** The warning about records of sources the config no longer names; empty when there are none. */
export function formatLeftover(report: StatusReport): string {
  if (report.leftover.length === 0) return '';
  const lines = report.leftover.map((s) => `  ${s.key} (${s.kind}): ${formatRecords(s.records)}`);
  return [
    `⚠ The database holds data of ${report.leftover.length === 1 ? 'a source' : 'sources'} not in the config; every KPI still counts it:`,
    ...lines,
    `  Remove it with: crm-pulse remove-source ${report.leftover[0]!.key}   (or add the source back to the config)`,
  ].join('\n');
}

/** A stored sync time as the config's time zone shows it, as every other time crm-pulse prints. */
function syncTime(iso: string | null, timeZone: string): string {
  return iso === null ? 'never' : `${localTimeText(new Date(iso), timeZone)} ${timeZone}`;
}

/** The human form of `status`; times are in `timeZone`, the config's. */
export function formatStatus(report: StatusReport, timeZone: string): string {
  const out: string[] = [`database: ${report.database}`];
  const leftover = formatLeftover(report);
  if (leftover) out.push('', leftover);
  if (report.sources.length === 0) {
    out.push('', 'No data yet. Load the demo with `crm-pulse ingest --demo`, or a configured source with `crm-pulse ingest <source>`.');
    return out.join('\n');
  }
  for (const s of report.sources) {
    out.push('', `${s.key} (${s.kind}): ${s.name}`);
    out.push(
      `  last sync: ${syncTime(s.lastSyncAt, timeZone)}   lines: ${n(s.lines.read)} read = ${n(s.lines.written)} stored + ${n(s.lines.rejected)} rejected${s.lines.accounted ? '' : '  (DOES NOT ADD UP)'}`,
    );
    const records = Object.entries(s.records).map(([k, v]) => `${k} ${n(v)}`);
    if (records.length) out.push(`  records: ${records.join(', ')}`);
    const facts = Object.entries(s.facts).map(([k, v]) => `${k.replace(/_/g, ' ')} ${n(v)}`);
    if (facts.length) out.push(`  facts: ${facts.join(', ')}`);
    out.push(
      table(
        ['unit', 'status', 'read', 'stored', 'rejected', `finished (${timeZone})`],
        s.units.map((u) => [
          u.file ?? u.object,
          u.status,
          n(u.read),
          n(u.written),
          n(u.rejected),
          u.endedAt ? localTimeText(new Date(u.endedAt), timeZone) : '-',
        ]),
        '  ',
      ),
    );
    for (const u of s.units) {
      if (u.error) out.push(`  error ${u.file ?? u.object}: ${u.error}`);
      for (const note of u.notes) out.push(`  note  ${u.file ?? u.object}: ${note}`);
    }
    if (s.rejects.total > 0) {
      const kinds = Object.entries(s.rejects.byKind).map(([k, v]) => `${k} ${n(v)}`);
      out.push(`  rejected rows: ${n(s.rejects.total)} (${kinds.join(', ')})`);
      // Line 0: an API record's reject, kept under the record (deals/18123006) rather than a line.
      for (const e of s.rejects.examples) out.push(`    ${e.file}${e.line ? `:${e.line}` : ''}  ${e.reason}\n      ${e.raw.slice(0, 110)}`);
      const hidden = s.rejects.total - s.rejects.examples.length;
      if (hidden > 0) out.push(`    … ${n(hidden)} more; every one: crm-pulse rejects ${s.key} (--format csv|json, --out <file>)`);
    }
  }
  return out.join('\n');
}

/** One line per source: what is stored and whether every input line is accounted for. */
export function formatStatusBrief(report: StatusReport, timeZone: string): string {
  const rows = report.sources.map((s) => [
    s.key,
    Object.entries(s.records)
      .map(([k, v]) => `${k} ${n(v)}`)
      .join(', '),
    `${n(s.lines.read)} = ${n(s.lines.written)} + ${n(s.lines.rejected)}${s.lines.accounted ? '' : ' (DOES NOT ADD UP)'}`,
    s.units.some((u) => u.status === 'failed') ? 'FAILED' : syncTime(s.lastSyncAt, timeZone),
  ]);
  const leftover = formatLeftover(report);
  return table(['source', 'records', 'lines read = stored + rejected', 'last sync'], rows) + (leftover ? `\n${leftover}` : '');
}
