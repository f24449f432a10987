import { CrmPulseError } from '../lib/errors.ts';

/** A time-bound (SMART) target and the KPI readings to judge it by. */
export interface TargetProgressInput {
  /** 'higher': the target is met at or above it; 'lower': at or below it */
  direction: 'higher' | 'lower';
  /** the reading when the target was set */
  start: { at: Date; value: number };
  /** the latest reading */
  current: { at: Date; value: number };
  target: number;
  deadline: Date;
  /** passed in so tests and backtests can pin the clock */
  now: Date;
}

/** How far a KPI has come towards its target, and whether its pace reaches it in time. */
export interface TargetProgress {
  /** share of the way from the start value to the target: 0 = not moved (or moved away), 1 = met, above 1 = beaten */
  progress: number;
  /** the value at the deadline if the pace from start to current continues; null without elapsed time */
  projected: number | null;
  /** met already, or projected to meet the target by the deadline */
  onTrack: boolean;
  /** days from now to the deadline, fractional, 0 once it has passed */
  daysLeft: number;
  /** change per day needed from now to meet the target; 0 when met, null when the deadline has passed */
  requiredPacePerDay: number | null;
}

const DAY_MS = 86_400_000;

/**
 * Measures progress towards a target:
 * - progress = (current − start) / (target − start), floored at 0. When the start already met the
 *   target (there was no way to go), progress is 1 while the target stays met and 0 once lost.
 * - pace = (current − start) / days(start.at → current.at); projected = current + pace ·
 *   days(current.at → deadline), the straight line through both readings evaluated at the deadline.
 *   With no time between the readings there is no pace, so projected is null.
 * - onTrack: true when the current value meets the target; otherwise false once the deadline has
 *   passed or without a pace, else whether the projected value meets the target.
 * - requiredPacePerDay = (target − current) / daysLeft, signed like the change needed: 0 when met,
 *   null after the deadline, when no pace can reach the target any more.
 *
 * @example
 * // 6 up in 30 days is 0.2 a day; 80 more days at that pace reach 26 + 16 = 42.
 * targetProgress({ direction: 'higher', start: { at: jan1, value: 20 }, current: { at: jan31, value: 26 },
 *   target: 40, deadline: apr21, now: jan31 });
 * // { progress: 0.3, projected: 42, onTrack: true, daysLeft: 80, requiredPacePerDay: 0.175 }
 */
export function targetProgress(input: TargetProgressInput, where = 'target'): TargetProgress {
  validate(input, where);
  const { direction, start, current, target, deadline, now } = input;
  const meets = (value: number) => (direction === 'higher' ? value >= target : value <= target);
  const met = meets(current.value);

  const gap = target - start.value;
  const hadWayToGo = direction === 'higher' ? gap > 0 : gap < 0;
  const progress = hadWayToGo ? Math.max(0, (current.value - start.value) / gap) : met ? 1 : 0;

  const elapsedDays = (current.at.getTime() - start.at.getTime()) / DAY_MS;
  const pace = elapsedDays > 0 ? (current.value - start.value) / elapsedDays : null;
  const projected = pace === null ? null : current.value + (pace * (deadline.getTime() - current.at.getTime())) / DAY_MS;

  const daysLeft = Math.max(0, (deadline.getTime() - now.getTime()) / DAY_MS);
  const passed = daysLeft === 0;
  const requiredPacePerDay = met ? 0 : passed ? null : (target - current.value) / daysLeft;
  const onTrack = met || (!passed && projected !== null && meets(projected));
  return { progress, projected, onTrack, daysLeft, requiredPacePerDay };
}

function validate(input: TargetProgressInput, where: string): void {
  const fail = (message: string): never => {
    throw new CrmPulseError('input', `[kpi] ${where}: ${message}`);
  };
  const numbers: [string, number][] = [
    ['start.value', input.start.value],
    ['current.value', input.current.value],
    ['target', input.target],
  ];
  for (const [name, value] of numbers) if (!Number.isFinite(value)) fail(`${name} is ${value}; it must be a finite number`);
  const dates: [string, Date][] = [
    ['start.at', input.start.at],
    ['current.at', input.current.at],
    ['deadline', input.deadline],
    ['now', input.now],
  ];
  for (const [name, date] of dates) if (!(date instanceof Date) || Number.isNaN(date.getTime())) fail(`${name} is not a valid date`);
  // A latest reading older than the first one means the two were swapped; a pace from it would be backwards.
  if (input.current.at < input.start.at) {
    fail(`current.at (${input.current.at.toISOString()}) is before start.at (${input.start.at.toISOString()}); pass the readings in time order`);
  }
}
