import { describe, expect, it } from 'vitest';
import { okState, transition, type Outcome, type SeriesState } from '../../src/alerts/transition.ts';
import { judgeCondition, type ConditionInput } from '../../src/alerts/judge-condition.ts';
import { conditionSchema } from '../../src/config/alerts-schema.ts';
import type { AlertEvent, AlertState } from '../../src/domain/alert.ts';

const t0 = new Date('2024-01-01T00:00:00Z');
const at = (i: number) => new Date(t0.getTime() + i * 86_400_000);
const breach = (period: string, severity: 'warning' | 'critical' = 'warning', value = 1): Outcome => ({
  kind: 'breach',
  severity,
  value,
  period,
  summary: 'b',
  comparison: '',
});
const clear = (period: string, value = 0): Outcome => ({ kind: 'clear', value, period, summary: 'c', comparison: '' });
const nodata = (period: string): Outcome => ({ kind: 'nodata', period, summary: 'n' });

/** Runs outcomes through the lifecycle and returns the states and events seen after each. */
function run(outcomes: Outcome[], rule = { for: 1, recover_for: 1 }): { states: AlertState[]; events: (AlertEvent | null)[]; episodes: string[] } {
  let s: SeriesState = okState(t0);
  const states: AlertState[] = [];
  const events: (AlertEvent | null)[] = [];
  const episodes: string[] = [];
  outcomes.forEach((o, i) => {
    const step = transition(s, o, rule, at(i));
    s = step.episode === 'open' ? { ...step.next, episodeId: i + 1 } : step.next;
    states.push(s.state);
    events.push(step.event);
    episodes.push(step.episode ?? '-');
  });
  return { states, events, episodes };
}

describe('alert lifecycle', () => {
  const cases: { name: string; rule?: { for: number; recover_for: number }; outcomes: Outcome[]; states: AlertState[]; events: (AlertEvent | null)[] }[] = [
    {
      name: 'fires at once with for: 1 and resolves on the first clear period',
      outcomes: [clear('m1'), breach('m2'), breach('m3'), clear('m4'), clear('m5')],
      states: ['ok', 'firing', 'firing', 'resolved', 'ok'],
      events: [null, 'firing', null, 'resolved', null],
    },
    {
      name: 'pending holds for `for` periods before firing',
      rule: { for: 3, recover_for: 1 },
      outcomes: [breach('m1'), breach('m2'), breach('m3'), breach('m4')],
      states: ['pending', 'pending', 'firing', 'firing'],
      events: [null, null, 'firing', null],
    },
    {
      name: 'a pending breach that clears goes back to ok without a word',
      rule: { for: 2, recover_for: 1 },
      outcomes: [breach('m1'), clear('m2'), breach('m3'), breach('m4')],
      states: ['pending', 'ok', 'pending', 'firing'],
      events: [null, null, null, 'firing'],
    },
    {
      name: 'the same period seen again does not count twice towards `for`',
      rule: { for: 2, recover_for: 1 },
      outcomes: [breach('m1'), breach('m1'), breach('m1'), breach('m2')],
      states: ['pending', 'pending', 'pending', 'firing'],
      events: [null, null, null, 'firing'],
    },
    {
      name: 'recovery needs recover_for clear periods; a breach in between starts over (no flapping)',
      rule: { for: 1, recover_for: 2 },
      outcomes: [breach('m1'), clear('m2'), breach('m3'), clear('m4'), clear('m5')],
      states: ['firing', 'firing', 'firing', 'firing', 'resolved'],
      events: ['firing', null, null, null, 'resolved'],
    },
    {
      name: 'severity changes while firing escalate and de-escalate',
      outcomes: [breach('m1'), breach('m2', 'critical'), breach('m3', 'critical'), breach('m4', 'warning')],
      states: ['firing', 'firing', 'firing', 'firing'],
      events: ['firing', 'escalated', null, 'deescalated'],
    },
    {
      name: 'no data keeps a firing episode open and is not a recovery',
      outcomes: [breach('m1'), nodata('m2'), nodata('m3'), clear('m4')],
      states: ['firing', 'firing', 'firing', 'resolved'],
      events: ['firing', null, null, 'resolved'],
    },
    {
      name: 'no data resets a pending series and shows as nodata',
      rule: { for: 2, recover_for: 1 },
      outcomes: [breach('m1'), nodata('m2'), breach('m3'), clear('m4')],
      states: ['pending', 'nodata', 'pending', 'ok'],
      events: [null, null, null, null],
    },
    {
      name: 'an error fires once and resolves on the next success',
      outcomes: [{ kind: 'error', summary: 'boom' }, { kind: 'error', summary: 'boom' }, clear('m3')],
      states: ['error', 'error', 'ok'],
      events: ['firing', null, 'resolved'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = run(c.outcomes, c.rule);
      expect(r.states).toEqual(c.states);
      expect(r.events).toEqual(c.events);
    });
  }

  it('opens one episode per firing and closes it on resolution', () => {
    const r = run([breach('m1'), breach('m2'), clear('m3'), clear('m4'), breach('m5')]);
    expect(r.episodes).toEqual(['open', 'update', 'close', '-', 'open']);
  });
});

describe('hysteresis: a value hovering at the line does not flap', () => {
  const threshold = conditionSchema.parse({ type: 'threshold', below: { warning: 0.5, recover: 0.55 } });
  const input = (value: number): ConditionInput => ({
    value,
    unit: 'percent',
    direction: 'higher',
    previous: { label: 'p', value: null },
    lastYear: { label: 'y', value: null },
    baseline: [],
  });

  it('fires under 0.5, stays firing between 0.5 and 0.55, recovers above 0.55', () => {
    const values = [0.52, 0.49, 0.51, 0.53, 0.49, 0.56, 0.51];
    let s: SeriesState = okState(t0);
    const states: AlertState[] = [];
    values.forEach((v, i) => {
      const active = s.state === 'pending' || s.state === 'firing';
      const verdict = judgeCondition(threshold, input(v), active);
      const outcome: Outcome = verdict.severity ? breach(`m${i}`, verdict.severity, v) : clear(`m${i}`, v);
      s = transition(s, outcome, { for: 1, recover_for: 1 }, at(i)).next;
      states.push(s.state);
    });
    // Without the recovery level the same values would fire, resolve and fire again three times.
    expect(states).toEqual(['ok', 'firing', 'firing', 'firing', 'firing', 'resolved', 'ok']);
  });
});
