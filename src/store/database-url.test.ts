import path from 'node:path';
import { expect } from 'chai';
import { ConfigError } from '../errors.js';
import { parseDatabaseUrl, redactUrl } from './database-url.js';

const cwd = path.resolve('/srv/rollout');

describe('parseDatabaseUrl', () => {
  const sqlite: [string | undefined, string][] = [
    [undefined, '/srv/rollout/teams-rollout.db'],
    ['', '/srv/rollout/teams-rollout.db'],
    ['   ', '/srv/rollout/teams-rollout.db'],
    ['rollout.db', '/srv/rollout/rollout.db'],
    ['./data/rollout.db', '/srv/rollout/data/rollout.db'],
    ['/var/lib/teams-rollout/rollout.db', '/var/lib/teams-rollout/rollout.db'],
    ['sqlite:rollout.db', '/srv/rollout/rollout.db'],
    ['sqlite:/var/lib/rollout.db', '/var/lib/rollout.db'],
    ['sqlite://data/rollout.db', '/srv/rollout/data/rollout.db'],
    ['sqlite:///var/lib/rollout.db', '/var/lib/rollout.db'],
    ['SQLITE:rollout.db', '/srv/rollout/rollout.db'],
    ['file:./rollout.db', '/srv/rollout/rollout.db'],
    ['file:///var/lib/my%20rollout.db', '/var/lib/my rollout.db'],
    ['sqlite::memory:', ':memory:'],
  ];
  for (const [input, file] of sqlite) {
    it(`${JSON.stringify(input)} → SQLite at ${file}`, () => {
      expect(parseDatabaseUrl(input, cwd)).to.deep.equal({ kind: 'sqlite', path: file });
    });
  }

  it('reads a Windows drive path as a path, not as a scheme', () => {
    expect(parseDatabaseUrl('C:\\rollout\\r.db', cwd)).to.have.property('kind', 'sqlite');
  });

  it('takes a PostgreSQL URL with its schema parameter out, and keeps what may be shown', () => {
    expect(parseDatabaseUrl('postgres://rollout:s3cret@db.contoso.com:5433/teams?schema=tr_prod&sslmode=require', cwd)).to.deep.equal({
      kind: 'postgres',
      connectionString: 'postgres://rollout:s3cret@db.contoso.com:5433/teams?sslmode=require',
      schema: 'tr_prod',
      server: { host: 'db.contoso.com', port: '5433', database: 'teams', user: 'rollout' },
    });
    expect(parseDatabaseUrl('postgresql://db.contoso.com/teams', cwd)).to.deep.include({ kind: 'postgres', schema: 'public', connectionString: 'postgresql://db.contoso.com/teams' });
  });

  const rejected: [string, RegExp][] = [
    ['mysql://root:hunter2@db/teams', /"mysql:\/\/root:\*\*\*@db\/teams" is not a supported database/],
    ['https://example.com/db', /is not a supported database/],
    ['sqlite:', /names no file/],
    ['file://', /names no file/],
    ['sqlite:rollout.db?mode=ro', /takes no URL options/],
    ['postgres://db/teams?schema=tr-prod', /schema "tr-prod" is not a plain PostgreSQL identifier/],
    ['postgres://db/teams?schema=1abc', /not a plain PostgreSQL identifier/],
  ];
  for (const [input, message] of rejected) {
    it(`rejects ${input} with a ConfigError that names DATABASE_URL`, () => {
      let error: unknown;
      try {
        parseDatabaseUrl(input, cwd);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(ConfigError).with.property('exitCode', 2);
      const problem = (error as ConfigError).problems.join('\n');
      expect(problem).to.match(/^DATABASE_URL /).and.match(message);
      expect(problem).not.to.contain('hunter2');
    });
  }

  it('names the accepted forms when it does not know the scheme', () => {
    expect(() => parseDatabaseUrl('mongodb://db', cwd)).to.throw(ConfigError, /sqlite:PATH.*postgres:\/\//);
  });
});

describe('redactUrl', () => {
  it('hides the password and nothing else', () => {
    expect(redactUrl('postgres://me:p%40ss@db:5432/x')).to.equal('postgres://me:***@db:5432/x');
    expect(redactUrl('postgres://me@db/x')).to.equal('postgres://me@db/x');
  });
});
