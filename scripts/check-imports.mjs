#!/usr/bin/env node
// Checks every import under src/ against the room plan in ../shared/DESIGN.md ("Rooms and what
// each may touch"): static imports and re-exports, type-only ones included, dynamic `import()` and
// `import('…')` types. Prints each forbidden import, the counts by (from room → to room), the
// packages imported outside the room that owns them (STYLE.md habit 12), and the import cycles
// between rooms. Exits 1 when it finds any of these, 0 when there are none.
//
// Usage: node scripts/check-imports.mjs [--summary]   (--summary: counts and cycles only)
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');

/**
 * DESIGN.md's table: each room and the rooms it may import (its own room always). `app` is
 * src/app.ts and src/app/, `cli` is src/cli/ and src/main.ts.
 */
const MAY_IMPORT = {
  domain: [],
  lib: ['domain'],
  config: ['domain', 'lib'],
  store: ['domain', 'lib'],
  ingest: ['domain', 'lib', 'store'],
  kpi: ['domain', 'lib', 'store'],
  alerts: ['domain', 'lib', 'store', 'kpi'],
  charts: ['domain', 'lib'],
  digest: ['domain', 'lib', 'store', 'kpi', 'alerts', 'charts'],
  answers: ['domain', 'lib', 'kpi', 'alerts', 'digest', 'charts'],
  slack: ['domain', 'lib', 'answers'],
  local: ['domain', 'lib', 'answers'],
  jobs: ['domain', 'lib', 'store'],
  app: ['domain', 'lib', 'config', 'store', 'ingest', 'kpi', 'alerts', 'charts', 'digest', 'answers', 'slack', 'local', 'jobs'],
  cli: ['domain', 'lib', 'config', 'store', 'ingest', 'kpi', 'alerts', 'charts', 'digest', 'answers', 'slack', 'local', 'jobs', 'app'],
};

/** Folders whose code name differs from DESIGN's room name (none: every folder is named as its room). */
const FOLDER_ROOM = {};

/**
 * The allow-list: type-only imports of the interfaces an adapter implements or receives, which
 * DESIGN names ("slack/ … and the service interfaces it receives"; alerts holds "the Notifier
 * interface" that slack/ and local/ implement). Paths are relative to src/.
 */
const INTERFACES = [
  { rooms: ['slack', 'local'], path: /^alerts\/notifier\.ts$/, why: 'the Notifier interface it implements, for alerts and digests' },
  { rooms: ['slack', 'local'], path: /^digest\/digest\.ts$/, why: 'the digest model (DigestDelivery) that Notifier hands it' },
  { rooms: ['slack'], path: /^[a-z]+\/[a-z-]+-service\.ts$/, why: 'a service interface it receives' },
  // The config's types: the rule, KPI, source and env shapes are inferred from the zod schemas that
  // validate them, so they live in config/; every room that is handed a piece of the validated config
  // reads its type from there, never its values (values come through app.ts). Issue 15, step 6.
  {
    rooms: ['ingest', 'kpi', 'alerts', 'digest', 'answers', 'slack', 'local', 'jobs'],
    path: /^config\/(config-schema|alerts-schema|crm-source-schemas|env)\.ts$/,
    why: "the validated config's type it is handed",
  },
];

