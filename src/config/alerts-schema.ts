import { z } from 'zod';
import { DURATION_PATTERN } from '../lib/duration.ts';

const duration = z.string().regex(DURATION_PATTERN, 'write a duration as a number and a unit: 30m, 4h, 1d, 2w');
const isoDate = z.iso.date('must be a date like 2017-12-31');
const band = z.tuple([z.number(), z.number()]).refine(([lo, hi]) => lo < hi, { message: 'write a band as [low, high] with low < high' });

/**
 * The levels of one condition: a number alone is the warning level. `recover` is the level a firing
 * series must get back past to count as recovered (hysteresis); it defaults to the warning level.
 */
function levels<T extends z.ZodType>(value: T) {
  return z.union([
    value,
    z
      .strictObject({
        warning: value.optional().describe('fires as a warning past this level'),
        critical: value.optional().describe('fires as critical past this level'),
        recover: value.optional().describe('a firing alert recovers only back past this level (default: the warning level)'),
      })
      .refine((l) => l.warning !== undefined || l.critical !== undefined, { message: "needs 'warning:' or 'critical:' (or both)" }),
  ]);
}

const thresholdCondition = z
  .strictObject({
    type: z.literal('threshold'),
    above: levels(z.number()).optional().describe('fires when the value is above'),
    below: levels(z.number()).optional().describe('fires when the value is below'),
    outside: levels(band).optional().describe('fires when the value leaves the band [low, high]'),
  })
  .refine((c) => [c.above, c.below, c.outside].filter((x) => x !== undefined).length === 1, {
    message: "a threshold needs exactly one of 'above:', 'below:' or 'outside:'",
  });

const changeCondition = z
  .strictObject({
    type: z.literal('change'),
    vs: z.enum(['previous', 'last_year']).default('previous').describe('the previous period, or the same period last year'),
    measure: z.enum(['percent', 'absolute']).default('percent').describe('percent: relative to the earlier value; absolute: in the KPI unit'),
    drop: levels(z.number().positive()).optional().describe('fires when the value fell by at least this much'),
    rise: levels(z.number().positive()).optional().describe('fires when the value rose by at least this much'),
    move: levels(z.number().positive()).optional().describe('fires when the value moved either way by at least this much'),
  })
  .refine((c) => [c.drop, c.rise, c.move].filter((x) => x !== undefined).length === 1, {
    message: "a change needs exactly one of 'drop:', 'rise:' or 'move:'",
  });

const targetPaceCondition = z.strictObject({
  type: z.literal('target_pace'),
  shortfall: levels(z.number().min(0)).default(0).describe('percent of the target the value projected at the deadline may miss by before firing'),
});

const anomalyCondition = z.strictObject({
  type: z.literal('anomaly'),
  window: z.number().int().min(4).max(104).default(12).describe('trailing periods in the baseline'),
  seasonality: z
    .enum(['none', 'weekly', 'monthly'])
    .default('none')
    .describe('day grain only: compare with the same weekday (weekly) or the same day of the month (monthly)'),
  sensitivity: levels(z.number().positive()).default(3.5).describe('robust z-score (median/MAD) past which a value is anomalous'),
  direction: z.enum(['bad', 'up', 'down', 'both']).default('bad').describe("bad: only the KPI's bad direction"),
});

const forecastCondition = z.strictObject({
  type: z.literal('forecast'),
  interval: levels(
    z
      .number()
      .min(50, 'an interval is a coverage in percent from 50 to 99.9, e.g. 95')
      .max(99.9, 'an interval is a coverage in percent from 50 to 99.9, e.g. 95'),
  )
    .default(95)
    .describe("fires when the value falls outside the forecast's prediction interval of this coverage in percent (e.g. warning: 80, critical: 95)"),
  direction: z.enum(['bad', 'up', 'down', 'both']).default('bad').describe("bad: only the KPI's bad direction"),
});

const forecastTargetCondition = z.strictObject({
  type: z.literal('forecast_target'),
  shortfall: levels(z.number().min(0)).default(0).describe('percent of the target the forecast for the deadline period may miss by before firing'),
  likelihood: z
    .number()
    .min(0, 'likelihood is a probability from 0 to 1, e.g. 0.7 for 70%')
    .max(1, 'likelihood is a probability from 0 to 1, e.g. 0.7 for 70%')
    .default(0)
    .describe('fires only when the probability of missing the target is at least this (0–1)'),
});

