import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startTestTenant } from '../helpers/tenant.js';

const graphCalls = (requests: Record<string, Record<string, number>>) => Object.keys(requests).filter((k) => k.startsWith('graph.') && k !== 'graph.token');

/** `install --users FILE` on the built CLI (issue 10 item 7, issue 11 major 5 and the binary-file minor). */
describe('install --users FILE', function () {
  this.timeout(120_000);

  it('a binary file is refused as "not a text or CSV file": exit 2, no raw bytes echoed, nothing asked of Graph', async () => {
    const t = await startTestTenant({ users: 5, seed: 2 });
    try {
      const dir = mkdtempSync(path.join(tmpdir(), 'users-binary-'));
      const file = path.join(dir, 'pilot.csv');
      writeFileSync(file, Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x06\x00', 'latin1'), Buffer.from('\x1b]0;pwned\x07\x1b[2J\x1b[31m'.repeat(30), 'latin1'), Buffer.alloc(64, 0)]));
      const r = await runCli(['install', '--users', file], { ...t.env, DATABASE_URL: path.join(dir, 'x.db') });
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.contain('not a text or CSV file').and.contain('CSV UTF-8');
      expect(r.stderr + r.stdout).not.to.match(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      expect(graphCalls(t.state.requests)).to.deep.equal([]);
    } finally {
      await t.stop();
    }
  });
});
