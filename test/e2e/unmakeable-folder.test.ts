import { expect } from 'chai';
import { runCli } from '../helpers/cli.js';
import { startTestTenant } from '../helpers/tenant.js';

/**
 * A folder the kernel will not make (issue 11 minor): Node's recursive mkdir spun forever on
 * /proc/nope; now the command fails at once, exit 2, naming the place.
 */
describe('a ledger or demo folder that cannot be made (built CLI)', function () {
  this.timeout(60_000);

  it('DATABASE_URL=/proc/nope/x.db: exit 2 within seconds, naming the path and the fix', async () => {
    const t = await startTestTenant({ users: 3, seed: 'proc' });
    try {
      const r = await runCli(['install', '--all-users', '--no-welcome'], { ...t.env, DATABASE_URL: '/proc/nope/x.db' }, { timeoutMs: 20_000 });
      expect(r.signal, 'killed after 20 s: it hung').to.equal(null);
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.contain('Cannot open the SQLite database at /proc/nope/x.db').and.contain('point DATABASE_URL at');
    } finally {
      await t.stop();
    }
  });

  it('demo --dir /proc/nope: exit 2 within seconds, naming the folder', async () => {
    const r = await runCli(['demo', '--dir', '/proc/nope'], {}, { timeoutMs: 20_000 });
    expect(r.signal, 'killed after 20 s: it hung').to.equal(null);
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.contain("--dir /proc/nope: cannot make the demo's folder there");
  });
});
