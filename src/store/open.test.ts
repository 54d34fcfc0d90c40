import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, FatalRunError } from '../errors.js';
import { openStore } from './open.js';
import type { Store } from './types.js';
import { dropSchema, randomSchema, TEST_POSTGRES_URL } from '../../test/store/harnesses.js';

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('openStore(DATABASE_URL)', () => {
  let dir: string;
  const opened: Store[] = [];
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tr-open-'));
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const open = async (url: string | undefined) => {
    const store = await openStore(url, { cwd: dir });
    opened.push(store);
    return store;
  };

  it('opens ./teams-rollout.db in the working folder when DATABASE_URL is unset or empty', async () => {
    expect((await open(undefined)).kind).to.equal('sqlite');
    expect(existsSync(path.join(dir, 'teams-rollout.db'))).to.equal(true);
    expect((await open('')).kind).to.equal('sqlite');
  });

  it('creates the parent folders of a sqlite: path, and the file keeps its data across opens', async () => {
    const first = await open('sqlite:state/nested/rollout.db');
    await first.setSetting('k', 'v');
    await first.close();
    expect(existsSync(path.join(dir, 'state', 'nested', 'rollout.db'))).to.equal(true);
    expect(await (await open(`file://${path.join(dir, 'state', 'nested', 'rollout.db')}`)).getSetting('k')).to.equal('v');
  });

  it('opens PostgreSQL in the schema named by ?schema=, creating it', async () => {
    const schema = randomSchema();
    try {
      const store = await open(`${TEST_POSTGRES_URL}?schema=${schema}`);
      expect(store.kind).to.equal('postgres');
      await store.setSetting('k', 'v');
      expect(await store.getSetting('k')).to.equal('v');
      await store.close();
    } finally {
      await dropSchema(schema);
    }
  });

  it('rejects an unknown form with a ConfigError (exit 2) naming DATABASE_URL and the accepted forms', async () => {
    const error = await failure(open('mysql://root:hunter2@db/teams'));
    expect(error).to.be.instanceOf(ConfigError).with.property('exitCode', 2);
    expect((error as Error).message).to.contain('DATABASE_URL').and.contain('sqlite:PATH').and.contain('postgres://').and.not.contain('hunter2');
  });

  it('says in one line, without the password, that PostgreSQL is unreachable and what to fix', async () => {
    const error = await failure(open('postgres://rollout:s3cret-pw@127.0.0.1:1/teams'));
    expect(error).to.be.instanceOf(FatalRunError).with.property('code', 'STORE_UNAVAILABLE');
    const message = (error as Error).message;
    expect(message).to.contain('127.0.0.1:1').and.contain('connection refused').and.contain('DATABASE_URL');
    expect(message).not.to.contain('s3cret-pw');
    expect(message).not.to.contain('\n');
  });

  it('names a missing PostgreSQL database and how to create it', async () => {
    const url = new URL(TEST_POSTGRES_URL);
    url.pathname = '/tr_no_such_database';
    const error = await failure(open(url.toString()));
    expect(error).to.have.property('code', 'STORE_UNAVAILABLE');
    expect((error as Error).message).to.match(/database "tr_no_such_database" does not exist\. Create it \(createdb tr_no_such_database\)/);
  });

  it('names the file when it is not a database', async () => {
    writeFileSync(path.join(dir, 'notes.db'), 'meeting notes, not a database '.repeat(40));
    const error = await failure(open('notes.db'));
    expect(error).to.have.property('code', 'STORE_UNAVAILABLE');
    expect((error as Error).message).to.contain(path.join(dir, 'notes.db')).and.contain('DATABASE_URL');
  });
});
