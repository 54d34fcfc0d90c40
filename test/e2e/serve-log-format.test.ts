import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { RunningTenant } from '../../src/simulator/server.js';
import { BIN } from '../helpers/cli.js';
import { waitFor } from '../helpers/rollout.js';
import { freePort, startServeProcess } from '../helpers/serve-process.js';
import { startTestTenant } from '../helpers/tenant.js';

/**
 * Issue 11: `serve` in a terminal printed raw pino JSON. LOG_FORMAT=auto (the default) gives readable
 * lines on a terminal and JSON lines to a pipe. The terminal is a real pseudo-terminal: util-linux
 * `script` runs the built CLI on one.
 */
describe('serve logs: readable in a terminal, JSON lines to a pipe (built CLI)', function () {
  this.timeout(40_000);
  let t: RunningTenant;
  let env: Record<string, string>;
  before(async () => {
    t = await startTestTenant({ users: 10, seed: 'log-format' });
    env = { ...t.env, DATABASE_URL: path.join(mkdtempSync(path.join(tmpdir(), 'tr-log-format-')), 'rollout.db'), LOG_LEVEL: 'info' };
  });
  after(() => t?.stop());

  /** An activity with a token nobody signed: serve refuses it and logs one warning. */
  const forged = (port: number) =>
    fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer a.b.c' }, body: '{"type":"message"}' });

  it('on a terminal: one readable warning line, no JSON', async () => {
    const port = await freePort();
    const child = spawn('script', ['-qfec', `${process.execPath} ${BIN} serve --port ${port}`, '/dev/null'], { env: { ...process.env, ...env, COLUMNS: '80' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    try {
      await waitFor(() => out.includes('bot endpoint'), 20_000);
      expect((await forged(port)).status).to.equal(401);
      await waitFor(() => out.includes('refused an activity'), 10_000);
      const line = out.split(/\r?\n/).find((l) => l.includes('refused an activity'))!;
      expect(line.replace(/\x1b\[[0-9;]*m/g, '')).to.match(/^\[\d\d:\d\d:\d\d\] WARN: refused an activity without a valid Bot Framework token/);
      expect(out).to.not.contain('{"level"');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('to a pipe: JSON lines a log shipper can read', async () => {
    const s = await startServeProcess(env);
    try {
      expect((await forged(s.port)).status).to.equal(401);
      await waitFor(() => s.stderr.includes('refused an activity'), 10_000);
      const line = s.stderr.split('\n').find((l) => l.includes('refused an activity'))!;
      expect(JSON.parse(line)).to.include({ level: 40, msg: 'refused an activity without a valid Bot Framework token' });
    } finally {
      await s.stop();
    }
  });

  it('LOG_FORMAT=pretty to a pipe: readable lines there too', async () => {
    const s = await startServeProcess({ ...env, LOG_FORMAT: 'pretty' });
    try {
      expect((await forged(s.port)).status).to.equal(401);
      await waitFor(() => s.stderr.includes('refused an activity'), 10_000);
      expect(s.stderr).to.match(/^\[\d\d:\d\d:\d\d\] WARN: refused an activity/m).and.not.contain('{"level"');
    } finally {
      await s.stop();
    }
  });
});
