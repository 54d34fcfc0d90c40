/**
 * Runs the test suite. It makes one HTTPS certificate for every simulated tenant started in this
 * run and starts mocha with NODE_EXTRA_CA_CERTS pointing at it: Node reads that variable only at
 * process start, and the real @azure/identity, MSAL and Graph clients must trust the simulator
 * without turning TLS verification off.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeTlsMaterial } from '../src/simulator/tls.js';

const dir = mkdtempSync(path.join(tmpdir(), 'teams-rollout-test-tls-'));
const tls = await makeTlsMaterial(dir);
writeFileSync(path.join(dir, 'key.pem'), tls.key, { mode: 0o600 });

// With no files named, the whole suite; `npx tsx scripts/test.ts src/store/**/*.test.ts` runs just those.
const ALL = ['src/**/*.test.ts', 'test/**/*.test.ts'];
const args = process.argv.slice(2);
// A file or glob names what to run; an option's value (`--reporter-option output=/tmp/r.json`) does not.
if (!args.some((a) => !a.startsWith('-') && !a.includes('=') && /[/*]|\.ts$/.test(a))) args.push(...ALL);
const child = spawn(process.execPath, [path.join('node_modules', 'mocha', 'bin', 'mocha.js'), ...args], {
  stdio: 'inherit',
  env: { ...process.env, NODE_EXTRA_CA_CERTS: tls.certPath, TEAMS_ROLLOUT_TEST_TLS_DIR: dir },
});
const code: number = await new Promise((resolve) => child.on('close', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
rmSync(dir, { recursive: true, force: true });
process.exit(code);
