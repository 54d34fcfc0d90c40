import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { findOtherLedgers } from './ledger-candidates.js';

describe('findOtherLedgers (the ledger a run may have meant)', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'ledgers-'));
  const folder = path.join(root, 'data', 'teams-rollout');
  const cwd = path.join(root, 'work');
  mkdirSync(folder, { recursive: true });
  mkdirSync(cwd);
  const file = (p: string, ageSeconds: number, body = 'SQLite format 3') => {
    writeFileSync(p, body);
    const t = Date.now() / 1000 - ageSeconds;
    utimesSync(p, t, t);
    return p;
  };
  const current = file(path.join(folder, 'tenant-app.db'), 0);
  const older = file(path.join(folder, 'old-tenant-app.db'), 500);
  const newer = file(path.join(folder, 'tenant-other-app.db'), 10);
  file(path.join(folder, 'notes.txt'), 1);
  file(path.join(folder, 'empty.db'), 1, '');
  const oldDefault = file(path.join(cwd, 'teams-rollout.db'), 100);

  it('every other non-empty *.db of the folder and ./teams-rollout.db, newest first, never the one in use', () => {
    expect(findOtherLedgers({ current, cwd, folder })).to.deep.equal([newer, oldDefault, older]);
  });

  it('the old default in the working folder is not offered when it is the ledger in use', () => {
    expect(findOtherLedgers({ current: oldDefault, cwd, folder })).to.deep.equal([current, newer, older]);
  });

  it('a folder that does not exist offers nothing from it', () => {
    expect(findOtherLedgers({ current, cwd: path.join(root, 'none'), folder: path.join(root, 'none') })).to.deep.equal([]);
  });
});
