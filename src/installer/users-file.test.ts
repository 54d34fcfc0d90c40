import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { readUsersFile, validateUsersFile } from './users-file.js';
import { interpretRecord, shown } from './users-file-record.js';
import { chooseDelimiter, sniff } from './users-file-sniff.js';

const ID = '62ab1234-4444-4d4d-8e8e-000000000004';

const file = (content: string | Buffer) => {
  const p = path.join(mkdtempSync(path.join(tmpdir(), 'users-file-')), 'users.csv');
  writeFileSync(p, content);
  return p;
};

/** "line:value" for every person read, or the UsageError's message. */
async function read(content: string | Buffer): Promise<string[] | string> {
  const p = file(content);
  try {
    await validateUsersFile(p, '--users');
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  const refs: string[] = [];
  for await (const r of readUsersFile(p)) refs.push(`${r.line}:${r.value}`);
  return refs;
}

describe('users file', () => {
  describe('reads these files', () => {
    const table: [string, string | Buffer, string[]][] = [
      ['a plain list', 'ada@contoso.com\nben@contoso.com\n', ['1:ada@contoso.com', '2:ben@contoso.com']],
      ['object ids, lower-cased', `${ID.toUpperCase()}\n`, [`1:${ID}`]],
      ['a comma header whose name cell holds a semicolon', 'name,upn\nDoe; Jane,jane@contoso.com\n', ['2:jane@contoso.com']],
      ['a semicolon header (Excel in many locales) whose names hold commas', 'Name;UserPrincipalName\n"Doe, Jane";jane@contoso.com\nAda, L.;ada@contoso.com\n', ['2:jane@contoso.com', '3:ada@contoso.com']],
      ['a tab-separated export', 'Display name\tUser principal name\tLicenses\nAda\tada@contoso.com\tE3\n', ['2:ada@contoso.com']],
      ['a quoted field spanning lines, with the line numbers after it right', 'name,upn\n"Doe,\nJane",jane@contoso.com\nBen,ben@contoso.com\n', ['2:jane@contoso.com', '4:ben@contoso.com']],
      ['escaped quotes', 'name,upn\n"Ada ""the Countess""",ada@contoso.com\n', ['2:ada@contoso.com']],
      ['a BOM and CRLF line ends (Excel "CSV UTF-8")', '\uFEFFDisplay Name,Email Address\r\nAda,ada@contoso.com\r\nBen,ben@contoso.com\r\n', ['2:ada@contoso.com', '3:ben@contoso.com']],
      ['a CRLF split across read chunks (long file)', `upn\r\n${Array.from({ length: 4000 }, (_, i) => `user${i}@contoso.com`).join('\r\n')}\r\n`, Array.from({ length: 4000 }, (_, i) => `${i + 2}:user${i}@contoso.com`)],
      ['comments, blank lines and empty Excel rows', '# HR export\nname,upn\n\nAda,ada@contoso.com\n,\n\n# done\nBen,ben@contoso.com\n', ['4:ada@contoso.com', '8:ben@contoso.com']],
      ['a guest UPN with #EXT#, not a comment', 'upn\nada_fabrikam.com#EXT#@contoso.onmicrosoft.com\n', ['2:ada_fabrikam.com#EXT#@contoso.onmicrosoft.com']],
      ['a name in cp1252 (Excel "CSV" on Windows)', Buffer.from('name;upn\nM\xfcller;mueller@contoso.com\n', 'latin1'), ['2:mueller@contoso.com']],
      ['no header: the first non-empty cell', 'ada@contoso.com,Ada\n', ['1:ada@contoso.com']],
    ];
    for (const [what, content, expected] of table) {
      it(what, async () => {
        expect(await read(content)).to.deep.equal(expected);
      });
    }
  });

  describe('refuses these files, naming the line, nothing changed', () => {
    const table: [string, string | Buffer, RegExp[]][] = [
      ['a name where the UPN should be', 'ada@contoso.com\nben@contoso.com\nnot a user\n', [/line 3: "not a user" is neither/, /nothing was changed/]],
      ['an unknown header on line 1, with the column names it may use', 'Name,Address\nAda,ada@contoso.com\n', [/line 1: /, /userPrincipalName/, /Email Address/]],
      ['an empty cell in the header column', 'name,upn\nAda,\n', [/line 2: no user in column 2/]],
      ['a header after data', 'ada@contoso.com\nuserPrincipalName\n', [/line 2: "userPrincipalName"/]],
      ['a quote never closed', 'name,upn\nAda,ada@contoso.com\n"Ben,ben@contoso.com\n', [/line \d+: a quoted field is never closed/]],
      ['a file that names nobody', '# nobody\n\nupn\n', [/names nobody/]],
      ['an .xlsx saved as .csv', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(200, 0), Buffer.from('\x1b[31mboom')]), [/is not a text or CSV file/, /CSV UTF-8/]],
      ['random bytes with escape characters', Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37) % 256)), [/is not a text or CSV file/]],
      ['terminal escapes in an otherwise text file', `ada@contoso.com\n${'\x1b[2J\x1b[31m'.repeat(20)}\n`, [/is not a text or CSV file/]],
      ['a UTF-16 "Unicode text" export', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('upn\r\nada@contoso.com\r\n', 'utf16le')]), [/UTF-16/]],
    ];
    for (const [what, content, patterns] of table) {
      it(what, async () => {
        const got = await read(content);
        expect(got, JSON.stringify(got)).to.be.a('string');
        for (const p of patterns) expect(got).to.match(p);
        // Never the raw bytes back on the terminal.
        expect(got as string).not.to.match(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      });
    }
  });

  it('says so when the file cannot be read', async () => {
    await validateUsersFile('/nonexistent/users.csv', '--users').then(
      () => expect.fail('read a missing file'),
      (e) => expect((e as Error).message).to.contain('cannot read').and.contain('ENOENT'),
    );
  });

  describe('chooseDelimiter: once, from the header', () => {
    const table: [string, string][] = [
      ['name,upn\nDoe; Jane,jane@contoso.com', ','],
      ['name;upn\nDoe, Jane;jane@contoso.com', ';'],
      ['Display name\tUser principal name', '\t'],
      ['# comment; with, delimiters\n\nupn;name', ';'],
      ['ada@contoso.com', ','],
      ['"Doe, Jane";jane@contoso.com;x', ';'],
      ['', ','],
    ];
    for (const [text, d] of table) it(`${JSON.stringify(text)} → ${JSON.stringify(d)}`, () => expect(chooseDelimiter(text)).to.equal(d));
  });

  it('sniff: text with a few accented bytes is text; NULs are not', () => {
    expect(sniff(Buffer.from('upn\nada@contoso.com\n')).kind).to.equal('text');
    expect(sniff(Buffer.from('a\u0000b')).kind).to.equal('binary');
  });

  describe('interpretRecord', () => {
    const table: [string, string[], number | undefined, boolean, string][] = [
      ['a header', ['displayName', 'userPrincipalName'], undefined, true, 'header:1'],
      ['an admin-center export header', ['Display name', 'User principal name', 'Licenses'], undefined, true, 'header:1'],
      ['the header column', ['Ada Lovelace', 'ada@contoso.com'], 1, false, 'ref:upn:ada@contoso.com'],
      ['all cells empty', ['', ''], undefined, false, 'skip'],
      ['half an email', ['ada@'], undefined, false, 'error'],
    ];
    for (const [what, cells, col, header, expected] of table) {
      it(what, () => {
        const r = interpretRecord(cells, 3, col, header);
        expect(r.kind === 'ref' ? `ref:${r.ref.kind}:${r.ref.value}` : r.kind === 'header' ? `header:${r.column}` : r.kind).to.equal(expected);
      });
    }
    it('an error names the line and hints at headers only where one may be', () => {
      expect((interpretRecord(['Ada Lovelace'], 7, undefined, false) as { message: string }).message).to.match(/^line 7: /).and.not.contain('header');
    });
  });

  it('shown: escapes control characters and cuts long values', () => {
    expect(shown('a\x1b[31mb\nc')).to.equal('"a\\x1b[31mb\\nc"');
    expect(shown('x'.repeat(100))).to.have.length(83);
  });
});
