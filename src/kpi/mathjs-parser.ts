// The one door to mathjs: only its expression parser, the numeric round and the node guards.
// scripts/build.mjs bundles this file on its own with esbuild, so the compiled app loads the
// few mathjs modules these need instead of evaluating all 1,000+ of the full entry.
import { create, factory, parseDependencies, roundDependencies, type FactoryFunctionMap, type MathNode } from 'mathjs';

export { isConstantNode, isFunctionNode, isOperatorNode, isParenthesisNode, isSymbolNode } from 'mathjs';
export type { MathNode } from 'mathjs';

/**
 * What `parse` needs to build a tree: the node classes, and `numeric` to read number literals.
 * The node classes also name what their own `compile()` would call (subset, add, pow, det, Unit,
 * the matrix types, …, 36 factories of typed functions). Nothing here ever compiles or evaluates a
 * mathjs node (the formulas are walked by compile-formula.ts), so those are left as functions that
 * refuse, instead of building their typed signatures: the first parse costs ~25 ms, not ~250 ms.
 */
const PARSER_NEEDS = new Set([
  ...['typed', 'numeric', 'number', 'bignumber', 'fraction', 'BigNumber', 'Fraction', 'parse', 'Node'],
  ...['AccessorNode', 'ArrayNode', 'AssignmentNode', 'BlockNode', 'ConditionalNode', 'ConstantNode', 'FunctionAssignmentNode'],
  ...['FunctionNode', 'IndexNode', 'ObjectNode', 'OperatorNode', 'ParenthesisNode', 'RangeNode', 'RelationalNode', 'SymbolNode'],
]);

/** Every factory a dependency map names, nested maps flattened. */
function factories(deps: Record<string, unknown>, into: Record<string, FactoryFunctionMap[string]> = {}): Record<string, FactoryFunctionMap[string]> {
  for (const [key, value] of Object.entries(deps)) {
    if (key.endsWith('Dependencies')) factories(value as Record<string, unknown>, into);
    else if (typeof value === 'function') into[key] = value as FactoryFunctionMap[string];
  }
  return into;
}

function refusing(name: string): FactoryFunctionMap[string] {
  return factory(name, [], () => () => {
    throw new Error(`[formula] mathjs '${name}' is not available: formulas are evaluated by crm-pulse, not by mathjs`);
  }) as FactoryFunctionMap[string];
}

let parser: { parse(text: string): MathNode } | undefined;

/**
 * mathjs's `parse`, from an instance of our own built on first use, so nobody's
 * `math.config({ number: 'BigNumber' })` elsewhere can change what a constant parses to.
 * @example mathParse('won / (won + lost)').toString() // 'won / (won + lost)'
 */
export function mathParse(text: string): MathNode {
  parser ??= create(
    Object.fromEntries(
      Object.entries(factories(parseDependencies as Record<string, unknown>)).map(([key, f]) => {
        const name = (f as { fn?: string }).fn ?? key;
        return [key, PARSER_NEEDS.has(name) ? f : refusing(name)];
      }),
    ),
  ) as unknown as { parse(text: string): MathNode };
  return parser.parse(text);
}

let rounder: { round(x: number, n?: number): number } | undefined;

/**
 * mathjs's numeric round, which rounds the decimal digits (round(1.005, 2) is 1.01), built on
 * its first use: few formulas round, and its typed signatures cost ~100 ms to build.
 */
export function mathRound(x: number, decimals?: number): number {
  rounder ??= create({ ...roundDependencies }) as unknown as { round(x: number, n?: number): number };
  return decimals === undefined ? rounder.round(x) : rounder.round(x, decimals);
}
