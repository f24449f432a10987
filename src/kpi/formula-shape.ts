import { mathParse, isConstantNode, isOperatorNode, isParenthesisNode, isSymbolNode, type MathNode } from './mathjs-parser.ts';
import type { KpiDefinition } from '../domain/kpi.ts';

/** A weighted sum of metrics: Σ terms[m] · m. */
export interface LinearForm {
  readonly terms: Readonly<Record<string, number>>;
}

/**
 * How a KPI's value splits over the values of a dimension, which decides how its change is
 * attributed to them:
 * - `additive`: a weighted sum of metrics that add up over groups (sums and counts), e.g. won
 *   revenue; each group's change is its contribution.
 * - `ratio`: offset + scale · N / D with N and D such sums, e.g. win rate = won / (won + lost),
 *   churn = 1 − retained / before; the change splits by shift-share.
 * - `other`: averages, medians, percentiles and other formulas, which do not split into parts
 *   that add up.
 */
export type FormulaShape =
  | { readonly kind: 'additive'; readonly value: LinearForm }
  | { readonly kind: 'ratio'; readonly numerator: LinearForm; readonly denominator: LinearForm; readonly scale: number; readonly offset: number }
  /** `aggregates`: the aggregates that do not add up (avg, median, percentile); empty when the formula is the problem */
  | { readonly kind: 'other'; readonly aggregates: readonly string[] };

/** Aggregates whose values over the groups of a dimension add up to the whole. */
const ADDITIVE = new Set(['sum', 'count', 'count_distinct']);

/**
 * The shape of a KPI's formula. The registry has checked the formula already; this only reads
 * its structure.
 * @example formulaShape(registry.get('win_rate')) // { kind: 'ratio', numerator: { terms: { won: 1 } }, denominator: { terms: { won: 1, lost: 1 } }, scale: 1, offset: 0 }
 */
export function formulaShape(kpi: KpiDefinition): FormulaShape {
  // A computed KPI's value is not its formula over its metrics: nothing to attribute.
  if (kpi.model !== undefined) return { kind: 'other', aggregates: [] };
  const additive = new Set(
    Object.entries(kpi.metrics)
      .filter(([, m]) => ADDITIVE.has(m.aggregate))
      .map(([name]) => name),
  );
  const others = Object.entries(kpi.metrics).filter(([name]) => !additive.has(name));
  // Only parse is used: the tree is walked here, never evaluated by mathjs (see compile-formula.ts).
  const root = mathParse(kpi.formula);
  const sum = linear(root, additive);
  if (sum && sum.constant === 0 && Object.keys(sum.terms).length > 0) return { kind: 'additive', value: { terms: sum.terms } };
  const ratio = affineRatio(root, additive);
  if (ratio) return { kind: 'ratio', ...ratio };
  return { kind: 'other', aggregates: [...new Set(others.map(([, m]) => m.aggregate))] };
}

/** A linear form's value from metric values; null when a metric it uses has none. */
export function evaluateLinear(form: LinearForm, metrics: Readonly<Record<string, number | null>>): number | null {
  let total = 0;
  for (const [name, weight] of Object.entries(form.terms)) {
    const v = metrics[name];
    if (v === null || v === undefined) return null;
    total += weight * v;
  }
  return total;
}

interface Linear {
  readonly terms: Record<string, number>;
  readonly constant: number;
}

function linear(node: MathNode, additive: ReadonlySet<string>): Linear | undefined {
  const n = unwrap(node);
  if (isConstantNode(n)) return typeof n.value === 'number' ? { terms: {}, constant: n.value } : undefined;
  if (isSymbolNode(n)) return additive.has(n.name) ? { terms: { [n.name]: 1 }, constant: 0 } : undefined;
  if (!isOperatorNode(n)) return undefined;
  const [a, b] = n.args.map((arg) => linear(arg, additive));
  if (n.args.length === 1) return n.op === '-' && a ? scaled(a, -1) : n.op === '+' ? a : undefined;
  if (!a || !b) return undefined;
  switch (n.op) {
    case '+':
      return plus(a, b, 1);
    case '-':
      return plus(a, b, -1);
    case '*':
      if (isConst(a)) return scaled(b, a.constant);
      return isConst(b) ? scaled(a, b.constant) : undefined;
    case '/':
      return isConst(b) && b.constant !== 0 ? scaled(a, 1 / b.constant) : undefined;
    default:
      return undefined;
  }
}

/** offset + scale · N / D, reading through constant factors, constant terms and signs. */
function affineRatio(
  node: MathNode,
  additive: ReadonlySet<string>,
): { numerator: LinearForm; denominator: LinearForm; scale: number; offset: number } | undefined {
  const n = unwrap(node);
  if (!isOperatorNode(n)) return undefined;
  if (n.args.length === 1) {
    const inner = n.op === '-' ? affineRatio(n.args[0]!, additive) : undefined;
    return inner && { ...inner, scale: -inner.scale, offset: -inner.offset };
  }
  const [left, right] = n.args as [MathNode, MathNode];
  if (n.op === '/') {
    const num = linear(left, additive);
    const den = linear(right, additive);
    if (num && den && num.constant === 0 && den.constant === 0 && Object.keys(den.terms).length > 0) {
      return { numerator: { terms: num.terms }, denominator: { terms: den.terms }, scale: 1, offset: 0 };
    }
    const inner = affineRatio(left, additive);
    const c = linear(right, additive);
    return inner && c && isConst(c) && c.constant !== 0 ? { ...inner, scale: inner.scale / c.constant, offset: inner.offset / c.constant } : undefined;
  }
  const l = linear(left, additive);
  const r = linear(right, additive);
  if (n.op === '*') {
    if (l && isConst(l))
      return mapRatio(
        affineRatio(right, additive),
        (x) => x * l.constant,
        (x) => x * l.constant,
      );
    if (r && isConst(r))
      return mapRatio(
        affineRatio(left, additive),
        (x) => x * r.constant,
        (x) => x * r.constant,
      );
    return undefined;
  }
  if (n.op === '+' || n.op === '-') {
    const sign = n.op === '+' ? 1 : -1;
    if (l && isConst(l))
      return mapRatio(
        affineRatio(right, additive),
        (x) => sign * x,
        (x) => l.constant + sign * x,
      );
    if (r && isConst(r))
      return mapRatio(
        affineRatio(left, additive),
        (x) => x,
        (x) => x + sign * r.constant,
      );
  }
  return undefined;
}

function mapRatio<T extends { scale: number; offset: number }>(
  ratio: T | undefined,
  scale: (x: number) => number,
  offset: (x: number) => number,
): T | undefined {
  return ratio && { ...ratio, scale: scale(ratio.scale), offset: offset(ratio.offset) };
}

function unwrap(node: MathNode): MathNode {
  let n = node;
  while (isParenthesisNode(n)) n = n.content;
  return n;
}

function isConst(l: Linear): boolean {
  return Object.keys(l.terms).length === 0;
}

function scaled(l: Linear, k: number): Linear {
  return { terms: Object.fromEntries(Object.entries(l.terms).map(([m, w]) => [m, w * k])), constant: l.constant * k };
}

function plus(a: Linear, b: Linear, sign: number): Linear {
  const terms: Record<string, number> = { ...a.terms };
  for (const [m, w] of Object.entries(b.terms)) terms[m] = (terms[m] ?? 0) + sign * w;
  return { terms, constant: a.constant + sign * b.constant };
}
