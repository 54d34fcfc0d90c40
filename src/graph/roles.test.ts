import { expect } from 'chai';
import { checkRoles, rolesOfToken } from './roles.js';

describe('checkRoles', () => {
  const ok = (granted: string[]) => checkRoles(granted).map((v) => [v.need.what.split(' ')[0] + (v.need.optional ? '?' : ''), v.ok, v.satisfiedBy, v.broaderThanNeeded]);
  it('passes with the least-privileged set', () => {
    expect(ok(['TeamsAppInstallation.ReadWriteSelfForUser.All', 'AppCatalog.Read.All', 'User.Read.All', 'GroupMember.Read.All']).every((r) => r[1] && !r[3])).to.equal(true);
  });
  it('names the missing install permission', () => {
    const v = checkRoles(['AppCatalog.Read.All', 'User.Read.All']);
    expect(v[0]).to.include({ ok: false, satisfiedBy: null });
    expect(v[0]!.need.anyOf[0]).to.equal('TeamsAppInstallation.ReadWriteSelfForUser.All');
  });
  it('accepts a broader role but says so', () => {
    const v = checkRoles(['TeamsAppInstallation.ReadWriteForUser.All', 'AppCatalog.ReadWrite.All', 'Directory.Read.All']);
    expect(v.map((x) => x.ok)).to.deep.equal([true, true, true, true]);
    expect(v.map((x) => x.broaderThanNeeded)).to.deep.equal([true, true, true, true]);
  });
  it('marks group reads optional', () => {
    expect(checkRoles([]).filter((v) => v.need.optional).length).to.equal(1);
  });
});

describe('rolesOfToken', () => {
  const jwt = (claims: object) => `x.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.y`;
  it('reads the roles claim', () => expect(rolesOfToken(jwt({ roles: ['User.Read.All'] }))).to.deep.equal(['User.Read.All']));
  it('is empty without roles', () => expect(rolesOfToken(jwt({ scp: 'x' }))).to.deep.equal([]));
  it('is empty for an opaque token', () => expect(rolesOfToken('opaque')).to.deep.equal([]));
});
