// The words of the predictive CLV subcommands, in English and Chinese, and the help that lists them.
import { describe, expect, it } from 'vitest';
import { parseCommand, type ParseEnv } from '../../src/answers/parse-command.ts';
import { helpReply } from '../../src/answers/usage-reply.ts';
import type { Calendar } from '../../src/domain/period.ts';
import { kpiRegistry } from '../../src/kpi/kpi-registry.ts';

const calendar: Calendar = { timeZone: 'Europe/London', fiscalYearStartMonth: 1 };
const now = new Date('2011-12-09T12:50:00Z');
const env: ParseEnv = { kpis: kpiRegistry().all, calendar, now, locale: 'en' };
/** The last instant of a London day in winter (UTC+0). */
const endOf = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000 - 1);

function command(text: string, e = env) {
  const r = parseCommand(text, e);
  if (!r.ok) throw new Error(`expected ${text} to parse: ${r.reply.text}`);
  return r.command;
}

describe('parsing the CLV subcommands', () => {
  it('reads customers at risk with and without a date, in both languages', () => {
    expect(command('customers at risk')).toEqual({ name: 'at_risk', asOf: now });
    expect(command('/kpi customers at risk as of 2011-11-30')).toEqual({ name: 'at_risk', asOf: endOf('2011-11-30') });
    expect(command('at-risk')).toEqual({ name: 'at_risk', asOf: now });
    expect(command('流失风险客户', { ...env, locale: 'zh' })).toEqual({ name: 'at_risk', asOf: now });
    expect(command('流失风险客户截至2011-11-30', { ...env, locale: 'zh' })).toEqual({ name: 'at_risk', asOf: endOf('2011-11-30') });
  });

  it('reads clv_predicted and its Chinese name, and leaves the clv KPI alone', () => {
    expect(command('clv_predicted')).toEqual({ name: 'clv_predicted', asOf: now });
    expect(command('预测终身价值 截至 2011-11-30', { ...env, locale: 'zh' })).toEqual({ name: 'clv_predicted', asOf: endOf('2011-11-30') });
    expect(command('clv')).toMatchObject({ name: 'kpi', kpi: 'clv' });
  });

  it('says what is wrong with extra words', () => {
    const r = parseCommand('customers at risk tomorrowish', env);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reply.blocks.some((b) => b.kind === 'header' && b.text === '/kpi customers at risk [as of <date>]')).toBe(true);
  });

  it('lists both in the help, in both languages', () => {
    const en = JSON.stringify(helpReply(undefined, 'en'));
    expect(en).toContain('/kpi customers at risk [as of <date>]');
    expect(en).toContain('/kpi clv_predicted [as of <date>]');
    const zh = JSON.stringify(helpReply(undefined, 'zh'));
    expect(zh).toContain('/kpi 流失风险客户 [截至 <日期>]');
    expect(zh).toContain('/kpi 预测终身价值 [截至 <日期>]');
  });
});
