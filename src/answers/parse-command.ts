import type { KpiDefinition } from '../domain/kpi.ts';
import type { Calendar } from '../domain/period.ts';
import { closestMatch } from '../lib/closest-match.ts';
import { periodContaining } from '../kpi/periods.ts';
import { COMMAND_NAMES, type Command, type CommandName } from './command.ts';
import { COMMAND_WORDS, DEADLINE_WORDS, kpiKeyOf, POST_WORDS, PREVIEW_WORDS, FOR_WORDS, splitPrefix } from './command-words.ts';
import type { ParseProblem } from './messages.ts';
import { endOf, isPeriodText, joinKpiName, kpiNamed, namesKpi, parseAsOf, parseKpiQuery, period, periodFirst } from './parse-kpi-query.ts';
import { parseForecast } from './parse-forecast.ts';
import { ParseError } from './parse-problem.ts';
import { alertIdOf, channelOf, parseDurationText, parseTargetValue } from './parse-values.ts';
import type { Reply } from './reply.ts';
import type { Locale } from '../domain/locale.ts';
import { usageReply } from './usage-reply.ts';
import { safeSlice } from '../lib/safe-slice.ts';

/** What commands are read against: the KPIs in force, the calendar, the caller's now and language. */
export interface ParseEnv {
  readonly kpis: readonly KpiDefinition[];
  readonly calendar: Calendar;
  readonly now: Date;
  readonly locale: Locale;
}

/** A parsed command, or what is wrong with the text and the usage reply that says so. */
export type ParseResult =
  | { readonly ok: true; readonly command: Command; readonly post: boolean }
  | { readonly ok: false; readonly problem: ParseProblem; readonly topic: CommandName; readonly reply: Reply };

/** The longest /kpi text read; Slack's own limit on a slash command's text is far below. */
export const MAX_COMMAND_TEXT = 4000;

/**
 * Reads the text of a /kpi command (with or without the leading `/kpi`), in English or
 * Simplified Chinese, into a typed command. A trailing `post` (`发布`) asks for the answer in
 * the channel. A mistyped subcommand or KPI gets a suggestion and the help of the subcommand.
 * @example parseCommand('why won_revenue last month post', env) // { ok: true, command: { name: 'why', kpi: 'won_revenue', … }, post: true }
 */
export function parseCommand(text: string, env: ParseEnv): ParseResult {
  try {
    const tokens = tokenize(safeSlice(text, MAX_COMMAND_TEXT));
    const post = tokens.length > 0 && POST_WORDS.has(tokens.at(-1)!.toLowerCase());
    return { ok: true, command: commandOf(post ? tokens.slice(0, -1) : tokens, env), post };
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    const problem = clipped(error.problem);
    return { ok: false, problem, topic: error.topic, reply: usageReply(problem, error.topic, env.locale) };
  }
}

/** A problem whose quoted words are cut to a length a message can show. */
function clipped(problem: ParseProblem): ParseProblem {
  const clip = (v: unknown) => (typeof v === 'string' && v.length > MAX_QUOTED ? `${safeSlice(v, MAX_QUOTED - 1)}…` : v);
  return Object.fromEntries(Object.entries(problem).map(([k, v]) => [k, clip(v)])) as ParseProblem;
}

/** The rest of `customers at risk`. */
const AT_RISK_WORDS = ['at', 'risk'];

/** The longest word or phrase a usage message quotes back. */
const MAX_QUOTED = 80;

function tokenize(text: string): string[] {
  const t = text
    .normalize('NFKC')
    .trim()
    .replace(/^\/kpi(?=\s|$)/i, '')
    .trim();
  return t === '' ? [] : t.split(/\s+/);
}

/** Subcommands whose first argument is a KPI, which may be a name of several words. */
const KPI_FIRST: ReadonlySet<CommandName> = new Set(['kpi', 'chart', 'why', 'target', 'silence', 'help']);

/**
 * The tokens with a KPI name of several words joined into its key where a KPI is expected: first,
 * after a subcommand that takes one, or after a period that opens the question (`last month Won
 * revenue`). Elsewhere (a silence's reason, a digest's manager) words are left as typed.
 */
function withKpiNames(tokens: readonly string[], env: ParseEnv): readonly string[] {
  const command = COMMAND_WORDS.get(tokens[0]!.toLowerCase());
  if (command === undefined) return joinAfterPeriod(tokens, env, 'kpi');
  return KPI_FIRST.has(command) ? [tokens[0]!, ...joinAfterPeriod(tokens.slice(1), env, command)] : tokens;
}

