import { describe, expect, it } from 'vitest';
import { compileFormula, type FormulaResult } from '../../src/kpi/compile-formula.ts';
import { CrmPulseError } from '../../src/lib/errors.ts';

const METRICS = ['won', 'lost', 'a', 'b'];
const WHERE = 'kpis.x.formula';
const compile = (text: string, metrics: readonly string[] = METRICS) => compileFormula(text, metrics, WHERE);
const values = (entries: Record<string, number | null>) => new Map(Object.entries(entries));

/** The error a rejected formula throws; fails the test if it does not throw a config CrmPulseError. */
function rejection(text: string): CrmPulseError {
  try {
    compile(text);
  } catch (error) {
    expect(error).toBeInstanceOf(CrmPulseError);
    expect((error as CrmPulseError).code).toBe('config');
    return error as CrmPulseError;
  }
  throw new Error(`formula was accepted: ${text}`);
}
const firstLine = (text: string) => rejection(text).message.split('\n')[0];

const SHAPE_HINT = '\n  fix: a formula is one expression of metric names, numbers, + - * / ^, brackets and min, max, abs, round, sqrt, log';
const fn = (name: string, part: string) => `[kpi] ${WHERE}: function '${name}' is not allowed ('${part}'); allowed: min, max, abs, round, sqrt, log`;
const op = (name: string, part: string) => `[kpi] ${WHERE}: operator '${name}' is not allowed ('${part}'); allowed: + - * / ^ and unary -`;
const kind = (what: string, part: string) => `[kpi] ${WHERE}: ${what} not allowed in a formula ('${part}')`;
const implicit = (part: string) => `[kpi] ${WHERE}: implicit multiplication is not allowed ('${part}'); write '*' between the factors`;
const unknown = (name: string) => `[kpi] ${WHERE}: '${name}' is not a metric of this KPI; known: won, lost, a, b`;