/** One condition of a rule. */
export const conditionSchema = z.discriminatedUnion('type', [
  thresholdCondition,
  changeCondition,
  targetPaceCondition,
  anomalyCondition,
  forecastCondition,
  forecastTargetCondition,
]);

/** One alert rule on one KPI. */
export const ruleSchema = z.strictObject({
  kpi: z.string().describe('the KPI key'),
  grain: z.enum(['day', 'week', 'month', 'quarter', 'year']).default('month'),
  period: z.enum(['complete', 'current']).default('complete').describe('complete: judge the last finished period; current: the period still running'),
  by: z.string().optional().describe('one alert per value of this dimension, e.g. region'),
  match: z.enum(['any', 'all']).default('any').describe('fire when any condition holds, or only when all do'),
  conditions: z.array(conditionSchema).min(1),
  min_volume: z
    .strictObject({
      metric: z.string().describe("one of the KPI's metrics, e.g. answers"),
      at_least: z.number().min(0),
    })
    .optional()
    .describe('below this many records a series has no data instead of an alert'),
  for: z.number().int().min(1).default(1).describe('evaluations a breach must last before it fires'),
  recover_for: z.number().int().min(1).default(1).describe('clear evaluations before a firing alert resolves'),
  repeat: duration.optional().describe('remind every this long while firing and not acknowledged'),
  channels: z.array(z.string().min(1)).optional().describe('where it posts; default: alerts.channels'),
  title: z.string().optional().describe('a name people read; default: the rule key'),
});

const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const clockTime = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'write a time as HH:MM, e.g. 08:00');

/** The alerts section of crm-pulse.yaml. */
export const alertsSchema = z.strictObject({
  channels: z.array(z.string().min(1)).default(['#crm-alerts']).describe('default channels of every rule'),
  routes: z
    .array(
      z.strictObject({
        kpi: z.union([z.string(), z.array(z.string())]).optional(),
        rule: z.union([z.string(), z.array(z.string())]).optional(),
        severity: z.enum(['warning', 'critical']).optional(),
        channels: z.array(z.string().min(1)).min(1),
      }),
    )
    .default([])
    .describe('extra channels for alerts that match: by KPI, rule or severity'),
  mentions: z
    .strictObject({ warning: z.string().optional(), critical: z.string().optional() })
    .default({})
    .describe('who is mentioned per severity, e.g. critical: "@here" or a user group "<!subteam^S123>"'),
  owners: z.record(z.string(), z.string()).default({}).describe('CRM owner or manager name → Slack user ID, mentioned on alerts of rules by owner or manager'),
  quiet_hours: z
    .array(
      z.strictObject({
        days: z.array(weekday).optional().describe('default: every day'),
        from: clockTime,
        to: clockTime.describe('may be earlier than from: the window runs past midnight'),
      }),
    )
    .default([])
    .describe('notifications inside these windows (config time zone) are held and sent when the window ends'),
  data_health: z
    .strictObject({
      max_sync_age: duration.optional().describe('a source whose last successful sync is older holds its KPI alerts'),
      sources: z.record(z.string(), duration).default({}).describe('per-source limit, overriding max_sync_age'),
      min_completeness: z.number().min(0).max(1).optional().describe('data_completeness below this (0–1) holds the deal KPI alerts of that period'),
    })
    .default({ sources: {} }),
  annotations: z
    .array(
      z.strictObject({
        from: isoDate,
        to: isoDate,
        kpis: z.array(z.string()).optional().describe('default: every KPI'),
        note: z.string().min(1).describe('what was expected: a campaign, a holiday'),
      }),
    )
    .default([])
    .describe('periods marked as expected: anomaly baselines leave them out and anomaly and change conditions do not fire in them'),
  rules: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/, 'rule keys are lower-case letters, digits, - and _'), ruleSchema).default({}),
});

/** The validated alerts section. */
export type AlertsConfig = z.output<typeof alertsSchema>;
/** One validated rule. */
export type RuleConfig = z.output<typeof ruleSchema>;
/** One validated condition. */
export type ConditionConfig = z.output<typeof conditionSchema>;
/** The levels of one condition, normalised. */
export type LevelsConfig<T> = T | { warning?: T | undefined; critical?: T | undefined; recover?: T | undefined };
