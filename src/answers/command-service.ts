import { CrmPulseError } from '../lib/errors.ts';
import { answerAck, answerAlerts, answerSilence, answerSnooze } from './answer-alerts.ts';
import { answerDigest } from './answer-digest.ts';
import { answerForecast } from './answer-forecast.ts';
import { answerCohorts, answerScorecard, answerSegments } from './answer-analysis.ts';
import { answerAtRisk, answerClvPredicted } from './answer-clv.ts';
import { answerSubscription, answerTarget, refuse } from './answer-admin.ts';
import { answerKpi } from './answer-kpi.ts';
import { answerList } from './answer-list.ts';
import { answerStatus } from './answer-status.ts';
import { answerWhy } from './answer-why.ts';
import { ADMIN_COMMANDS, type Command, type CommandName } from './command.ts';
import type { CommandDeps, CommandOptions } from './command-deps.ts';
import { messages } from './messages.ts';
import { parseCommand } from './parse-command.ts';
import { kpiSuggestion } from './parse-kpi-query.ts';
import { parsePeriodText } from './parse-period-text.ts';
import { kpiDimensions } from '../kpi/kpi-dimensions.ts';
import type { Period } from '../domain/period.ts';
import { answerReply, errorReply } from './reply-of.ts';
import { fitReply } from './reply-limits.ts';
import type { CommandContext, Reply } from './reply.ts';
import { helpReply } from './usage-reply.ts';

/** Answers /kpi commands; Slack's listener and local mode's prompt both call it. */
export interface CommandService {
  /** the answer to the text of a /kpi command (with or without the leading `/kpi`) */
  run(text: string, ctx: CommandContext): Promise<Reply>;
  /**
   * The answer to a command already read, e.g. from a button or a modal: the same admin check,
   * audit and answers as `run`. `asked` is what the audit log records of the request.
   */
  execute(command: Command, ctx: CommandContext, asked: string, post?: boolean): Promise<Reply>;
  /** the audited refusal when `ctx`'s user may not run `name` (a mutating command, not an admin), else undefined */
  refusal(name: CommandName, ctx: CommandContext, asked: string): Promise<Reply | undefined>;
  /**
   * What an answer depends on, for answers that read and depend only on the command as parsed
   * (KPI, period, dimension, as-of), the language and the stored data: `kpi` and `chart`. Undefined
   * for every other command (they write, list live state or answer per user).
   */
  answerKey(text: string, ctx: Pick<CommandContext, 'locale' | 'now'>): string | undefined;
  /**
   * The answer to an alert card's Why? button: its KPI, the period it judged (a label) and its
   * dimension, read as values, not as command text. A KPI the config no longer has is an error
   * reply; a dimension the KPI no longer splits by is left out.
   */
  explain(target: WhyTarget, ctx: CommandContext): Promise<Reply>;
}

/** What a card's Why? button asks about. */
export interface WhyTarget {
  readonly kpi: string;
  /** a period label, e.g. 2024-06 or 2024-W23; none: the current month */
  readonly period?: string | undefined;
  readonly by?: string | undefined;
}

/** Commands whose answer depends only on the parsed command, the language and the stored data. */
const KEYED_ANSWERS: ReadonlySet<CommandName> = new Set(['kpi', 'chart']);

/**
 * The /kpi command service: parses the text, refuses mutating commands to non-admins (audited),
 * answers through the app's KPI, alert and analysis services, and fits the reply to Slack's
 * limits. Usage mistakes and errors the caller can act on are replies, not exceptions.
 * @example
 * const kpi = commandService(app);
 * const reply = await kpi.run('why won_revenue last month', { userId: 'U0123', locale: 'en', isAdmin: false, now: await app.asOf() });
 */