/** Packages only one room may import (STYLE.md habit 12). */
const PACKAGE_OWNER = [
  [/^@slack\//, 'slack'],
  [/^(@prisma\/|prisma$)/, 'store'],
  [/^mathjs$/, 'kpi'],
  [/^vega(-lite)?$/, 'charts'],
];

/** The room of a file under src/, or undefined for a file outside it. */
function roomOf(file) {
  const rel = relative(SRC, file);
  if (rel.startsWith('..')) return undefined;
  const parts = rel.split(sep);
  if (parts.length === 1) return { 'app.ts': 'app', 'main.ts': 'cli' }[parts[0]] ?? `(src/${parts[0]})`;
  return FOLDER_ROOM[parts[0]] ?? parts[0];
}

/** Every .ts file under a folder, tests beside the code left out. */
function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(path);
    return /\.(ts|mts)$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** Every import of a file: its specifier, line, and whether it is type-only. */
function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found = [];
  const add = (node, spec, typeOnly) => found.push({ spec, typeOnly, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1 });
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      // `import { type A, type B }` is erased like `import type { A, B }`; a bare `import './x'` runs it.
      const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      add(node, node.moduleSpecifier.text, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      add(node, node.moduleSpecifier.text, node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      add(node, node.arguments[0].text, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node, node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Rooms that import each other, directly or round a loop: Tarjan's strongly connected components. */
function cycles(edges) {
  const nodes = [...new Set([...edges.keys(), ...[...edges.values()].flatMap((s) => [...s])])].sort();
  let index = 0;
  const at = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const connect = (v) => {
    at.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of [...(edges.get(v) ?? [])].sort()) {
      if (!at.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), at.get(w)));
    }
    if (low.get(v) === at.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of nodes) if (!at.has(v)) connect(v);
  return found;
}

const summaryOnly = process.argv.includes('--summary');
const files = sourceFiles(SRC).sort();
const violations = [];
const packageViolations = [];
const allowedImports = [];
const unmapped = new Set();
const roomEdges = new Map();
const edgeFiles = new Map();
let crossRoom = 0;

for (const file of files) {
  const from = roomOf(file);
  if (!(from in MAY_IMPORT)) unmapped.add(relative(ROOT, file));
  for (const imp of importsOf(file)) {
    const where = `${relative(ROOT, file)}:${imp.line}`;
    if (!imp.spec.startsWith('.')) {
      const owner = PACKAGE_OWNER.find(([pattern]) => pattern.test(imp.spec))?.[1];
      if (owner && owner !== from && from !== 'app' && from !== 'cli') packageViolations.push({ where, from, spec: imp.spec, owner, typeOnly: imp.typeOnly });
      continue;
    }
    const to = roomOf(resolve(dirname(file), imp.spec));
    if (!to || to === from) continue;
    crossRoom++;
    if (!roomEdges.has(from)) roomEdges.set(from, new Set());
    roomEdges.get(from).add(to);
    const pair = `${from} → ${to}`;
    if (!edgeFiles.has(pair)) edgeFiles.set(pair, new Set());
    edgeFiles.get(pair).add(relative(ROOT, file));
    if ((MAY_IMPORT[from] ?? []).includes(to)) continue;
    const target = relative(SRC, resolve(dirname(file), imp.spec))
      .split(sep)
      .join('/');
    const allowed = imp.typeOnly && INTERFACES.find((a) => a.rooms.includes(from) && a.path.test(target));
    if (allowed) allowedImports.push({ where, from, to, spec: imp.spec, why: allowed.why });
    else violations.push({ where, from, to, spec: imp.spec, typeOnly: imp.typeOnly });
  }
}

const kind = (v) => (v.typeOnly ? 'type ' : 'value');
if (!summaryOnly) {
  if (violations.length) console.log('Forbidden imports (DESIGN.md, "Rooms and what each may touch"):');
  for (const v of violations) console.log(`  ${v.where}  ${v.from} → ${v.to}  ${kind(v)}  '${v.spec}'`);
  if (allowedImports.length) console.log('\nAllowed by the allow-list (type-only, an interface the adapter implements or receives):');
  for (const a of allowedImports) console.log(`  ${a.where}  ${a.from} → ${a.to}  '${a.spec}': ${a.why}`);
  if (packageViolations.length) console.log('\nPackages imported outside the room that owns them (STYLE.md, habit 12):');
  for (const v of packageViolations) console.log(`  ${v.where}  ${v.from} imports ${v.spec} (only ${v.owner} may)  ${kind(v)}`);
}
for (const file of unmapped) console.log(`  ${file}: in no room of DESIGN.md's table`);

const counts = new Map();
for (const v of violations) {
  const key = `${v.from} → ${v.to}`;
  const c = counts.get(key) ?? { value: 0, type: 0 };
  c[v.typeOnly ? 'type' : 'value']++;
  counts.set(key, c);
}
const values = violations.filter((v) => !v.typeOnly).length;
console.log(
  `\n${files.length} files, ${crossRoom} imports across rooms, ${violations.length} forbidden (${values} value, ${violations.length - values} type-only), ${allowedImports.length} allowed by the allow-list.`,
);
if (counts.size) console.log('Forbidden imports by (from room → to room):');
for (const [key, c] of [...counts].sort((a, b) => b[1].value + b[1].type - (a[1].value + a[1].type) || a[0].localeCompare(b[0]))) {
  console.log(`  ${key.padEnd(22)} ${String(c.value + c.type).padStart(3)}  (${c.value} value, ${c.type} type-only)`);
}
console.log(`${packageViolations.length} package imports outside their owning room.`);

const loops = cycles(roomEdges);
console.log(loops.length ? `Import cycles between rooms (${loops.length}):` : 'No import cycles between rooms.');
for (const component of loops) {
  const inside = [...edgeFiles.keys()].filter((pair) => component.includes(pair.split(' → ')[0]) && component.includes(pair.split(' → ')[1])).sort();
  console.log(`  ${component.join(', ')}`);
  for (const pair of inside) console.log(`    ${pair}: ${[...edgeFiles.get(pair)].join(', ')}`);
}

process.exit(violations.length || packageViolations.length || loops.length || unmapped.size ? 1 : 0);
