import { mathParse, isConstantNode, isFunctionNode, isOperatorNode, isParenthesisNode, isSymbolNode, mathRound, type MathNode } from './mathjs-parser.ts';
import { CrmPulseError } from '../lib/errors.ts';

/** The outcome of evaluating a formula: a finite number, or the reason there is none. */
export type FormulaResult = { ok: true; value: number } | { ok: false; reason: string };

/** A checked formula over a KPI's metrics, safe to evaluate on any values. */
export interface CompiledFormula {
  readonly text: string;
  /** the metrics the formula uses, in order of first appearance */
  readonly names: readonly string[];
  evaluate(values: ReadonlyMap<string, number | null>): FormulaResult;
}

/** Longest formula text accepted; a KPI formula is one line, and this bounds parse time. */
export const MAX_FORMULA_LENGTH = 500;
/** Deepest bracket nesting accepted, checked before parsing. */
export const MAX_BRACKET_DEPTH = 40;
/** Deepest AST accepted; a chain like `a + b + c` adds one level per operator. */
export const MAX_AST_DEPTH = 100;
/** Most AST nodes accepted. */
export const MAX_FORMULA_NODES = 200;

// Only mathjs's `parse` and its numeric `round` are used: mathjs never evaluates user text here
// (disabling `import`/`evaluate` is not enough; see shared/reference/stack-notes.md), we walk the
// checked tree ourselves.

type BinaryOp = '+' | '-' | '*' | '/' | '^';
type FunctionName = 'min' | 'max' | 'abs' | 'round' | 'sqrt' | 'log';

/** Our own tree: built only from allowed nodes, so evaluation never sees a mathjs node again. */
type Expr =
  | { kind: 'number'; value: number }
  | { kind: 'metric'; name: string }
  | { kind: 'negate'; arg: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'call'; fn: FunctionName; args: Expr[] };

const BINARY_OPS: ReadonlySet<string> = new Set<BinaryOp>(['+', '-', '*', '/', '^']);
/** Allowed functions with their [min, max] argument counts. */
const FUNCTIONS: Readonly<Record<FunctionName, readonly [number, number]>> = {
  min: [1, Infinity],
  max: [1, Infinity],
  abs: [1, 1],
  round: [1, 2],
  sqrt: [1, 1],
  log: [1, 2],
};
const FUNCTION_LIST = Object.keys(FUNCTIONS).join(', ');
const SHAPE_HINT = `a formula is one expression of metric names, numbers, + - * / ^, brackets and ${FUNCTION_LIST}`;

/**
 * Parses and checks a KPI formula once; throws `CrmPulseError('config')` naming `where` and the
 * offending part for anything outside the allowed grammar.
 *
 * @example
 * const winRate = compileFormula('won / (won + lost)', ['won', 'lost'], 'kpis.win_rate.formula');
 * winRate.evaluate(new Map([['won', 3], ['lost', 1]])); // { ok: true, value: 0.75 }
 */