export function commandService(deps: CommandDeps, options: CommandOptions = {}): CommandService {
  const service: CommandService = {
    async run(text, ctx) {
      const parsed = parseCommand(text, { kpis: deps.kpis.all, calendar: deps.calendar, now: ctx.now, locale: ctx.locale });
      if (!parsed.ok) return parsed.reply;
      return service.execute(parsed.command, ctx, text, parsed.post);
    },
    answerKey(text, ctx) {
      const parsed = parseCommand(text, { kpis: deps.kpis.all, calendar: deps.calendar, now: ctx.now, locale: ctx.locale });
      if (!parsed.ok || !KEYED_ANSWERS.has(parsed.command.name)) return undefined;
      return JSON.stringify({ command: parsed.command, post: parsed.post, locale: ctx.locale });
    },
    async explain(target, ctx) {
      const m = messages(ctx.locale);
      const kpi = deps.kpis.all.find((k) => k.key === target.kpi);
      if (!kpi) return errorReply(m.problem({ kind: 'unknown_kpi', word: target.kpi, suggestion: kpiSuggestion(target.kpi, deps.kpis.all) }), ctx);
      const asked = ['why', target.kpi, target.period, target.by && `by ${target.by}`].filter(Boolean).join(' ');
      let period: Period | undefined;
      try {
        period = target.period ? parsePeriodText(target.period, ctx.now, deps.calendar) : undefined;
      } catch (error) {
        if (error instanceof CrmPulseError) return errorReply(error.message, ctx);
        throw error;
      }
      const by = target.by !== undefined && kpiDimensions(kpi).includes(target.by) ? target.by : undefined;
      return service.execute({ name: 'why', kpi: kpi.key, period, grain: period?.grain ?? 'month', by, asOf: ctx.now }, ctx, asked);
    },
    async refusal(name, ctx, asked) {
      // The one permission rule, for typed commands, buttons and modals alike.
      return ADMIN_COMMANDS.has(name) && !ctx.isAdmin ? refuse(deps, name, asked, ctx) : undefined;
    },
    async execute(command, ctx, asked, post = false) {
      try {
        const refused = await service.refusal(command.name, ctx, asked);
        if (refused) return refused;
        return { ...fitReply(await answer(deps, options, command, ctx, post), messages(ctx.locale).more), locale: ctx.locale };
      } catch (error) {
        // A usage or data problem found while answering (an unknown episode, a KPI without a
        // scorecard) is for the caller to fix; anything else is a bug and propagates.
        if (error instanceof CrmPulseError && (error.code === 'usage' || error.code === 'input')) return errorReply(error.message, ctx);
        // A database outage is no bug: say so, and the next command works once it is back.
        if (error instanceof CrmPulseError && error.code === 'storage' && error.retryable) return errorReply(messages(ctx.locale).storageUnavailable, ctx);
        throw error;
      }
    },
  };
  return service;
}

async function answer(deps: CommandDeps, options: CommandOptions, c: Command, ctx: CommandContext, post: boolean): Promise<Reply> {
  switch (c.name) {
    case 'help':
      return helpReply(c.topic, ctx.locale);
    case 'list':
      return answerList(deps, c.asOf, ctx, post);
    case 'kpi':
    case 'chart':
      return answerKpi(deps, c, ctx, post, c.name === 'chart');
    case 'why':
      return answerWhy(deps, c, ctx, post);
    case 'alerts':
      return answerAlerts(deps, options, ctx, post);
    case 'ack':
      return answerAck(deps, c.episode, ctx, post);
    case 'silence':
      return answerSilence(deps, c, ctx, post);
    case 'snooze':
      return answerSnooze(deps, c, ctx, post);
    case 'segments':
      return answerSegments(deps, c.asOf, ctx, post);
    case 'cohorts':
      return answerCohorts(deps, c.asOf, ctx, post);
    case 'scorecard':
      return answerScorecard(deps, c.asOf, ctx, post);
    case 'clv_predicted':
      return answerClvPredicted(deps, c.asOf, ctx, post);
    case 'at_risk':
      return answerAtRisk(deps, c.asOf, ctx, post);
    case 'target':
      return answerTarget(deps, c, ctx, post);
    case 'subscribe':
    case 'unsubscribe':
      return answerSubscription(deps, c, ctx, post);
    case 'digest':
      return answerDigest(deps, c, ctx);
    case 'status':
      return answerStatus(deps, ctx, post);
    case 'forecast':
      return answerForecast(deps, c, ctx, post);
  }
}
