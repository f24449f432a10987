// Every formula payload the /kpi fuzz sends, written instead as a config `kpis:` formula and read the
// way start-up reads it (parseConfig, then the KPI registry): each escape is refused as a config
// error naming the KPI's formula, before anything evaluates. The few payloads that are plain
// arithmetic compile, and evaluate to a finite number or a reason, never to Infinity, NaN or a
// complex number.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { kpiRegistry } from '../../src/kpi/kpi-registry.ts';
import { compileFormula } from '../../src/kpi/compile-formula.ts';
import { CrmPulseError } from '../../src/lib/errors.ts';
import { FORMULA_PAYLOADS, SQL_PAYLOADS } from '../fuzz/fuzz-inputs.ts';

/** Payloads that are arithmetic on the KPI's metrics, not escapes: they may compile ('1e400 * won' may not: Infinity). */
const ARITHMETIC = ['sqrt(-1)', 'log(0)', '9^9^9^9', '((((((((((won))))))))))'];

const config = (formula: string) => `
kpis:
  escape:
    title: Escape
    unit: count
    direction: higher
    metrics:
      won: { entity: deals, aggregate: count, time: closed_at }
      lost: { entity: deals, aggregate: count, time: closed_at }
      a: { entity: deals, aggregate: count, time: closed_at }
      b: { entity: deals, aggregate: count, time: closed_at }
    formula: ${JSON.stringify(formula)}
`;

/** The registry's verdict on a formula: undefined when it compiles, else the config error's message. */
function verdict(formula: string): string | undefined {
  const kpis = parseConfig(config(formula), 'crm-pulse.yaml').kpis;
  try {
    kpiRegistry(kpis).get('escape');
    return undefined;
  } catch (error) {
    expect(error, formula).toBeInstanceOf(CrmPulseError);
    expect((error as CrmPulseError).code, formula).toBe('config');
    return (error as Error).message;
  }
}

describe('config formulas carrying the fuzz payloads', () => {
  const payloads = [...FORMULA_PAYLOADS, ...SQL_PAYLOADS];

  it(`refuses every escape (${FORMULA_PAYLOADS.length - ARITHMETIC.length} formula and ${SQL_PAYLOADS.length} SQL payloads), naming the KPI's formula`, () => {
    const accepted: string[] = [];
    for (const p of payloads) {
      const message = verdict(p);
      if (message === undefined) accepted.push(p);
      else {
        expect(message.split('\n')[0], p).toMatch(/^\[kpi\] kpis\.escape\.formula: \S/);
        expect(message, p).not.toMatch(/\n\s*at\s|\.(?:ts|js):\d+/);
      }
    }
    expect(accepted).toEqual(ARITHMETIC);
    expect(verdict('1e400 * won')).toMatch(/'Infinity' is not a finite number/);
  });

  it('the arithmetic ones evaluate to a finite number or a reason, never Infinity, NaN or a complex number', () => {
    for (const p of ARITHMETIC) {
      const f = compileFormula(p, ['won', 'lost', 'a', 'b'], 'kpis.escape.formula');
      for (const won of [0, 1, 3, -2, null]) {
        const r = f.evaluate(
          new Map([
            ['won', won],
            ['lost', 1],
            ['a', 1],
            ['b', 1],
          ]),
        );
        if (r.ok) expect(Number.isFinite(r.value) && typeof r.value === 'number', `${p} with won=${won}: ${String(r.value)}`).toBe(true);
        else expect(r.reason.length, p).toBeGreaterThan(5);
      }
    }
  });

  it('nothing leaked out while the payloads were read: no prototype polluted, process intact', () => {
    for (const p of payloads) verdict(p);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(typeof process.exit).toBe('function');
  });
});

// `npm test` builds dist/ first (scripts/build.mjs); there mathjs is a tree-shaken bundle of its
// parser, so the compiled app's formula sandbox is checked on its own against the same payloads.
describe('the compiled app (dist/) with its bundled mathjs parser', () => {
  it('gives every payload the same verdict as the sources, and imports no full mathjs entry', async () => {
    const dist = new URL('../../dist/kpi/compile-formula.js', import.meta.url);
    const compiled = (await import(dist.href)) as typeof import('../../src/kpi/compile-formula.ts');
    const outcome = (compile: typeof compileFormula, p: string) => {
      try {
        const f = compile(p, ['won', 'lost', 'a', 'b'], 'kpis.escape.formula');
        return `ok ${JSON.stringify(
          f.evaluate(
            new Map([
              ['won', 3],
              ['lost', 1],
              ['a', 1],
              ['b', 1],
            ]),
          ),
        )}`;
      } catch (error) {
        return `refused ${(error as Error).message}`;
      }
    };
    const payloads = [...FORMULA_PAYLOADS, ...SQL_PAYLOADS, 'won / (won + lost)', 'round(won / 3, 2)'];
    for (const p of payloads) expect(outcome(compiled.compileFormula, p), p).toBe(outcome(compileFormula, p));
    expect(outcome(compiled.compileFormula, 'round(won / 3, 2)')).toBe('ok {"ok":true,"value":1}');
    const bundle = readFileSync(new URL('../../dist/kpi/mathjs-parser.js', import.meta.url), 'utf8');
    expect(bundle).not.toMatch(/from\s*["']mathjs["']/);
  });
});
