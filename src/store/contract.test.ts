import { describeStoreContract } from '../../test/store/contract/index.js';
import { makePostgresHarness, makeSqliteHarness } from '../../test/store/harnesses.js';

// One suite, both stores (store/types.ts): whatever the one does, the other must do too.
describeStoreContract('SqliteStore', makeSqliteHarness);
describeStoreContract('PostgresStore', makePostgresHarness);