export function compileFormula(text: string, metricNames: readonly string[], where: string): CompiledFormula {
  // A declared function rather than an arrow, so TypeScript narrows after a call that returns `never`.
  function fail(message: string, hint?: string): never {
    throw new CrmPulseError('config', `[kpi] ${where}: ${message}`, hint ? { hint } : {});
  }
  if (typeof text !== 'string' || text.trim() === '') fail('the formula is empty', SHAPE_HINT);
  if (text.length > MAX_FORMULA_LENGTH) {
    fail(`the formula is ${text.length} characters long; the limit is ${MAX_FORMULA_LENGTH}`, 'split it into smaller KPIs');
  }
  // Checked before parsing because mathjs parses brackets recursively (about 1,000 levels overflow
  // Node's stack); this keeps its stack use small.
  if (bracketDepth(text) > MAX_BRACKET_DEPTH) {
    fail(`the formula nests brackets more than ${MAX_BRACKET_DEPTH} deep`, 'simplify the formula');
  }

  let root: MathNode;
  try {
    root = mathParse(text);
  } catch (error) {
    return fail(`syntax error: ${(error as Error).message}`);
  }

  const known = new Set(metricNames);
  const names: string[] = [];
  let nodes = 0;

  const check = (node: MathNode, depth: number): Expr => {
    nodes += 1;
    if (nodes > MAX_FORMULA_NODES) fail(`the formula has more than ${MAX_FORMULA_NODES} parts`, 'simplify the formula');
    if (depth > MAX_AST_DEPTH) fail(`the formula nests more than ${MAX_AST_DEPTH} levels deep`, 'simplify the formula');

    if (isConstantNode(node)) {
      const value: unknown = node.value;
      // mathjs parses an empty text, or one that is only a comment, to the constant `undefined`.
      if (value === undefined && node === root) fail('the formula is empty', SHAPE_HINT);
      if (typeof value === 'string') fail(`strings are not allowed in a formula (${quote(node)})`, SHAPE_HINT);
      if (typeof value !== 'number') fail(`${quote(node)} is not a number; only numbers are allowed as constants`, SHAPE_HINT);
      if (!Number.isFinite(value)) fail(`${quote(node)} is not a finite number`, SHAPE_HINT);
      return { kind: 'number', value };
    }
    if (isSymbolNode(node)) {
      if (!known.has(node.name)) {
        fail(
          `'${node.name}' is not a metric of this KPI; known: ${metricNames.join(', ') || '(none)'}`,
          'use a name defined under metrics:, or add that metric',
        );
      }
      if (!names.includes(node.name)) names.push(node.name);
      return { kind: 'metric', name: node.name };
    }
    if (isParenthesisNode(node)) return check(node.content, depth + 1);
    if (isOperatorNode(node)) {
      const op: string = node.op;
      const args: MathNode[] = node.args;
      if (node.implicit) {
        // mathjs has its own precedence rules for implicit products (`1/2a` is `(1/2)·a`, `2a^2` is
        // `2·a^2`) that readers guess differently, and `won lost` is likelier a typo than a product.
        fail(`implicit multiplication is not allowed (${quote(node)}); write '*' between the factors`);
      }
      if (args.length === 1 && (op === '-' || op === '+')) {
        const arg = check(args[0]!, depth + 1);
        return op === '-' ? { kind: 'negate', arg } : arg;
      }
      if (args.length === 2 && BINARY_OPS.has(op)) {
        const left = check(args[0]!, depth + 1);
        const right = check(args[1]!, depth + 1);
        return { kind: 'binary', op: op as BinaryOp, left, right };
      }
      return fail(`operator '${op}' is not allowed (${quote(node)}); allowed: + - * / ^ and unary -`);
    }
    if (isFunctionNode(node)) {
      if (!isSymbolNode(node.fn)) fail(`only calls to ${FUNCTION_LIST} by name are allowed (${quote(node)})`);
      const fn = node.fn.name;
      if (!Object.hasOwn(FUNCTIONS, fn)) fail(`function '${fn}' is not allowed (${quote(node)}); allowed: ${FUNCTION_LIST}`);
      const [lo, hi] = FUNCTIONS[fn as FunctionName];
      if (node.args.length < lo || node.args.length > hi) {
        fail(`function '${fn}' takes ${arity(lo, hi)}, got ${node.args.length} (${quote(node)})`);
      }
      return { kind: 'call', fn: fn as FunctionName, args: node.args.map((arg) => check(arg, depth + 1)) };
    }
    return fail(`${describe(node.type)} not allowed in a formula (${quote(node)})`, SHAPE_HINT);
  };

  const tree = check(root, 1);
  return {
    text,
    names,
    evaluate: (values) => {
      const result = evaluateExpr(tree, values);
      // -0 would print as "-0" in Slack; it is the same number as 0.
      return result.ok && result.value === 0 ? { ok: true, value: 0 } : result;
    },
  };
}

/** Names a disallowed node kind in words a config author knows, with its verb. */
const DISALLOWED: Readonly<Record<string, string>> = {
  AssignmentNode: 'assignment is',
  FunctionAssignmentNode: 'function definitions are',
  BlockNode: 'several expressions (separated by ; or a new line) are',
  ArrayNode: 'matrices and arrays are',
  ObjectNode: 'objects are',
  AccessorNode: 'property and index access is',
  IndexNode: 'property and index access is',
  RangeNode: 'ranges are',
  ConditionalNode: 'conditionals are',
  RelationalNode: 'comparisons are',
};

function describe(type: string): string {
  return DISALLOWED[type] ?? `expressions of type ${type} are`;
}