// Escape techniques from mathjs's security notes and public sandbox-escape reports: reaching
// `import`/`evaluate`/`parse`, defining functions, constructor chains, strings, matrices with
// `.map`, property access, units, and the non-arithmetic operators. Each must be refused at
// compile time, naming the offending part (first line; the fix line is checked separately).
const ESCAPES: ReadonlyArray<readonly [string, string]> = [
  ['import({}, {override: true})', fn('import', 'import({}, {"override": true})')],
  ['createUnit("foo")', fn('createUnit', 'createUnit("foo")')],
  ['evaluate("1 + 1")', fn('evaluate', 'evaluate("1 + 1")')],
  ['parse("1 + 1")', fn('parse', 'parse("1 + 1")')],
  ['compile("1")', fn('compile', 'compile("1")')],
  ['simplify("a")', fn('simplify', 'simplify("a")')],
  ['derivative("x^2", "x")', fn('derivative', 'derivative("x^2", "x")')],
  ['chain(a)', fn('chain', 'chain(a)')],
  ['typeOf(a)', fn('typeOf', 'typeOf(a)')],
  ['sum([a, b])', fn('sum', 'sum([a, b])')],
  ['constructor(a)', fn('constructor', 'constructor(a)')],
  ['hasOwnProperty(a)', fn('hasOwnProperty', 'hasOwnProperty(a)')],
  ['won(2)', fn('won', 'won(2)')],
  ['f(x) = x', kind('function definitions are', 'f(x) = x')],
  ['x = 1', kind('assignment is', 'x = 1')],
  ['a = 1', kind('assignment is', 'a = 1')],
  ['abs(a = 1)', kind('assignment is', 'a = 1')],
  ['f(x) = x; f(a)', kind('several expressions (separated by ; or a new line) are', 'f(x) = x; f(a)')],
  ['a; b', kind('several expressions (separated by ; or a new line) are', 'a; b')],
  ['a\nb', kind('several expressions (separated by ; or a new line) are', 'a b')],
  ['cos.constructor("return process")(1)', implicit('cos.constructor("return process") (1)')],
  ['max.apply(null, [a])', `[kpi] ${WHERE}: only calls to min, max, abs, round, sqrt, log by name are allowed ('max.apply(null, [a])')`],
  ['[].map', kind('property and index access is', '[].map')],
  ['[1, 2]', kind('matrices and arrays are', '[1, 2]')],
  ['min([a, b])', kind('matrices and arrays are', '[a, b]')],
  ['"abc"', kind('strings are', '"abc"')],
  ["'abc'", kind('strings are', '"abc"')],
  ['max(a, "1")', kind('strings are', '"1"')],
  ['a.b', kind('property and index access is', 'a.b')],
  ['a["b"]', kind('property and index access is', 'a["b"]')],
  ['a[1]', kind('property and index access is', 'a[1]')],
  ['a?.b', kind('property and index access is', 'a?.b')],
  ['{a: 1}', kind('objects are', '{"a": 1}')],
  ['1:3', kind('ranges are', '1:3')],
  ['a ? b : c', kind('conditionals are', 'a ? b : c')],
  ['a < b < won', kind('comparisons are', 'a < b < won')],
  ['a == b', op('==', 'a == b')],
  ['a < b', op('<', 'a < b')],
  ['a and b', op('and', 'a and b')],
  ['a or b', op('or', 'a or b')],
  ['a xor b', op('xor', 'a xor b')],
  ['not a', op('not', 'not a')],
  ['a & b', op('&', 'a & b')],
  ['a | b', op('|', 'a | b')],
  ['a << 1', op('<<', 'a << 1')],
  ['5!', op('!', '5!')],
  ['a mod b', op('mod', 'a mod b')],
  ['a % b', op('%', 'a % b')],
  ["a'", op("'", "a'")],
  ['a to b', op('to', 'a to b')],
  ['a .* b', op('.*', 'a .* b')],
  ['5 cm', implicit('5 cm')],
  ['2 a', implicit('2 a')],
  ['won lost', implicit('won lost')],
  ['(min)(a)', implicit('(min) (a)')],
  ['true', `[kpi] ${WHERE}: 'true' is not a number; only numbers are allowed as constants`],
  ['null', `[kpi] ${WHERE}: 'null' is not a number; only numbers are allowed as constants`],
  ['NaN', `[kpi] ${WHERE}: 'NaN' is not a finite number`],
  ['Infinity', `[kpi] ${WHERE}: 'Infinity' is not a finite number`],
  ['1e999', `[kpi] ${WHERE}: 'Infinity' is not a finite number`],
  ['wins', unknown('wins')],
  ['__proto__', unknown('__proto__')],
  ['pi * a', unknown('pi')],
  ['e ^ a', unknown('e')],
  ['sqrt(a, b)', `[kpi] ${WHERE}: function 'sqrt' takes 1 argument, got 2 ('sqrt(a, b)')`],
  ['min()', `[kpi] ${WHERE}: function 'min' takes at least 1 argument, got 0 ('min()')`],
  ['round(a, 2, 3)', `[kpi] ${WHERE}: function 'round' takes 1 or 2 arguments, got 3 ('round(a, 2, 3)')`],
];