function joinAfterPeriod(tokens: readonly string[], env: ParseEnv, topic: CommandName): readonly string[] {
  const joined = joinKpiName(tokens, 0, env.kpis, topic);
  if (joined !== tokens || topic === 'target' || topic === 'silence' || topic === 'help') return joined;
  for (let n = Math.min(3, tokens.length - 1); n >= 1; n--) {
    if (isPeriodText(tokens.slice(0, n).join(' '), env)) return joinKpiName(tokens, n, env.kpis, topic);
  }
  return tokens;
}

function commandOf(typed: readonly string[], env: ParseEnv): Command {
  if (typed.length === 0) return { name: 'help', topic: undefined };
  const tokens = withKpiNames(typed, env);
  let [first, ...rest] = tokens as [string, ...string[]];
  let name = COMMAND_WORDS.get(first.toLowerCase());
  if (!name && !kpiKeyOf(first, env.kpis)) {
    // Chinese is typed without spaces: 为什么赢单率上月.
    const split = splitPrefix(first, COMMAND_WORDS.keys());
    if (split) [first, rest, name] = [split[0], [split[1], ...rest], COMMAND_WORDS.get(split[0])];
  }
  if (!name) {
    if (namesKpi(first, env.kpis)) return { name: 'kpi', ...parseKpiQuery([first, ...rest], env, 'kpi') };
    // `last month win_rate`, `上月 赢单率`: the period first. A word after it that is no KPI gets the suggestion.
    const reordered = periodFirst([first, ...rest], env);
    if (!reordered && isPeriodText([first, ...rest].join(' '), env)) throw new ParseError({ kind: 'missing', what: 'kpi' }, 'kpi');
    if (reordered && namesKpi(reordered[0]!, env.kpis)) return { name: 'kpi', ...parseKpiQuery(reordered, env, 'kpi') };
    throw unknownWord(reordered?.[0] ?? first, env.kpis);
  }
  switch (name) {
    case 'help':
      return { name, topic: topicOf(rest[0], env.kpis) };
    case 'kpi':
    case 'chart':
    case 'why':
      return { name, ...parseKpiQuery(rest, env, name) };
    case 'list':
    case 'segments':
    case 'cohorts':
    case 'scorecard':
    case 'clv_predicted':
      return { name, asOf: parseAsOf(rest, env, name) };
    case 'at_risk':
      // `customers at risk [as of …]`: the two words after `customers` are part of the name.
      return { name, asOf: parseAsOf(AT_RISK_WORDS.some((w, i) => rest[i]?.toLowerCase() === w) ? rest.slice(AT_RISK_WORDS.length) : rest, env, name) };
    case 'alerts':
    case 'status':
      nothingMore(rest, name);
      return { name };
    case 'ack': {
      const episode = alertId(rest[0], name);
      nothingMore(rest.slice(1), name);
      return { name, episode };
    }
    case 'silence':
      return silenceOf(rest, env);
    case 'snooze':
      return snoozeOf(rest);
    case 'target':
      return targetOf(rest, env);
    case 'forecast':
      return parseForecast(rest, env);
    case 'subscribe':
    case 'unsubscribe':
      return subscriptionOf(name, rest, env);
    case 'digest': {
      const preview = rest[0] !== undefined && PREVIEW_WORDS.has(rest[0].toLowerCase());
      const after = rest.slice(preview ? 1 : 0);
      // `for <manager>`: the words after it are the manager's name, spaces and all.
      if (after[0] !== undefined && FOR_WORDS.has(after[0].toLowerCase())) {
        if (after.length < 2) throw new ParseError({ kind: 'missing', what: 'subject' }, name);
        return { name, preview, manager: after.slice(1).join(' ') };
      }
      nothingMore(after, name);
      return { name, preview };
    }
  }
}

function unknownWord(word: string, kpis: readonly KpiDefinition[]): ParseError {
  const commands = [...COMMAND_WORDS.keys()].filter((w) => w !== '?');
  const suggestion = closestMatch(word, [...commands, ...kpis.flatMap((k) => (k.title_zh === undefined ? [k.key] : [k.key, k.title_zh]))]);
  const topic: CommandName = suggestion === undefined ? 'help' : (COMMAND_WORDS.get(suggestion) ?? 'kpi');
  return new ParseError({ kind: 'unknown_word', word, suggestion }, topic);
}

function topicOf(word: string | undefined, kpis: readonly KpiDefinition[]): CommandName | undefined {
  if (word === undefined) return undefined;
  const name = COMMAND_WORDS.get(word.toLowerCase()) ?? (COMMAND_NAMES as readonly string[]).find((n) => n === word.toLowerCase());
  return (name as CommandName | undefined) ?? (kpiKeyOf(word, kpis) ? 'kpi' : undefined);
}

function nothingMore(rest: readonly string[], topic: CommandName): void {
  if (rest.length) throw new ParseError({ kind: 'unexpected', words: rest.join(' ') }, topic);
}