function arity(lo: number, hi: number): string {
  if (hi === Infinity) return `at least ${lo} argument${lo === 1 ? '' : 's'}`;
  if (lo === hi) return `${lo} argument${lo === 1 ? '' : 's'}`;
  return `${lo} or ${hi} arguments`;
}

/** The offending part as written back by mathjs, shortened so a message stays one readable line. */
function quote(node: MathNode): string {
  const text = node.toString().replace(/\s+/g, ' ');
  return `'${text.length > 60 ? `${text.slice(0, 57)}...` : text}'`;
}

function bracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (const ch of text) {
    if (ch === '(' || ch === '[' || ch === '{') max = Math.max(max, ++depth);
    else if (ch === ')' || ch === ']' || ch === '}') depth -= 1;
  }
  return max;
}

const fault = (reason: string): FormulaResult => ({ ok: false, reason });
const NOT_FINITE = 'the result is not a finite number';

/** Evaluates our checked tree; every failure becomes a reason, never NaN, Infinity or a throw. */
function evaluateExpr(expr: Expr, values: ReadonlyMap<string, number | null>): FormulaResult {
  switch (expr.kind) {
    case 'number':
      return { ok: true, value: expr.value };
    case 'metric': {
      const value = values.get(expr.name);
      if (value === null || value === undefined) return fault(`no value for metric '${expr.name}'`);
      if (typeof value !== 'number' || !Number.isFinite(value)) return fault(`metric '${expr.name}' is not a finite number (${String(value)})`);
      return { ok: true, value };
    }
    case 'negate': {
      const arg = evaluateExpr(expr.arg, values);
      return arg.ok ? { ok: true, value: -arg.value } : arg;
    }
    case 'binary': {
      const left = evaluateExpr(expr.left, values);
      if (!left.ok) return left;
      const right = evaluateExpr(expr.right, values);
      if (!right.ok) return right;
      return finite(binary(expr.op, left.value, right.value));
    }
    case 'call': {
      const args: number[] = [];
      for (const arg of expr.args) {
        const result = evaluateExpr(arg, values);
        if (!result.ok) return result;
        args.push(result.value);
      }
      return finite(call(expr.fn, args));
    }
  }
}

function finite(result: FormulaResult): FormulaResult {
  return result.ok && !Number.isFinite(result.value) ? fault(NOT_FINITE) : result;
}

function binary(op: BinaryOp, a: number, b: number): FormulaResult {
  switch (op) {
    case '+':
      return { ok: true, value: a + b };
    case '-':
      return { ok: true, value: a - b };
    case '*':
      return { ok: true, value: a * b };
    case '/':
      return b === 0 ? fault('division by zero') : { ok: true, value: a / b };
    case '^': {
      if (a === 0 && b < 0) return fault('division by zero');
      const value = a ** b;
      // mathjs would answer with a complex number here; a KPI has no use for one.
      return Number.isNaN(value) ? fault('a negative number to a fractional power has no real value') : { ok: true, value };
    }
  }
}

function call(fn: FunctionName, args: number[]): FormulaResult {
  const [x = NaN, y] = args;
  switch (fn) {
    case 'min':
      return { ok: true, value: Math.min(...args) };
    case 'max':
      return { ok: true, value: Math.max(...args) };
    case 'abs':
      return { ok: true, value: Math.abs(x) };
    case 'sqrt':
      return x < 0 ? fault(`square root of a negative number (sqrt(${x}))`) : { ok: true, value: Math.sqrt(x) };
    case 'log': {
      if (x <= 0) return fault(`logarithm of a number that is not positive (log(${x}))`);
      if (y === undefined) return { ok: true, value: Math.log(x) };
      if (y <= 0 || y === 1) return fault(`logarithm base must be positive and not 1 (got ${y})`);
      return { ok: true, value: Math.log(x) / Math.log(y) };
    }
    case 'round': {
      if (y === undefined) return { ok: true, value: mathRound(x) };
      if (!Number.isInteger(y) || y < 0 || y > 15) return fault(`round() needs a whole number of decimals from 0 to 15, got ${y}`);
      // mathjs rounds the decimal digits, so round(1.005, 2) is 1.01, where Math.round(100.49999…) is not.
      return { ok: true, value: mathRound(x, y) };
    }
  }
}
