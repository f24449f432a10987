// 10,000+ generated and adversarial /kpi texts through the real command service on the alert
// fixture's tiny CRM: random unicode (RTL, emoji, NUL, lone surrogates), 100 kB strings, formula and
// SQL injections, unknown KPIs and dimensions, impossible dates, mixed Chinese and English. Every one
// gets a helpful reply, none a stack trace, and the CRM data is untouched. Seeded: a failure names
// its case index, and the same seed replays it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandService, type CommandService } from '../../src/answers/command-service.ts';
import { COMMAND_WORDS } from '../../src/answers/command-words.ts';
import { messages } from '../../src/answers/messages.ts';
import { MAX_COMMAND_TEXT, parseCommand } from '../../src/answers/parse-command.ts';
import { replyProblems } from '../helpers/block-kit.ts';
import type { CommandContext, Reply } from '../../src/answers/reply.ts';
import { alertFixture, at, DROP_RULES } from '../alerts/alert-fixture.ts';
import { adversarialTexts, fuzzRng, grammarText, mutateText, randomText } from './fuzz-inputs.ts';

const SEED = 20_240_930;
const GENERATED = 10_000;
const NOW = at('2024-09-30T12:00:00Z');
const CRM_TABLES = [
  'sources',
  'owners',
  'accounts',
  'customers',
  'products',
  'deals',
  'order_lines',
  'tickets',
  'survey_answers',
  'marketing_spend',
  'rejected_rows',
  'sync_runs',
  'sync_cursors',
];

/** A stack frame, or a source position, as an uncaught error would print them. */
const STACK = /\n\s*at\s|\bat\s+\S+\s+\(.*:\d+(:\d+)?\)|\.(?:ts|js|mjs|cjs):\d+|node:internal|Error: .*\n\s+at/;

/** The /kpi texts of one run: the fixed adversarial ones, then the generated ones. */
function fuzzTexts(kpis: readonly string[], titlesZh: readonly string[]): string[] {
  const rng = fuzzRng(SEED, 'kpi-fuzz');
  const words = { commands: [...COMMAND_WORDS.keys()], kpis: [...kpis, ...titlesZh] };
  const texts = adversarialTexts(kpis);
  for (let i = 0; i < GENERATED; i++) {
    const mode = rng.weighted({ grammar: 45, mutated: 20, unicode: 20, mixed: 14, long: 1 });
    if (mode === 'grammar') texts.push(grammarText(rng, words));
    else if (mode === 'mutated') texts.push(mutateText(rng, grammarText(rng, words)));
    else if (mode === 'unicode') texts.push(randomText(rng, rng.int(1, 60)));
    else if (mode === 'mixed') texts.push(`${grammarText(rng, words)} ${randomText(rng, rng.int(1, 12))} ${rng.pick(words.kpis)}`);
    else texts.push(randomText(rng, rng.int(5_000, 100_000)));
  }
  return texts;
}

/** Why a reply is not helpful, or undefined when it is. */
function unhelpful(r: Reply, ctx: CommandContext): string | undefined {
  if (!['answer', 'usage', 'error', 'refused'].includes(r.kind)) return `kind ${String(r.kind)}`;
  if (r.text.trim() === '' || r.blocks.length === 0) return 'empty reply';
  const all = [r.text, ...r.blocks.map((b) => JSON.stringify(b))].join('\n');
  if (STACK.test(all)) return 'holds a stack trace';
  const limits = replyProblems(r);
  if (limits.length) return `breaks Slack's limits: ${limits.join('; ')}`;
  const m = messages(ctx.locale);
  // A usage reply says what was wrong (its first block, the problem) and then how to write the
  // command: the subcommand's syntax and examples, or the whole help.
  if (r.kind === 'usage' && (r.blocks[0]?.kind !== 'text' || r.blocks[0].text !== r.text || r.blocks.length < 3 || !all.includes(m.helpFooter.slice(0, 20))))
    return 'usage reply without the problem and the help';
  if (r.kind === 'error' && (!r.text.startsWith(m.error('')) || r.text.length <= m.error('').length + 3)) return 'error reply not in the error form';
  if (r.kind === 'refused' && !r.text.includes('<@U0ADMIN>')) return 'refusal does not name who may';
  return undefined;
}