describe('compileFormula rejects', () => {
  it.each(ESCAPES)('%j', (text, expected) => {
    expect(firstLine(text)).toBe(expected);
  });

  it('covers at least 40 escape attempts', () => {
    expect(ESCAPES.length).toBeGreaterThanOrEqual(40);
  });

  it('gives the full message with the fix line for structural rejections', () => {
    expect(rejection('a = 1').message).toBe(`[kpi] ${WHERE}: assignment is not allowed in a formula ('a = 1')${SHAPE_HINT}`);
    expect(rejection('wins / (won + lost)').message).toBe(`${unknown('wins')}\n  fix: use a name defined under metrics:, or add that metric`);
  });

  it('reports mathjs syntax errors, including the constructor-chain call with no arguments', () => {
    expect(firstLine('cos.constructor("return process")()')).toBe(`[kpi] ${WHERE}: syntax error: Value expected (char 35)`);
    expect(firstLine('a @ b')).toBe(`[kpi] ${WHERE}: syntax error: Syntax error in part "@ b" (char 3)`);
    expect(firstLine('(a + b')).toMatch(/^\[kpi\] kpis\.x\.formula: syntax error: /);
  });

  it('rejects an empty formula, or one that is only a comment', () => {
    for (const text of ['', '   ', '# just a note']) expect(firstLine(text)).toBe(`[kpi] ${WHERE}: the formula is empty`);
  });

  it('says which metrics are known, or that there are none', () => {
    expect(() => compileFormula('won', [], 'kpis.y.formula')).toThrow("[kpi] kpis.y.formula: 'won' is not a metric of this KPI; known: (none)");
  });

  it('bounds compile time: length, bracket depth, AST depth and size', () => {
    const long = `${'a + '.repeat(130)}a`;
    expect(long.length).toBe(521);
    expect(firstLine(long)).toBe(`[kpi] ${WHERE}: the formula is 521 characters long; the limit is 500`);
    expect(firstLine(`${'('.repeat(41)}a${')'.repeat(41)}`)).toBe(`[kpi] ${WHERE}: the formula nests brackets more than 40 deep`);
    expect(firstLine(`${'['.repeat(41)}a${']'.repeat(41)}`)).toBe(`[kpi] ${WHERE}: the formula nests brackets more than 40 deep`);
    // 250 nested brackets would make mathjs recurse thousands of frames; refused before parsing.
    expect(firstLine(`${'('.repeat(250)}a${')'.repeat(249)}`)).toBe(`[kpi] ${WHERE}: the formula nests brackets more than 40 deep`);
    expect(firstLine(`${'-'.repeat(120)}a`)).toBe(`[kpi] ${WHERE}: the formula nests more than 100 levels deep`);
    expect(firstLine(`min(${'a,'.repeat(200)}a)`)).toBe(`[kpi] ${WHERE}: the formula has more than 200 parts`);
    // Just inside the limits still compiles.
    expect(compile(`${'('.repeat(40)}a${')'.repeat(40)}`).evaluate(values({ a: 2 }))).toEqual({ ok: true, value: 2 });
    expect(compile(`${'-'.repeat(98)}a`).evaluate(values({ a: 2 }))).toEqual({ ok: true, value: 2 });
  });
});

describe('compileFormula evaluates', () => {
  const run = (text: string, vals: Record<string, number | null>): FormulaResult => compile(text).evaluate(values(vals));

  it('a win rate, listing the metrics it uses once each in order', () => {
    const formula = compile('won / (won + lost)');
    expect(formula.text).toBe('won / (won + lost)');
    expect(formula.names).toEqual(['won', 'lost']);
    expect(formula.evaluate(values({ won: 3, lost: 1 }))).toEqual({ ok: true, value: 0.75 });
    expect(formula.evaluate(values({ won: 0, lost: 4 }))).toEqual({ ok: true, value: 0 });
  });

  it('operators with mathjs precedence: ^ binds tighter than unary minus and is right-associative', () => {
    expect(run('-a + b^2', { a: 2, b: 3 })).toEqual({ ok: true, value: 7 });
    expect(run('-a^2', { a: 3 })).toEqual({ ok: true, value: -9 });
    expect(run('2^3^2', {})).toEqual({ ok: true, value: 512 });
    expect(run('+a - -b', { a: 1, b: 2 })).toEqual({ ok: true, value: 3 });
    expect(run('(a + b) * 2 / 4', { a: 1, b: 5 })).toEqual({ ok: true, value: 3 });
    expect(run('1e3 * a + .5 + 0x10', { a: 2 })).toEqual({ ok: true, value: 2016.5 });
  });

  it('min, max, abs, sqrt, log and round', () => {
    expect(run('max(a, b) - min(a, b)', { a: 7, b: 3 })).toEqual({ ok: true, value: 4 });
    expect(run('max(a)', { a: 7 })).toEqual({ ok: true, value: 7 });
    expect(run('abs(a - b)', { a: 3, b: 7 })).toEqual({ ok: true, value: 4 });
    expect(run('sqrt(a)', { a: 16 })).toEqual({ ok: true, value: 4 });
    expect(run('log(a)', { a: 1 })).toEqual({ ok: true, value: 0 });
    const ln = run('log(a)', { a: Math.E ** 2 });
    expect(ln.ok && ln.value).toBeCloseTo(2, 12);
    const log10 = run('log(a, 10)', { a: 1000 });
    expect(log10.ok && log10.value).toBeCloseTo(3, 12);
    expect(run('round(a / b, 2)', { a: 2, b: 3 })).toEqual({ ok: true, value: 0.67 });
    // Decimal rounding, not binary: 1.005 is stored as 1.00499999…, still rounds to 1.01.
    expect(run('round(a, 2)', { a: 1.005 })).toEqual({ ok: true, value: 1.01 });
    // Halves round away from zero (mathjs), unlike Math.round(-2.5) === -2.
    expect(run('round(a)', { a: -2.5 })).toEqual({ ok: true, value: -3 });
    expect(run('round(a)', { a: 2.5 })).toEqual({ ok: true, value: 3 });
  });

  it('a metric may share a name with an allowed function', () => {
    expect(compileFormula('log(log) + max', ['log', 'max'], WHERE).evaluate(values({ log: 1, max: 5 }))).toEqual({ ok: true, value: 5 });
  });

  it('ignores a trailing comment', () => {
    expect(run('a * 2 # doubled', { a: 4 })).toEqual({ ok: true, value: 8 });
  });
});

