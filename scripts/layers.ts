/**
 * The layers of src/, lowest first (issue 12 "Layers that run one way"). A module may import from its own
 * layer and from lower ones, never from a higher one: the ledger knows nothing of the store, Graph
 * nothing of the ledger, the sender nothing of the installer. `test/layers.test.ts` holds src/ to it.
 * The simulator stands aside: it uses only the base, and only the CLI (and the package's index) start it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const LAYERS: readonly (readonly string[])[] = [
  ['clock', 'errors', 'log', 'cloud', 'net', 'pace', 'lease-holder'],
  ['config'],
  ['graph'],
  ['ledger'],
  ['store'],
  ['references'],
  ['bot'],
  ['sender'],
  ['installer'],
  ['doctor'],
  ['deps'],
  ['cli', 'index'],
  ['main'],
];
const ASIDE = { name: 'simulator', uses: LAYERS[0]!, usedBy: ['cli', 'index'] } as const;

/** The unit of a file under src/: its top folder, or its name for a file at the top (`config.ts` → config). */
export function unitOf(file: string): string {
  const first = file.split(/[\\/]/)[0]!;
  return first.replace(/\.(ts|js)$/, '');
}

const levelOf = (unit: string) => LAYERS.findIndex((l) => l.includes(unit));

/** Why `from` may not import `to` (both units), or null when it may. */
export function refusal(from: string, to: string): string | null {
  if (from === to) return null;
  if (to === ASIDE.name) return (ASIDE.usedBy as readonly string[]).includes(from) ? null : `only ${ASIDE.usedBy.join(' and ')} may start the simulator`;
  if (from === ASIDE.name) return ASIDE.uses.includes(to) ? null : `the simulator uses only ${ASIDE.uses.join(', ')}: it must not agree with the product by sharing its code`;
  const [a, b] = [levelOf(from), levelOf(to)];
  if (a < 0) return `${from} is in no layer: add it to LAYERS in scripts/layers.ts`;
  if (b < 0) return `${to} is in no layer: add it to LAYERS in scripts/layers.ts`;
  return b <= a ? null : `${to} is a higher layer than ${from}`;
}

export interface Violation {
  file: string;
  imports: string;
  why: string;
}

/** Every relative import of src/'s non-test files that goes against the layers. */
export function layerViolations(srcDir = 'src'): Violation[] {
  const out: Violation[] = [];
  for (const file of listTs(srcDir)) {
    if (file.endsWith('.test.ts')) continue;
    const from = unitOf(file);
    const { importedFiles } = ts.preProcessFile(readFileSync(path.join(srcDir, file), 'utf8'), true, false);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = path.relative(srcDir, path.resolve(srcDir, path.dirname(file), fileName));
      if (target.startsWith('..')) continue; // package.json and the like
      const why = refusal(from, unitOf(target));
      if (why) out.push({ file: `src/${file}`, imports: fileName, why });
    }
  }
  return out;
}

function listTs(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listTs(dir, path.join(prefix, e.name)) : e.name.endsWith('.ts') ? [path.join(prefix, e.name)] : [],
  );
}
