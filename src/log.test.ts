import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { createLogger, resolveLogFormat, type LogFormat } from './log.js';

describe('log', () => {
  describe('resolveLogFormat: LOG_FORMAT and whether stderr is a terminal', () => {
    const table: [LogFormat, boolean, 'json' | 'pretty'][] = [
      ['auto', true, 'pretty'],
      ['auto', false, 'json'],
      ['json', true, 'json'],
      ['json', false, 'json'],
      ['pretty', true, 'pretty'],
      ['pretty', false, 'pretty'],
    ];
    for (const [format, terminal, want] of table) {
      it(`${format}, ${terminal ? 'a terminal' : 'a file or pipe'} → ${want}`, () => expect(resolveLogFormat(format, terminal)).to.equal(want));
    }
  });

  /** What a logger of this format writes to a file (not a terminal) for one warning with a secret in it. */
  const written = (format: LogFormat): string => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tr-log-')), 'err.log');
    const fd = openSync(file, 'w');
    createLogger('info', format, fd).child('serve').warn('bot token refused', { status: 401, secret: 'hunter2' });
    closeSync(fd);
    return readFileSync(file, 'utf8');
  };

  it('json: one JSON line per event, with the component, the fields and secrets redacted', () => {
    const line = JSON.parse(written('json').trim()) as Record<string, unknown>;
    expect(line).to.include({ msg: 'bot token refused', component: 'serve', status: 401, secret: '[redacted]', level: 40 });
  });

  it('pretty: one readable line with the level, the component and the message; secrets still redacted', () => {
    const text = written('pretty');
    expect(() => JSON.parse(text.split('\n')[0]!), 'not JSON').to.throw();
    expect(text.split('\n')[0]).to.match(/^\[\d\d:\d\d:\d\d\] WARN: serve: bot token refused$/);
    expect(text).to.contain('status: 401').and.contain('[redacted]').and.not.contain('hunter2');
  });

  it('auto to a file writes JSON lines (a log shipper reads them)', () => {
    expect(JSON.parse(written('auto').trim())).to.include({ msg: 'bot token refused' });
  });
});
