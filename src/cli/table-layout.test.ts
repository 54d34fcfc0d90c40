import { expect } from 'chai';
import type { ReportRow } from './render-rows.js';
import { layoutTable, tableDataLine, tableHeaderLine, tableWidth } from './table-layout.js';

const row = (over: Partial<ReportRow> = {}): ReportRow => ({
  userPrincipalName: 'adele.vance@contoso.onmicrosoft.com',
  aadObjectId: '0b8f1c2e-3d4a-4b5c-9d6e-7f8091a2b3c4',
  displayName: 'Adele Vance',
  state: 'failed',
  reason: 'bot_blocked_by_user',
  statusCode: 403,
  serviceCode: 'MessageWritesBlocked',
  detail: 'Thread is blocked from message writes. The person blocked the bot: they can unblock it in Teams.',
  installAttempts: 1,
  welcomeAttempts: 1,
  installedAt: '2026-12-07T07:36:52.649Z',
  welcomedAt: null,
  optedOut: false,
  rolloutId: 'r1',
  tenantId: 't1',
  ...over,
});
const sample = [row(), row({ userPrincipalName: 'megan.bowen@contoso.onmicrosoft.com', state: 'welcomed', reason: null, serviceCode: null, detail: null, welcomedAt: '2026-12-07T07:37:00.000Z' })];
const headers = (width: number) => layoutTable(width, sample).map((c) => c.header);

describe('report --format table: the layout for a width', () => {
  const cases: [number, string[]][] = [
    [40, ['UPN', 'STATE', 'REASON']],
    [80, ['UPN', 'STATE', 'REASON', 'TRIES']],
    [100, ['UPN', 'STATE', 'REASON', 'TRIES', 'DETAIL']],
    [160, ['UPN', 'STATE', 'REASON', 'SERVICE CODE', 'TRIES', 'INSTALLED AT', 'WELCOMED AT', 'DETAIL']],
    [Infinity, ['UPN', 'OBJECT ID', 'STATE', 'REASON', 'SERVICE CODE', 'TRIES', 'INSTALLED AT', 'WELCOMED AT', 'DETAIL']],
  ];
  for (const [width, expected] of cases) {
    it(`${width} columns: ${expected.join(', ')}`, () => {
      expect(headers(width)).to.deep.equal(expected);
    });
  }

  for (const width of [60, 80, 100, 132, 200]) {
    it(`at ${width} columns no line is wider than the terminal`, () => {
      const columns = layoutTable(width, sample);
      for (const line of [tableHeaderLine(columns), ...sample.map((r) => tableDataLine(columns, r))]) expect(line.length, line).to.be.at.most(width);
    });
  }

  it('UPN, state and reason stay whole; the detail gets what is left and is cut with …', () => {
    const columns = layoutTable(100, sample);
    const line = tableDataLine(columns, sample[0]!);
    expect(line.length).to.equal(100);
    expect(line).to.match(/^adele\.vance@contoso\.onmicrosoft\.com +failed +bot_blocked_by_user +1\/1 +Thread is/);
    expect(line.endsWith('…')).to.equal(true);
  });

  it('with real-length addresses 80 columns have room for the detail', () => {
    const short = sample.map((r) => ({ ...r, userPrincipalName: r.userPrincipalName!.replace('.onmicrosoft', '') }));
    expect(layoutTable(80, short).map((c) => c.header)).to.deep.equal(['UPN', 'STATE', 'REASON', 'TRIES', 'DETAIL']);
  });

  it('on a narrow terminal the UPN gives way first, down to 20 characters', () => {
    const columns = layoutTable(60, sample);
    expect(columns[0]!.width).to.equal(31);
    expect(tableDataLine(columns, sample[0]!)).to.match(/^adele\.vance@contoso\.onmicrosof… failed/);
    expect(layoutTable(30, sample)[0]!.width).to.equal(20);
  });

  it('with no width (a file or a pipe) nothing is cut, the detail last and whole', () => {
    const columns = layoutTable(Infinity, sample);
    const line = tableDataLine(columns, row({ detail: 'x'.repeat(500) }));
    expect(line.endsWith('x'.repeat(500))).to.equal(true);
    expect(line).to.include('2026-12-07T07:36:52Z');
  });

  it('on a terminal a column that nobody in the sample has a value for is left out; UPN, STATE and REASON never are', () => {
    const welcomed = [row({ state: 'welcomed', reason: null, serviceCode: null, detail: null, statusCode: null })];
    expect(layoutTable(200, welcomed).map((c) => c.header)).to.deep.equal(['UPN', 'OBJECT ID', 'STATE', 'REASON', 'TRIES', 'INSTALLED AT']);
    expect(layoutTable(200, []).map((c) => c.header)).to.deep.equal(['UPN', 'STATE', 'REASON']);
  });

  it('with no width every column is shown, empty or not: a file always has the same header', () => {
    const all = ['UPN', 'OBJECT ID', 'STATE', 'REASON', 'SERVICE CODE', 'TRIES', 'INSTALLED AT', 'WELCOMED AT', 'DETAIL'];
    const welcomed = [row({ state: 'welcomed', reason: null, serviceCode: null, detail: null, statusCode: null })];
    expect(layoutTable(Infinity, welcomed).map((c) => c.header)).to.deep.equal(all);
    expect(layoutTable(Infinity, []).map((c) => c.header)).to.deep.equal(all);
  });

  it('a line break in a detail does not break the row', () => {
    const columns = layoutTable(Infinity, sample);
    expect(tableDataLine(columns, row({ detail: 'first\nsecond' }))).to.not.include('\n');
  });

  it('no trailing spaces: the last column is not padded', () => {
    const columns = layoutTable(100, sample);
    expect(tableDataLine(columns, sample[1]!)).to.not.match(/ $/);
    expect(tableHeaderLine(columns)).to.not.match(/ $/);
  });
});

describe('report --format table: the width to fit', () => {
  const cases: [string, { isTTY?: boolean; columns?: number }, Record<string, string>, number][] = [
    ['a terminal, its own width', { isTTY: true, columns: 80 }, { COLUMNS: '200' }, 80],
    ['a pipe with COLUMNS', {}, { COLUMNS: '120' }, 120],
    ['a pipe without COLUMNS', {}, {}, Infinity],
    ['COLUMNS that is not a number', {}, { COLUMNS: 'wide' }, Infinity],
    ['COLUMNS=0', {}, { COLUMNS: '0' }, Infinity],
  ];
  for (const [what, out, env, expected] of cases) it(what, () => expect(tableWidth(out, env)).to.equal(expected));
});
