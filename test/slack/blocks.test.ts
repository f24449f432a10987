// Every Slack message builder's output fits Block Kit's limits, whatever it is given.
import { describe, expect, it } from 'vitest';
import { alertCard, threadLine } from '../../src/slack/blocks/alert-card.ts';
import { cardText } from '../../src/answers/card-text.ts';
import { messageProblems } from '../helpers/block-kit.ts';
import { renderReply, tableText } from '../../src/slack/blocks/render-reply.ts';
import type { AlertEvent, AlertNotification, EpisodeKind } from '../../src/domain/alert.ts';
import type { Reply } from '../../src/answers/reply.ts';

const base: AlertNotification = {
  dedupKey: '7:firing::#crm-alerts',
  episodeId: 7,
  event: 'firing',
  kind: 'kpi',
  channel: '#crm-alerts',
  rule: 'complaint_resolution_slow',
  kpi: 'complaint_resolution_hours',
  kpiTitle: 'Complaint resolution (hours, median)',
  dimension: { name: 'region', value: 'West' },
  severity: 'critical',
  period: '2017-09',
  value: '62.3',
  comparison: 'threshold 60.0',
  summary: 'Complaint resolution (hours, median) 62.3: 62.3 is above 60.0 (critical)',
  since: '2017-09-30T23:00:00.000Z',
  timeZone: 'Europe/London',
  mentions: ['@here', 'U0OWNER'],
};

describe('alert cards', () => {
  const events: AlertEvent[] = ['firing', 'escalated', 'deescalated', 'reminder', 'resolved'];
  const kinds: EpisodeKind[] = ['kpi', 'error', 'data_stale', 'data_incomplete'];
  for (const locale of ['en', 'zh'] as const) {
    for (const event of events) {
      for (const kind of kinds) {
        it(`${locale} ${kind} ${event} fits`, () => {
          const n = { ...base, event, kind, ...(event === 'resolved' ? { endedAt: '2017-10-31T23:00:00.000Z' } : {}) };
          expect(messageProblems({ ...alertCard(n, locale, { acknowledgedBy: 'U0ACK' }) })).toEqual([]);
          expect(messageProblems({ ...threadLine(n, locale) })).toEqual([]);
        });
      }
    }
  }

  it('shows the facts, the severity colour, the mentions and the buttons', () => {
    const card = alertCard(base, 'en');
    const text = JSON.stringify(card);
    expect(card.attachments![0]!.color).toBe('#D62728');
    for (const part of [
      '*Complaint resolution (hours, median)* · region *West* · 2017-09',
      'Critical · firing',
      '*Value*\\n62.3',
      'threshold 60.0',
      '<!here> <@U0OWNER>',
      '<!date^1506812400^{date_short_pretty} {time}|2017-10-01 00:00 Europe/London>',
    ]) {
      expect(text).toContain(part);
    }
    const actions = card.attachments![0]!.blocks!.find((b) => b.type === 'actions') as unknown as { elements: { action_id: string }[] };
    expect(actions.elements.map((e) => e.action_id)).toEqual(['alert_ack', 'alert_snooze', 'alert_why', 'alert_silence']);
    const resolved = alertCard({ ...base, event: 'resolved' }, 'zh');
    expect(resolved.attachments![0]!.color).toBe('#2CA02C');
    expect(JSON.stringify(resolved)).toContain('已恢复');
  });

  it('a card with its native line (and what it leaves out) conforms in both languages, for every event', () => {
    // The most the card's line can be: 20 periods, a 50-character title, 20-character labels.
    const native = {
      type: 'line' as const,
      title: 'W'.repeat(50),
      categories: Array.from({ length: 20 }, (_, i) => `${'p'.repeat(17)}${String(i).padStart(3, '0')}`),
      series: [{ name: 'n'.repeat(20), values: Array.from({ length: 20 }, (_, i) => i * 1.5) }],
    };
    for (const locale of ['en', 'zh'] as const) {
      for (const event of ['firing', 'escalated', 'reminder', 'resolved'] as const) {
        const card = alertCard(
          { ...base, event },
          locale,
          { acknowledgedBy: 'U0ACK' },
          { native, note: cardText(locale).chartLeftOut('threshold 60.0 · target 48.0') },
        );
        expect(messageProblems({ ...card })).toEqual([]);
        const blocks = card.attachments![0]!.blocks!;
        expect(blocks.filter((b) => b.type === 'data_visualization')).toHaveLength(1);
        // After the facts, before the context and the buttons.
        expect(blocks.map((b) => b.type)).toEqual(['section', 'section', 'section', 'data_visualization', 'context', 'actions']);
      }
    }
    expect(JSON.stringify(alertCard(base, 'zh', {}, { native, note: cardText('zh').chartLeftOut('阈值 60.0') }))).toContain('图表未画出：阈值 60.0');
  });

  it('clips a huge summary instead of breaking the message', () => {
    expect(messageProblems({ ...alertCard({ ...base, summary: 'x'.repeat(10_000), comparison: 'y'.repeat(5_000) }, 'en') })).toEqual([]);
  });
});

describe('rendered replies', () => {
  it('keeps under 50 blocks and 3,000 characters per section however long the reply', () => {
    const reply: Reply = {
      text: 'big',
      visibility: 'ephemeral',
      kind: 'answer',
      locale: 'en',
      blocks: [
        { kind: 'header', text: 'h'.repeat(400) },
        ...Array.from({ length: 80 }, (_, i) => ({ kind: 'text' as const, text: `${i} ${'z'.repeat(4000)}` })),
        { kind: 'fields', fields: Array.from({ length: 23 }, (_, i) => ({ label: `l${i}`, value: 'v'.repeat(3000) })) },
        { kind: 'table', columns: ['a', 'b'], rows: Array.from({ length: 500 }, (_, i) => [`row ${i}`, '1,234']) },
      ],
    };
    const message = renderReply(reply);
    expect(messageProblems({ ...message })).toEqual([]);
    expect(message.blocks).toHaveLength(48);
    expect(JSON.stringify(message.blocks!.at(-1))).toContain('more parts not shown');
  });

  it('a reply of a chart alone, posted without a note, is its text: Slack refuses an empty blocks list', () => {
    const chart = { kind: 'line', title: 'Won revenue', unit: 'currency', series: [], xLabel: '', yLabel: '' } as unknown as Extract<
      Reply['blocks'][number],
      { kind: 'chart' }
    >['chart'];
    const reply: Reply = {
      text: 'Won revenue by region: West 40, East 100',
      visibility: 'in_channel',
      kind: 'answer',
      locale: 'en',
      blocks: [{ kind: 'chart', chart, alt: 'Won revenue by region' }],
    };
    const message = renderReply(reply);
    expect(messageProblems({ ...message })).toEqual([]);
    expect(message).toEqual({ text: 'Won revenue by region: West 40, East 100' });
  });

  it('aligns a table, Chinese included, and says how many rows it left out', () => {
    const text = tableText(
      ['区域', 'value'],
      [
        ['西部', '1'],
        ['East', '22'],
      ],
    );
    expect(text).toBe('```\n区域  value\n----  -----\n西部      1\nEast     22\n```');
    const long = tableText(
      ['n'],
      Array.from({ length: 1000 }, (_, i) => [String(i)]),
    );
    expect(long.length).toBeLessThanOrEqual(3000);
    expect(long).toMatch(/… \d+ more rows\n```$/);
  });
});
