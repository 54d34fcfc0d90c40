/**
 * What the bench runs must be built first: our CLI (`dist/`, rebuilt with `npm run build` when missing
 * or older than a source file) and the baselines (bundled with esbuild into plain ESM under
 * bench/.build/, dependencies left in node_modules), so every measured process is plain `node`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { BaselineName } from './runners/baseline.js';

const OUT = path.resolve('bench', '.build');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/ if it is missing or stale; returns whether it did. */
export function ensureBuilt(say: (s: string) => void): boolean {
  const main = path.resolve('dist', 'main.js');
  if (existsSync(main) && statSync(main).mtimeMs >= newestSource(path.resolve('src'))) return false;
  say('dist/ is missing or older than src/: npm run build…');
  const r = spawnSync('npm', ['run', '-s', 'build'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('npm run build failed: the bench measures the built CLI, fix the build first.');
  return true;
}

export async function bundleBaselines(): Promise<void> {
  await build({
    entryPoints: { guide: 'bench/baselines/guide.ts', cc: 'bench/baselines/cc.ts' },
    outdir: OUT,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
}

export const baselineBundle = (name: BaselineName) => path.join(OUT, `${name}.mjs`);