describe('/kpi fuzz', () => {
  let f: Awaited<ReturnType<typeof alertFixture>>;
  let kpi: CommandService;
  const counts = async () =>
    Object.fromEntries(
      await Promise.all(CRM_TABLES.map(async (t) => [t, Number((await f.app.db.sql.all<{ n: number }>(`SELECT COUNT(*) AS n FROM "${t}"`))[0]!.n)])),
    );

  beforeAll(async () => {
    f = await alertFixture(`${DROP_RULES}\nslack:\n  admins: [U0ADMIN]\n`);
    kpi = commandService(f.app);
  });
  afterAll(async () => f?.close());

  it(`answers ${GENERATED.toLocaleString('en')}+ hostile texts helpfully, without a stack trace, leaving the CRM data as it was`, async () => {
    const texts = fuzzTexts(
      f.app.kpis.all.map((k) => k.key),
      f.app.kpis.all.flatMap((k) => (k.title_zh ? [k.title_zh] : [])),
    );
    expect(texts.length).toBeGreaterThanOrEqual(GENERATED + 200);
    expect(texts.filter((t) => t.length >= 100_000).length).toBeGreaterThanOrEqual(5);
    const before = await counts();
    const auditBefore = (await f.app.alerts.audit()).filter((a) => a.action === 'refused').length;
    const failures: string[] = [];
    const kinds: Record<string, number> = {};
    let refused = 0;
    for (const [i, text] of texts.entries()) {
      // Half as an admin (mutating commands run), half as a member (they are refused and audited),
      // in both languages.
      const ctx: CommandContext = {
        userId: i % 2 ? 'U0ADMIN' : 'U0MEMBER',
        channelId: 'C0GENERAL',
        locale: i % 4 < 2 ? 'en' : 'zh',
        isAdmin: i % 2 === 1,
        now: NOW,
      };
      try {
        const r = await kpi.run(text, ctx);
        kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
        if (r.kind === 'refused') refused++;
        const why = unhelpful(r, ctx);
        if (why) failures.push(`#${i} ${JSON.stringify(text.slice(0, 120))}: ${why}: ${r.text.slice(0, 200)}`);
      } catch (error) {
        failures.push(`#${i} ${JSON.stringify(text.slice(0, 120))}: threw ${(error as Error).message.split('\n')[0]}`);
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
    // The mix reaches every kind of reply, and real answers are a good share of it.
    expect(Object.keys(kinds).sort()).toEqual(['answer', 'error', 'refused', 'usage']);
    // The mix follows the subcommand and KPI lists (more subcommands, more texts that read as one
    // with bad arguments), so the share is asserted, not a count: about 1 in 20 is a real answer.
    expect(kinds.answer! / texts.length).toBeGreaterThan(0.04);
    expect(await counts()).toEqual(before);
    // Every refusal was audited, once.
    expect((await f.app.alerts.audit()).filter((a) => a.action === 'refused').length - auditBefore).toBe(refused);
  });

  it('reads at most MAX_COMMAND_TEXT characters: a 100 kB text parses as its first 4,000', () => {
    const env = { kpis: f.app.kpis.all, calendar: f.app.calendar, now: NOW, locale: 'en' as const };
    const long = `won_revenue 2024-03 by ${'x'.repeat(100_000)}`;
    const parsed = parseCommand(long, env);
    expect(parsed.ok).toBe(false);
    // The dimension word is quoted back clipped, whatever its length.
    if (!parsed.ok) expect(parsed.problem).toMatchObject({ kind: 'bad_dimension', word: `${'x'.repeat(79)}…` });
    expect(MAX_COMMAND_TEXT).toBe(4000);
    // What follows the cap is never read: the same text with anything after it parses the same.
    const cut = long.slice(0, MAX_COMMAND_TEXT);
    expect(parseCommand(`${cut}${'\u0000'.repeat(50_000)} post`, env)).toEqual(parseCommand(cut, env));
  });
});
