// The one door to mathjs: only its expression parser, the numeric round and the node guards.
// scripts/build.mjs bundles this file on its own with esbuild, so the compiled app loads the
// few mathjs modules these need instead of evaluating all 1,000+ of the full entry.
export { create, isConstantNode, isFunctionNode, isOperatorNode, isParenthesisNode, isSymbolNode, parseDependencies, roundDependencies } from 'mathjs';
export type { MathNode } from 'mathjs';
