import type { AlertNotification } from '../domain/alert.ts';
import { localTimeText } from '../lib/zoned-time.ts';

const ICON: Readonly<Record<string, string>> = { critical: '🔴', warning: '🟠', resolved: '✅', error: '⚠️' };
const VERB: Readonly<Record<string, string>> = {
  firing: 'FIRING',
  escalated: 'ESCALATED',
  deescalated: 'DE-ESCALATED',
  reminder: 'STILL FIRING',
  resolved: 'RESOLVED',
};

/**
 * A notification as a few readable terminal lines: what, where, how bad, since when.
 * @example formatNotification(n) // '🔴 FIRING critical · #crm-alerts · Complaint resolution … · region West · 2017-09 …'
 */
export function formatNotification(n: AlertNotification): string {
  const icon = n.event === 'resolved' ? ICON.resolved : n.kind === 'error' ? ICON.error : ICON[n.severity];
  const where = [n.kpiTitle, n.dimension ? `${n.dimension.name} ${n.dimension.value}` : undefined, n.period ?? undefined].filter(Boolean).join(' · ');
  const head = `${icon} ${VERB[n.event]} ${n.event === 'resolved' ? '' : `${n.severity} `}· ${n.channel} · ${where}`;
  const lines = [head, `   ${n.summary}`];
  const time = (iso: string) => localTimeText(new Date(iso), n.timeZone);
  const facts = [
    n.comparison ? `compared with ${n.comparison}` : undefined,
    `since ${time(n.since)}`,
    n.endedAt ? `ended ${time(n.endedAt)}` : undefined,
    `episode ${n.episodeId}`,
    `rule ${n.rule}`,
  ];
  lines.push(`   ${facts.filter(Boolean).join(' · ')}`);
  if (n.mentions.length) lines.push(`   notify ${n.mentions.join(' ')}`);
  // The hold is over when this prints: say it was delivered late, not that it is still held.
  if (n.releasedNote) lines.push(`   (delivered late, ${n.releasedNote})`);
  return lines.join('\n');
}
