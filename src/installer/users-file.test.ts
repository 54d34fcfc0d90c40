import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { parseLine, readUsersFile, splitCsvLine, validateUsersFile } from './users-file.js';

const ID = '62ab1234-4444-4d4d-8e8e-000000000004';

describe('users file', () => {
  describe('parseLine', () => {
    const table: [string, string, number | undefined, boolean, string][] = [
      ['a UPN', 'ada@contoso.com', undefined, true, 'ref:upn:ada@contoso.com'],
      ['an object id, lower-cased', ID.toUpperCase(), undefined, true, `ref:id:${ID}`],
      ['a blank line', '   ', undefined, true, 'skip'],
      ['a comment', '# pilot ring', undefined, true, 'skip'],
      ['a header', 'displayName,userPrincipalName', undefined, true, 'header:1'],
      ['an Outlook export header', 'Display Name,Email Address', undefined, true, 'header:1'],
      ['an admin-center export header', 'Display name,User principal name,Licenses', undefined, true, 'header:1'],
      ['a header is not allowed after data', 'userPrincipalName', undefined, false, 'error'],
      ['the header column', 'Ada Lovelace,ada@contoso.com', 1, false, 'ref:upn:ada@contoso.com'],
      ['a quoted cell', '"ada@contoso.com",x', undefined, false, 'ref:upn:ada@contoso.com'],
      ['a BOM', '\uFEFFada@contoso.com', undefined, true, 'ref:upn:ada@contoso.com'],
      ['a name', 'Ada Lovelace', undefined, false, 'error'],
      ['an empty chosen column', 'Ada,', 1, false, 'error'],
      ['half an email', 'ada@', undefined, false, 'error'],
    ];
    for (const [what, line, col, header, expected] of table) {
      it(what, () => {
        const r = parseLine(line, 3, col, header);
        const got = r.kind === 'ref' ? `ref:${r.ref.kind}:${r.ref.value}` : r.kind === 'header' ? `header:${r.column}` : r.kind;
        expect(got).to.equal(expected);
        if (r.kind === 'error') expect(r.message).to.match(/^line 3: /);
      });
    }
  });

  it('on the first line, an unknown header is refused with the column names it may use', () => {
    const r = parseLine('Name,Address', 1, undefined, true);
    expect(r.kind).to.equal('error');
    expect((r as { message: string }).message).to.contain('line 1').and.contain('userPrincipalName').and.contain('Email Address');
    expect((parseLine('Ada Lovelace', 7, undefined, false) as { message: string }).message).not.to.contain('header');
  });

  it('splits CSV with quotes, escaped quotes and semicolons', () => {
    expect(splitCsvLine('a,"b, c","d ""e""";f')).to.deep.equal(['a', 'b, c', 'd "e"', 'f']);
  });

  const file = (text: string) => {
    const p = path.join(mkdtempSync(path.join(tmpdir(), 'users-file-')), 'users.csv');
    writeFileSync(p, text);
    return p;
  };

  it('streams the people of a CSV with a header, comments and blank lines', async () => {
    const p = file(`# HR export\nname,upn\n\nAda,ada@contoso.com\nBen,${ID}\n`);
    expect(await validateUsersFile(p, '--users')).to.deep.equal({ count: 2 });
    const refs = [];
    for await (const r of readUsersFile(p)) refs.push(`${r.line}:${r.value}`);
    expect(refs).to.deep.equal(['4:ada@contoso.com', `5:${ID}`]);
  });

  it('refuses a file with a malformed line, naming the line', async () => {
    const p = file('ada@contoso.com\nben@contoso.com\nnot a user\n');
    try {
      await validateUsersFile(p, '--users');
      expect.fail('accepted a malformed file');
    } catch (e) {
      expect(e).to.be.instanceOf(UsageError);
      expect((e as Error).message).to.contain('line 3').and.contain('nothing was changed');
    }
  });

  it('refuses a file that names nobody', async () => {
    const p = file('# nobody\n\nupn\n');
    await validateUsersFile(p, '--users').then(
      () => expect.fail('accepted an empty list'),
      (e) => expect((e as Error).message).to.contain('names nobody'),
    );
  });

  it('says so when the file cannot be read', async () => {
    await validateUsersFile('/nonexistent/users.csv', '--users').then(
      () => expect.fail('read a missing file'),
      (e) => expect((e as Error).message).to.contain('cannot read').and.contain('ENOENT'),
    );
  });
});