function alertId(word: string | undefined, topic: CommandName): number {
  if (word === undefined) throw new ParseError({ kind: 'missing', what: 'alert' }, topic);
  const id = alertIdOf(word);
  if (id === undefined) throw new ParseError({ kind: 'bad_alert_id', word }, topic);
  return id;
}

function silenceOf(rest: readonly string[], env: ParseEnv): Command {
  const [subject, ...more] = rest;
  if (subject === undefined) throw new ParseError({ kind: 'missing', what: 'subject' }, 'silence');
  const episode = alertIdOf(subject);
  const target = episode !== undefined ? { episode } : { kpi: kpiNamed(subject, env.kpis, 'silence').key };
  if (more[0] === undefined) throw new ParseError({ kind: 'missing', what: 'duration' }, 'silence');
  // "4h", or "4 hours" as two words
  let duration = parseDurationText(more[0]);
  let used = 1;
  if (!duration && more[1] !== undefined && /^\d/.test(more[0])) {
    duration = parseDurationText(`${more[0]} ${more[1]}`);
    used = 2;
  }
  if (!duration) throw new ParseError({ kind: 'bad_duration', word: more[0] }, 'silence');
  const reason = more.slice(used).join(' ').trim();
  return { name: 'silence', target, durationMs: duration.ms, duration: duration.text, reason: reason || undefined };
}

function targetOf(rest: readonly string[], env: ParseEnv): Command {
  const [word, value, ...more] = rest;
  if (word === undefined) throw new ParseError({ kind: 'missing', what: 'kpi' }, 'target');
  const kpi = kpiNamed(word, env.kpis, 'target');
  if (value === undefined) throw new ParseError({ kind: 'missing', what: 'value' }, 'target');
  const percent = kpi.unit === 'percent';
  const n = parseTargetValue(value, percent);
  if (n === undefined) throw new ParseError({ kind: 'bad_value', word: value, percent }, 'target');
  // "by 2018-03-31", "到 2018-03-31", "到2018-03-31"
  const words = more.flatMap((w) => splitPrefix(w, DEADLINE_WORDS) ?? [w]);
  const dateWords = words[0] !== undefined && DEADLINE_WORDS.has(words[0].toLowerCase()) ? words.slice(1) : words;
  if (dateWords.length === 0) throw new ParseError({ kind: 'missing', what: 'deadline' }, 'target');
  const deadline = period(dateWords.join(' '), env.now, env.calendar, 'target');
  const by = periodContaining(endOf(deadline), 'day', env.calendar).label;
  if (deadline.end.getTime() <= env.now.getTime()) throw new ParseError({ kind: 'past_deadline', date: by }, 'target');
  const latest = new Date(env.now.getTime());
  latest.setUTCFullYear(latest.getUTCFullYear() + MAX_TARGET_YEARS);
  if (deadline.start.getTime() > latest.getTime())
    throw new ParseError({ kind: 'far_deadline', date: by, latest: periodContaining(latest, 'day', env.calendar).label }, 'target');
  return { name: 'target', kpi: kpi.key, value: n, by };
}

/** How far ahead a target's deadline may be: further is no plan a KPI can be measured against. */
const MAX_TARGET_YEARS = 10;

/** The words that snooze an alert until the next successful data sync. */
const SYNC_WORDS: ReadonlySet<string> = new Set(['sync', 'next-sync', '同步', '下次同步']);

function snoozeOf(rest: readonly string[]): Command {
  const episode = alertId(rest[0], 'snooze');
  const word = rest[1];
  if (word === undefined) throw new ParseError({ kind: 'missing', what: 'duration' }, 'snooze');
  nothingMore(rest.slice(2), 'snooze');
  if (SYNC_WORDS.has(word.toLowerCase())) return { name: 'snooze', episode, until: 'sync' };
  const duration = parseDurationText(word);
  if (!duration) throw new ParseError({ kind: 'bad_duration', word }, 'snooze');
  return { name: 'snooze', episode, until: duration };
}

function subscriptionOf(name: 'subscribe' | 'unsubscribe', rest: readonly string[], env: ParseEnv): Command {
  const [word, ...more] = rest;
  if (word === undefined) throw new ParseError({ kind: 'missing', what: 'channel' }, name);
  const channel = channelOf(word);
  if (channel === undefined) throw new ParseError({ kind: 'bad_channel', word }, name);
  const words = more.flatMap((w) => w.split(/[,、]/)).filter((w) => w !== '');
  if (words.length === 0) throw new ParseError({ kind: 'missing', what: 'kpis' }, name);
  const kpis = [...new Set(words.map((w) => kpiNamed(w, env.kpis, name).key))];
  return { name, channel, kpis };
}
