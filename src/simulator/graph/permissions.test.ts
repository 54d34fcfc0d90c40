import { expect } from 'chai';
import { ROLES, hasAnyRole, installationReach } from './permissions.js';

describe('permissions (wire-facts A5)', () => {
  const reach: [string[], 'all' | 'self' | 'none'][] = [
    [[], 'none'],
    [['User.Read.All'], 'none'],
    [['TeamsAppInstallation.ReadWriteSelfForUser.All'], 'self'],
    [['TeamsAppInstallation.ReadWriteForUser.All'], 'all'],
    [['TeamsAppInstallation.ReadWriteSelfForUser.All', 'TeamsAppInstallation.ReadWriteForUser.All'], 'all'],
    [['TeamsAppInstallation.ReadForUser.All'], 'none'], // read-only cannot install
  ];
  for (const [granted, expected] of reach) {
    it(`install with [${granted.join(', ')}] reaches ${expected}`, () => expect(installationReach(granted, ROLES.installedAppsWrite)).to.equal(expected));
  }

  it('lets the read roles list installations, the Self ones only their own app', () => {
    expect(installationReach(['TeamsAppInstallation.ReadForUser.All'], ROLES.installedAppsRead)).to.equal('all');
    expect(installationReach(['TeamsAppInstallation.ReadSelfForUser.All'], ROLES.installedAppsRead)).to.equal('self');
  });

  it('accepts the least privilege and the broader roles for each call', () => {
    expect(hasAnyRole(['AppCatalog.Read.All'], ROLES.appCatalogRead)).to.equal(true);
    expect(hasAnyRole(['Directory.Read.All'], ROLES.usersRead)).to.equal(true);
    expect(hasAnyRole(['GroupMember.Read.All'], ROLES.groupMembersRead)).to.equal(true);
    expect(hasAnyRole(['User.Read.All'], ROLES.groupMembersRead)).to.equal(false);
    expect(hasAnyRole(['GroupMember.Read.All'], ROLES.usersRead)).to.equal(false);
  });
});