describe('compileFormula gives a reason instead of a number', () => {
  const run = (text: string, vals: Record<string, number | null>): FormulaResult => compile(text).evaluate(values(vals));

  it.each<[string, Record<string, number | null>, string]>([
    ['won / (won + lost)', { won: 0, lost: 0 }, 'division by zero'],
    ['a / b', { a: 1, b: 0 }, 'division by zero'],
    ['a / b', { a: 0, b: 0 }, 'division by zero'],
    ['0 ^ -1', {}, 'division by zero'],
    ['won / (won + lost)', { won: null, lost: 1 }, "no value for metric 'won'"],
    ['won / (won + lost)', { won: 1 }, "no value for metric 'lost'"],
    ['a', { a: Number.NaN }, "metric 'a' is not a finite number (NaN)"],
    ['a', { a: Number.POSITIVE_INFINITY }, "metric 'a' is not a finite number (Infinity)"],
    ['sqrt(-1)', {}, 'square root of a negative number (sqrt(-1))'],
    ['sqrt(a - b)', { a: 1, b: 5 }, 'square root of a negative number (sqrt(-4))'],
    ['log(0)', {}, 'logarithm of a number that is not positive (log(0))'],
    ['log(a)', { a: -2 }, 'logarithm of a number that is not positive (log(-2))'],
    ['log(a, 1)', { a: 5 }, 'logarithm base must be positive and not 1 (got 1)'],
    ['a ^ 0.5', { a: -4 }, 'a negative number to a fractional power has no real value'],
    ['10 ^ a', { a: 400 }, 'the result is not a finite number'],
    ['a * b', { a: 1e200, b: 1e200 }, 'the result is not a finite number'],
    ['a - b', { a: -1.5e308, b: 1.5e308 }, 'the result is not a finite number'],
    ['round(a, b)', { a: 1.2345, b: 2.5 }, 'round() needs a whole number of decimals from 0 to 15, got 2.5'],
    ['round(a, b)', { a: 1.2345, b: 16 }, 'round() needs a whole number of decimals from 0 to 15, got 16'],
  ])('%s with %o', (text, vals, reason) => {
    expect(run(text, vals)).toEqual({ ok: false, reason });
  });

  it('returns 0 rather than -0', () => {
    const result = run('-a', { a: 0 });
    expect(result.ok && Object.is(result.value, 0)).toBe(true);
  });

  it('never returns NaN or Infinity and never throws, whatever the values', () => {
    const formulas = ['won / (won + lost)', 'sqrt(a) * log(b)', 'a ^ b', 'round(a / b, 2) - max(a, b)', '-a / -b + abs(a) ^ 0.5'];
    const pool = [null, 0, -0, 1, -1, 0.5, -2.5, 1e308, -1e308, 1e-320, Number.NaN, Number.POSITIVE_INFINITY];
    let seed = 7;
    const pick = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31; // a fixed LCG keeps the test reproducible
      return pool[seed % pool.length]!;
    };
    for (const text of formulas) {
      const formula = compile(text);
      for (let i = 0; i < 500; i += 1) {
        const result = formula.evaluate(values({ won: pick(), lost: pick(), a: pick(), b: pick() }));
        if (result.ok) expect(Number.isFinite(result.value)).toBe(true);
        else expect(result.reason).toMatch(/\S/);
      }
    }
  });
});
