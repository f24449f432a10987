import type { KpiDefinition } from '../domain/kpi.ts';
import type { CommandName } from './command.ts';
import { kpiNameMatch } from './kpi-names.ts';

/** The words that name each subcommand, in English and Chinese. */
export const COMMAND_WORDS: ReadonlyMap<string, CommandName> = new Map<string, CommandName>([
  ['help', 'help'],
  ['?', 'help'],
  ['帮助', 'help'],
  ['list', 'list'],
  ['ls', 'list'],
  ['列表', 'list'],
  ['kpi', 'kpi'],
  ['chart', 'chart'],
  ['图表', 'chart'],
  ['why', 'why'],
  ['为什么', 'why'],
  ['原因', 'why'],
  ['alerts', 'alerts'],
  ['alert', 'alerts'],
  ['告警', 'alerts'],
  ['警报', 'alerts'],
  ['ack', 'ack'],
  ['acknowledge', 'ack'],
  ['确认', 'ack'],
  ['silence', 'silence'],
  ['mute', 'silence'],
  ['静默', 'silence'],
  ['snooze', 'snooze'],
  ['暂停提醒', 'snooze'],
  ['稍后提醒', 'snooze'],
  ['segments', 'segments'],
  ['rfm', 'segments'],
  ['客户分群', 'segments'],
  ['分群', 'segments'],
  ['cohorts', 'cohorts'],
  ['同期群', 'cohorts'],
  ['clv_predicted', 'clv_predicted'],
  ['predicted_clv', 'clv_predicted'],
  ['predicted-clv', 'clv_predicted'],
  ['预测终身价值', 'clv_predicted'],
  ['预测客户终身价值', 'clv_predicted'],
  ['customers', 'at_risk'],
  ['at-risk', 'at_risk'],
  ['at_risk', 'at_risk'],
  ['customers_at_risk', 'at_risk'],
  ['流失风险客户', 'at_risk'],
  ['流失风险', 'at_risk'],
  ['风险客户', 'at_risk'],
  ['scorecard', 'scorecard'],
  ['计分卡', 'scorecard'],
  ['记分卡', 'scorecard'],
  ['平衡计分卡', 'scorecard'],
  ['target', 'target'],
  ['目标', 'target'],
  ['subscribe', 'subscribe'],
  ['订阅', 'subscribe'],
  ['unsubscribe', 'unsubscribe'],
  ['取消订阅', 'unsubscribe'],
  ['digest', 'digest'],
  ['周报', 'digest'],
  ['摘要', 'digest'],
  ['status', 'status'],
  ['状态', 'status'],
  ['forecast', 'forecast'],
  ['预测', 'forecast'],
]);

/** Words for the dimensions besides their own names: Chinese, plurals and synonyms. */
export const DIMENSION_WORDS: ReadonlyMap<string, string> = new Map([
  ['区域', 'region'],
  ['地区', 'region'],
  ['大区', 'region'],
  ['regions', 'region'],
  ['负责人', 'owner'],
  ['销售', 'owner'],
  ['销售员', 'owner'],
  ['owners', 'owner'],
  ['rep', 'owner'],
  ['reps', 'owner'],
  ['经理', 'manager'],
  ['managers', 'manager'],
  ['办公室', 'office'],
  ['offices', 'office'],
  ['产品', 'product'],
  ['products', 'product'],
  ['行业', 'sector'],
  ['sectors', 'sector'],
  ['industry', 'sector'],
  ['国家', 'country'],
  ['countries', 'country'],
  ['阶段', 'stage'],
  ['stages', 'stage'],
  ['类别', 'category'],
  ['categories', 'category'],
  ['渠道', 'channel'],
  ['channels', 'channel'],
  ['优先级', 'priority'],
  ['客户分群', 'segment'],
  ['分群', 'segment'],
  ['segments', 'segment'],
  ['客户', 'customer'],
  ['customers', 'customer'],
  ['类型', 'kind'],
  ['营销活动', 'campaign'],
  ['活动', 'campaign'],
  ['campaigns', 'campaign'],
]);

/** `by`: before a dimension. */
export const BY_WORDS: ReadonlySet<string> = new Set(['by', '按']);
/** `as of`'s Chinese form; the English one is two words. */
export const AS_OF_WORDS: ReadonlySet<string> = new Set(['截至']);
/** Before a target's deadline. */
export const DEADLINE_WORDS: ReadonlySet<string> = new Set(['by', '到', '截止', '截至', 'before']);
/** A last word that posts the answer in the channel. */
export const POST_WORDS: ReadonlySet<string> = new Set(['post', '发布', '公开']);
/** `digest preview`. */
export const PREVIEW_WORDS: ReadonlySet<string> = new Set(['preview', '预览']);
/** `digest for <manager>`: whose team's digest. */
export const FOR_WORDS: ReadonlySet<string> = new Set(['for', '给', '经理']);

/** Chinese keywords that people type glued to the next word (`按区域`, `截至2017-06-30`). */
export const GLUED_WORDS: readonly string[] = ['按', '截至', '到'];

/**
 * The key of the KPI a word names unambiguously: its key (any case), a title, or a common name in
 * English or Chinese (`winrate`, `revenue`, `满意度`); see kpiNameMatch.
 * @example kpiKeyOf('赢单率', registry.all) // 'win_rate'
 */
export function kpiKeyOf(word: string, kpis: readonly KpiDefinition[]): string | undefined {
  const match = kpiNameMatch(word, kpis);
  return match && 'key' in match ? match.key : undefined;
}

const CJK = /[\u3400-\u9fff]/;

/**
 * Splits a word that starts with one of the Chinese `words` into that word and the rest (`为什么赢单率` →
 * `为什么`, `赢单率`): Chinese is written without spaces. The longest prefix wins.
 */
export function splitPrefix(token: string, words: Iterable<string>): [string, string] | undefined {
  let best: string | undefined;
  for (const w of words) if (CJK.test(w) && w.length < token.length && token.startsWith(w) && (!best || w.length > best.length)) best = w;
  return best === undefined ? undefined : [best, token.slice(best.length)];
}
