import { expect } from 'chai';
import { missingPermissions, readableRoles } from './permission-check.js';

const jwt = (claims: object) => `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;
const ALL = ['TeamsAppInstallation.ReadWriteSelfForUser.All', 'AppCatalog.Read.All', 'User.Read.All', 'GroupMember.Read.All'];

describe('permission check before the first install call', () => {
  const table: { name: string; roles: string[]; needs: { people: boolean; groups: boolean }; missing: string[] }[] = [
    { name: 'everything granted', roles: ALL, needs: { people: true, groups: true }, missing: [] },
    { name: 'no install permission', roles: ALL.filter((r) => !r.startsWith('TeamsApp')), needs: { people: true, groups: false }, missing: ['TeamsAppInstallation.ReadWriteSelfForUser.All'] },
    { name: 'a broader install permission is enough', roles: ['TeamsAppInstallation.ReadWriteForUser.All', 'AppCatalog.ReadWrite.All', 'Directory.Read.All'], needs: { people: true, groups: true }, missing: [] },
    { name: 'no group permission, no group targets', roles: ALL.slice(0, 3), needs: { people: true, groups: false }, missing: [] },
    { name: 'no group permission, --group', roles: ALL.slice(0, 3), needs: { people: false, groups: true }, missing: ['GroupMember.Read.All'] },
    { name: 'no user permission, --group only', roles: [ALL[0]!, ALL[1]!, ALL[3]!], needs: { people: false, groups: true }, missing: [] },
    { name: 'no roles at all', roles: [], needs: { people: true, groups: false }, missing: ['TeamsAppInstallation.ReadWriteSelfForUser.All', 'AppCatalog.Read.All', 'User.Read.All'] },
  ];
  for (const row of table) {
    it(row.name, () => {
      const got = missingPermissions(row.roles, row.needs, 'app-1');
      expect(got.map((p) => /permission (\S+)/.exec(p)![1])).to.deep.equal(row.missing);
      for (const p of got) expect(p).to.contain('app-1');
    });
  }

  it('reads the roles of a JWT, none when the claim is absent, and gives up on an opaque token', () => {
    expect(readableRoles(jwt({ roles: ['User.Read.All'] }))).to.deep.equal(['User.Read.All']);
    expect(readableRoles(jwt({ aud: 'x' }))).to.deep.equal([]);
    expect(readableRoles('opaque-token')).to.equal(null);
    expect(readableRoles('a.%%%.c')).to.equal(null);
  });
});
