import { describe, expect, it } from 'vitest';
import { targetProgress, type TargetProgressInput } from '../../src/kpi/smart-target.ts';
import { CrmPulseError } from '../../src/lib/errors.ts';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

// Win rate climbing from 20 to 26 over January: 0.2 points a day.
const RISING: TargetProgressInput = {
  direction: 'higher',
  start: { at: day('2025-01-01'), value: 20 },
  current: { at: day('2025-01-31'), value: 26 },
  target: 40,
  deadline: day('2025-04-21'), // 80 days after Jan 31 (28 + 31 + 21)
  now: day('2025-01-31'),
};

describe('targetProgress', () => {
  it('is on track when the pace so far reaches the target by the deadline', () => {
    const result = targetProgress(RISING);
    expect(result.progress).toBeCloseTo(6 / 20, 12);
    expect(result.projected).toBeCloseTo(26 + 0.2 * 80, 9); // 42
    expect(result.onTrack).toBe(true);
    expect(result.daysLeft).toBe(80);
    expect(result.requiredPacePerDay).toBeCloseTo(14 / 80, 12);
  });

  it('is off track when the same pace falls short of a nearer deadline', () => {
    const result = targetProgress({ ...RISING, deadline: day('2025-03-02') }); // 30 days after Jan 31
    expect(result.projected).toBeCloseTo(26 + 0.2 * 30, 9); // 32
    expect(result.onTrack).toBe(false);
    expect(result.daysLeft).toBe(30);
    expect(result.requiredPacePerDay).toBeCloseTo(14 / 30, 12);
  });

  it('counts days left from now, which may be later than the latest reading', () => {
    const result = targetProgress({ ...RISING, now: day('2025-02-10') }); // 18 + 31 + 21 days before Apr 21
    expect(result.daysLeft).toBe(70);
    expect(result.requiredPacePerDay).toBeCloseTo(14 / 70, 12);
    expect(result.projected).toBeCloseTo(42, 9); // the projection runs from the reading, not from now
    expect(targetProgress({ ...RISING, now: new Date('2025-02-10T12:00:00Z') }).daysLeft).toBe(69.5); // fractional days
  });

  it('handles lower-is-better targets with a negative pace', () => {
    // Complaint handling time: 48 h down to 36 h in 12 days (−1 h a day), target 24 h within 10 more days.
    const result = targetProgress({
      direction: 'lower',
      start: { at: day('2025-03-01'), value: 48 },
      current: { at: day('2025-03-13'), value: 36 },
      target: 24,
      deadline: day('2025-03-23'),
      now: day('2025-03-13'),
    });
    expect(result.progress).toBe(0.5); // (36 − 48) / (24 − 48)
    expect(result.projected).toBe(26); // 36 − 1 · 10
    expect(result.onTrack).toBe(false);
    expect(result.daysLeft).toBe(10);
    expect(result.requiredPacePerDay).toBe(-1.2); // (24 − 36) / 10
  });

  it('reports a target already met as on track with nothing more needed, progress above 1', () => {
    const result = targetProgress({ ...RISING, current: { at: day('2025-01-31'), value: 50 } });
    expect(result.progress).toBe(1.5); // (50 − 20) / (40 − 20)
    expect(result.onTrack).toBe(true);
    expect(result.requiredPacePerDay).toBe(0);
    expect(targetProgress({ ...RISING, current: { at: day('2025-01-31'), value: 40 } }).progress).toBe(1);
  });

  it('floors progress at 0 when the KPI moved away from the target', () => {
    const result = targetProgress({ ...RISING, current: { at: day('2025-01-31'), value: 15 } });
    expect(result.progress).toBe(0);
    expect(result.projected).toBeCloseTo(15 - (5 / 30) * 80, 9);
    expect(result.onTrack).toBe(false);
    expect(result.requiredPacePerDay).toBeCloseTo(25 / 80, 12);
  });

  it('after the deadline: no days left, no pace can help, off track unless met', () => {
    const late = { ...RISING, deadline: day('2025-03-02'), now: day('2025-03-05') };
    const missed = targetProgress(late);
    expect(missed.daysLeft).toBe(0);
    expect(missed.requiredPacePerDay).toBeNull();
    expect(missed.onTrack).toBe(false);
    expect(missed.projected).toBeCloseTo(32, 9); // still the line's value at the deadline
    const made = targetProgress({ ...late, current: { at: day('2025-03-01'), value: 41 } });
    expect(made.onTrack).toBe(true);
    expect(made.requiredPacePerDay).toBe(0);
    // A projection that would have made it does not count once the deadline has passed.
    expect(targetProgress({ ...RISING, now: day('2025-04-22') }).onTrack).toBe(false);
  });

  it('has no pace, so no projection, when both readings are at the same time', () => {
    const result = targetProgress({ ...RISING, current: { at: day('2025-01-01'), value: 20 }, now: day('2025-01-01') });
    expect(result.projected).toBeNull();
    expect(result.onTrack).toBe(false);
    expect(result.progress).toBe(0);
    expect(result.daysLeft).toBe(110); // 30 + 80
    expect(result.requiredPacePerDay).toBeCloseTo(20 / 110, 12);
  });

  it('when the start already met the target: progress 1 while it holds, 0 once lost', () => {
    const already = { ...RISING, start: { at: day('2025-01-01'), value: 45 } };
    expect(targetProgress({ ...already, current: { at: day('2025-01-31'), value: 42 } })).toMatchObject({ progress: 1, onTrack: true });
    const lost = targetProgress({ ...already, current: { at: day('2025-01-31'), value: 38 } });
    expect(lost.progress).toBe(0);
    expect(lost.onTrack).toBe(false); // falling 7 in 30 days projects further below 40
    expect(lost.requiredPacePerDay).toBeCloseTo(2 / 80, 12);
  });

  it('rejects readings out of order and values that are not numbers or dates', () => {
    const message = (input: TargetProgressInput) => {
      try {
        targetProgress(input, 'targets.win_rate');
      } catch (error) {
        expect(error).toBeInstanceOf(CrmPulseError);
        expect((error as CrmPulseError).code).toBe('input');
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(message({ ...RISING, current: { at: day('2024-12-31'), value: 26 } })).toBe(
      '[kpi] targets.win_rate: current.at (2024-12-31T00:00:00.000Z) is before start.at (2025-01-01T00:00:00.000Z); pass the readings in time order',
    );
    expect(message({ ...RISING, target: Number.NaN })).toBe('[kpi] targets.win_rate: target is NaN; it must be a finite number');
    expect(message({ ...RISING, deadline: new Date('not a date') })).toBe('[kpi] targets.win_rate: deadline is not a valid date');
  });
});
