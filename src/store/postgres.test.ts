import { expect } from 'chai';
import pg from 'pg';
import { openStore } from './open.js';
import { PostgresStore } from './postgres.js';
import type { Store } from './types.js';
import { dropSchema, randomSchema, TEST_POSTGRES_URL } from '../../test/store/harnesses.js';
import { newUser, oid, T0, TENANT } from '../../test/store/contract/fixtures.js';

describe('PostgresStore schemas', () => {
  const schemas: string[] = [];
  const stores: Store[] = [];
  const open = async (schema: string) => {
    if (!schemas.includes(schema)) schemas.push(schema);
    const store = new PostgresStore({ connectionString: TEST_POSTGRES_URL, schema, maxConnections: 2 });
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const s of schemas.splice(0)) await dropSchema(s);
  });

  it('status/report (mustExist) and a dry run (readOnly) neither create a schema with no ledger nor read it as empty', async () => {
    const schema = randomSchema();
    schemas.push(schema);
    const url = `${TEST_POSTGRES_URL}${TEST_POSTGRES_URL.includes('?') ? '&' : '?'}schema=${schema}`;
    const schemaExists = async () => {
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      try {
        return (await client.query<{ found: boolean }>('SELECT to_regnamespace($1) IS NOT NULL AS found', [schema])).rows[0]!.found;
      } finally {
        await client.end();
      }
    };
    let refused: unknown;
    await openStore(url, { mustExist: true }).catch((e: unknown) => (refused = e));
    expect((refused as { code?: string })?.code).to.equal('NO_LEDGER');
    expect((refused as Error).message).to.contain(`schema ${schema}`);
    const dry = await openStore(url, { readOnly: true });
    stores.push(dry);
    expect(await dry.listUsers({ limit: 10 })).to.deep.equal([]);
    expect(await schemaExists(), 'nothing created').to.equal(false);

    const real = await openStore(url);
    stores.push(real);
    await real.insertUsers([newUser(1)], T0, 'test');
    const reader = await openStore(url, { mustExist: true });
    stores.push(reader);
    expect(await reader.getUser(TENANT, oid(1))).not.to.equal(undefined);
  });

  it('keeps each schema to itself', async () => {
    const [a, b] = [await open(randomSchema()), await open(randomSchema())];
    await Promise.all([a.migrate(), b.migrate()]);
    await a.insertUsers([newUser(1)], T0, 'test');
    expect(await a.getUser(TENANT, oid(1))).not.to.equal(undefined);
    expect(await b.getUser(TENANT, oid(1))).to.equal(undefined);
  });

  it('lets several replicas migrate the same new schema at once', async () => {
    const schema = randomSchema();
    const replicas = await Promise.all([1, 2, 3, 4].map(() => open(schema)));
    await Promise.all(replicas.map((r) => r.migrate()));
    await replicas[0]!.insertUsers([newUser(1)], T0, 'test');
    expect((await replicas[3]!.getUser(TENANT, oid(1)))?.createdAt).to.equal(T0);
  });

  it('returns BIGINT times and counts as numbers', async () => {
    const store = await open(randomSchema());
    await store.migrate();
    await store.insertUsers([newUser(1)], T0, 'test');
    const row = await store.getUser(TENANT, oid(1));
    expect(row?.createdAt).to.be.a('number').and.equal(T0);
    expect((await store.countByState({}))[0]?.count).to.equal(1);
    expect((await store.history(TENANT, oid(1)))[0]?.at).to.be.a('number');
  });
});
