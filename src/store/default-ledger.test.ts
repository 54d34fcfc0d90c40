import { expect } from 'chai';
import { defaultLedgerPath, userDataFolder } from './default-ledger.js';

const TENANT = '8f3c2a10-1b2c-4d5e-8f90-a1b2c3d4e5f6';
const APP = '1A2B3C4D-0000-4000-8000-00000000ABCD';

describe('defaultLedgerPath (the ledger when DATABASE_URL is unset)', () => {
  const rows: [string, NodeJS.Platform, Record<string, string>, string, string][] = [
    ['Linux, no XDG_DATA_HOME', 'linux', {}, '/home/ana', `/home/ana/.local/share/teams-rollout/${TENANT}-1a2b3c4d-0000-4000-8000-00000000abcd.db`],
    ['Linux, XDG_DATA_HOME', 'linux', { XDG_DATA_HOME: '/data/ana' }, '/home/ana', `/data/ana/teams-rollout/${TENANT}-1a2b3c4d-0000-4000-8000-00000000abcd.db`],
    ['Linux, a relative XDG_DATA_HOME is ignored (XDG spec)', 'linux', { XDG_DATA_HOME: 'data' }, '/home/ana', `/home/ana/.local/share/teams-rollout/${TENANT}-1a2b3c4d-0000-4000-8000-00000000abcd.db`],
    ['macOS', 'darwin', { XDG_DATA_HOME: '/ignored' }, '/Users/ana', `/Users/ana/Library/Application Support/teams-rollout/${TENANT}-1a2b3c4d-0000-4000-8000-00000000abcd.db`],
    ['Windows, LOCALAPPDATA', 'win32', { LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' }, 'C:\\Users\\ana', `C:\\Users\\ana\\AppData\\Local\\teams-rollout\\${TENANT}-1a2b3c4d-0000-4000-8000-00000000abcd.db`],
    ['Windows, no LOCALAPPDATA', 'win32', {}, 'C:\\Users\\ana', `C:\\Users\\ana\\AppData\\Local\\teams-rollout\\${TENANT}-1a2b3c4d-0000-4000-8000-00000000abcd.db`],
  ];
  for (const [what, platform, env, homedir, expected] of rows) {
    it(`${what} → ${expected}`, () => {
      expect(defaultLedgerPath({ tenant: TENANT, appId: APP, platform, env, homedir })).to.equal(expected);
    });
  }

  it('does not depend on the working folder: the same tenant and app, the same ledger', () => {
    const a = defaultLedgerPath({ tenant: TENANT, appId: APP, platform: 'linux', env: { PWD: '/srv/one' }, homedir: '/home/ana' });
    const b = defaultLedgerPath({ tenant: ` ${TENANT.toUpperCase()} `, appId: APP.toLowerCase(), platform: 'linux', env: { PWD: '/tmp' }, homedir: '/home/ana' });
    expect(a).to.equal(b);
  });

  const names: [string | undefined, string | undefined, string][] = [
    ['contoso.onmicrosoft.com', APP, `contoso.onmicrosoft.com-${APP.toLowerCase()}.db`],
    [undefined, APP, `no-tenant-${APP.toLowerCase()}.db`],
    [TENANT, undefined, `${TENANT}-no-app.db`],
    ['../../etc/x', 'a/b', '_.._etc_x-a_b.db'],
  ];
  for (const [tenant, appId, file] of names) {
    it(`names tenant ${String(tenant)} and app ${String(appId)} as ${file}, inside the folder`, () => {
      expect(defaultLedgerPath({ tenant, appId, platform: 'linux', env: {}, homedir: '/h' })).to.equal(`/h/.local/share/teams-rollout/${file}`);
    });
  }

  it('userDataFolder follows each platform', () => {
    expect(userDataFolder('freebsd', {}, '/home/b')).to.equal('/home/b/.local/share');
    expect(userDataFolder('darwin', {}, '/Users/b')).to.equal('/Users/b/Library/Application Support');
  });
});
