import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Channel } from '../../src/simulator/channel.js';
import { runCli } from '../helpers/cli.js';
import { groundTruth, install, ledger, startRolloutEnv, stateOf, waitFor, WELCOMABLE, type RolloutEnv } from '../helpers/rollout.js';
import { freePort, startServeProcess, type ServeProcess } from '../helpers/serve-process.js';
import { startTestTenant } from '../helpers/tenant.js';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { TEST_POSTGRES_URL } from '../store/harnesses.js';

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * `serve` as real processes (the built CLI, dist/main.js) on one SQLite file, with `install` run in
 * this process on the same file. What people received is the tenant's own record.
 */

/** Install for everyone and wait until each person is final; the welcomes are left to the serve processes. */
const rollout = (e: RolloutEnv) =>
  install(e, { welcome: true, referenceWaitMs: 800, settleTimeoutMs: 45_000, pollMs: 100 }, { welcomer: { ensure: async () => undefined, stop: async () => undefined } });

/** Sends under way for a while (a slow answer): killing now catches them in flight. */
async function sendsInFlight(e: RolloutEnv, atLeast: number): Promise<boolean> {
  const rows = await e.core.store.listUsers({ states: ['welcoming'], limit: 100 });
  return rows.filter((r) => r.sendStartedAt && Date.now() - r.sendStartedAt > 60).length >= atLeast;
}

const messageCounts = (e: RolloutEnv) => groundTruth(e.tenant);

describe('serve as processes: killed, stopped, restarted, and two at once on one store', function () {
  this.timeout(60_000);

  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    it(`${signal} mid-welcomes, then restarted: ${signal === 'SIGKILL' ? 'nobody gets two, the unconfirmed are reported' : 'every welcomable person gets exactly one'}`, async () => {
      // Slow answers keep sends in flight; install events that arrive while serve is down are lost, so Graph finds those chats.
      const e = await startRolloutEnv({ users: 100, seed: `serve-${signal}`, limits: 'x10', eventDelayMs: [20, 300], faults: 'bot.slow=30%,slow-ms=500' });
      const port = await freePort();
      e.tenant.setBotEndpoint(`http://127.0.0.1:${port}/api/messages`);
      const serves: ServeProcess[] = [];
      try {
        serves.push(await startServeProcess(e.env, { port }));
        const run = rollout(e);
        await waitFor(async () => e.tenant.state.messages.length >= 25 && (await sendsInFlight(e, 2)), 30_000, 5);
        const first = await serves[0]!.stop(signal);
        if (signal === 'SIGKILL') expect(first.signal).to.equal('SIGKILL');
        else expect(first.code, serves[0]!.stderr).to.equal(0); // graceful: the sends in flight finished and were recorded

        serves.push(await startServeProcess(e.env, { port }));
        const report = await run;
        expect(report.settled, JSON.stringify(report.counts)).to.equal(true);
        await (e.tenant.ctx.channel as Channel).idle();
        expect((await serves[1]!.status()).sender.results.welcomed, 'stopped mid-welcomes: the restarted serve sent the rest').to.be.greaterThan(0);

        const rows = await ledger(e);
        const unconfirmed = new Set([...rows.values()].filter((r) => r.state === 'unconfirmed').map((r) => r.aadObjectId));
        const truth = messageCounts(e);
        const twice = truth.filter((u) => u.messages > 1).map((u) => u.upn);
        expect(twice, 'people who got two messages').to.deep.equal([]);
        const stray = truth.filter((u) => !WELCOMABLE.has(u.kind) && u.messages > 0).map((u) => `${u.kind} ${u.upn}`);
        expect(stray).to.deep.equal([]);
        const missing = truth.filter((u) => WELCOMABLE.has(u.kind) && u.messages !== 1 && !unconfirmed.has(u.id)).map((u) => `${u.kind} ${u.upn}: ${stateOf(rows.get(u.id))}`);
        expect(missing, 'welcomable people without exactly one welcome, and not reported unconfirmed').to.deep.equal([]);
        for (const id of unconfirmed) expect(rows.get(id)!.detail).to.be.a('string').and.not.equal('');

        if (signal === 'SIGKILL') {
          expect(unconfirmed.size, 'sends were cut off in flight').to.be.greaterThan(0);
          // The unconfirmed are reported, and never resent on their own (PRODUCT.md §4).
          const reported = await runCli(['report', '--format', 'json', '--state', 'unconfirmed'], e.env);
          expect(reported.code, reported.stderr).to.equal(0);
          const ids = (JSON.parse(reported.stdout) as { aadObjectId: string; state: string }[]).map((r) => r.aadObjectId);
          expect(new Set(ids)).to.deep.equal(unconfirmed);
          expect(serves[1]!.stderr).to.match(/reported as unconfirmed, not resent/);
        } else {
          expect(unconfirmed.size, 'a graceful stop leaves nothing unconfirmed').to.equal(0);
        }
      } finally {
        await Promise.all(serves.map((s) => s.stop('SIGKILL')));
        await e.stop();
      }
    });
  }

  // The same story on the default SQLite file and on a PostgreSQL shared by the processes.
  for (const backend of ['SQLite file', 'PostgreSQL database'] as const) {
    it(`two serve processes on one ${backend}: both capture, one sends at a time, nobody gets two`, async () => {
      const schema = `tr_e2e_${randomUUID().slice(0, 8)}`;
      const pgUrl = `${TEST_POSTGRES_URL}${TEST_POSTGRES_URL.includes('?') ? '&' : '?'}schema=${schema}`;
      const e = await startRolloutEnv({ users: 100, seed: 'serve-two', limits: 'x10', eventDelayMs: [0, 300] }, backend === 'PostgreSQL database' ? { DATABASE_URL: pgUrl } : {});
      const serves: ServeProcess[] = [];
      let flip: NodeJS.Timeout | undefined;
      try {
        serves.push(await startServeProcess(e.env), await startServeProcess(e.env));
        // The channel posts each event to whichever endpoint is current: alternate between the two.
        let i = 0;
        const alternate = () => e.tenant.setBotEndpoint(`${serves[i++ % 2]!.base}/api/messages`);
        alternate();
        flip = setInterval(alternate, 25);
        const report = await rollout(e);
        expect(report.settled, JSON.stringify(report.counts)).to.equal(true);
        await (e.tenant.ctx.channel as Channel).idle();
        clearInterval(flip);

        const truth = messageCounts(e);
        const wrong = truth.filter((u) => u.messages !== (WELCOMABLE.has(u.kind) ? 1 : 0)).map((u) => `${u.kind} ${u.upn}: ${u.messages}`);
        expect(wrong, 'people without exactly the messages they should have').to.deep.equal([]);
        const delivered = e.tenant.state.deliveries;
        expect(delivered.filter((d) => d.outcome !== 'delivered'), 'every install event was accepted by one of them').to.deep.equal([]);
        const [a, b] = await Promise.all(serves.map((s) => s.status()));
        expect([a!.sender.holdsLease, b!.sender.holdsLease].filter(Boolean), `processes holding the sender lease: ${JSON.stringify([a, b])}`).to.have.length(1);
        expect((a!.sender.results.welcomed ?? 0) + (b!.sender.results.welcomed ?? 0), 'each welcome sent by exactly one of them').to.equal(truth.filter((u) => WELCOMABLE.has(u.kind)).length);
        for (const s of serves) expect((await s.stop('SIGTERM')).code, s.stderr).to.equal(0);
      } finally {
        if (flip) clearInterval(flip);
        await Promise.all(serves.map((s) => s.stop('SIGKILL')));
        await e.stop();
        if (backend === 'PostgreSQL database') await dropSchema(schema);
      }
    });
  }

  describe('refusals at start', () => {
    const db = () => path.join(mkdtempSync(path.join(tmpdir(), 'serve-refuse-')), 'rollout.db');

    it('emulator mode (no MicrosoftAppId) is refused on a non-loopback host: exit 2, says why', async () => {
      const r = await runCli(['serve', '--host', '0.0.0.0', '--port', '0'], { DATABASE_URL: db() });
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain('local-emulator mode').and.contain('loopback').and.contain('0.0.0.0');
      expect(r.stderr).not.to.match(/\n\s+at /);
    });

    it('emulator mode on loopback starts, with a loud warning, and stops cleanly', async () => {
      const s = await startServeProcess({ DATABASE_URL: db() });
      try {
        expect(s.stderr).to.match(/WARNING: MicrosoftAppId is not set/);
        expect((await fetch(`${s.base}/healthz`)).status).to.equal(200);
      } finally {
        expect((await s.stop('SIGTERM')).code).to.equal(0);
      }
    });

    it('a bad card template fails at start with the template error (exit 2), before listening', async () => {
      const t = await startTestTenant({ users: 10, seed: 'bad-card' });
      try {
        const dir = mkdtempSync(path.join(tmpdir(), 'bad-card-'));
        const card = path.join(dir, 'card.json');
        writeFileSync(card, JSON.stringify({ type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'Hi ${if(}' }] }));
        const port = await freePort();
        const r = await runCli(['serve', '--port', String(port), '--card', card], { ...t.env, DATABASE_URL: path.join(dir, 'r.db') }, { timeoutMs: 20_000 });
        expect(r.code, r.stderr).to.equal(2);
        expect(r.stderr).to.contain(card).and.contain('does not render').and.contain('syntax error');
        expect(r.stderr).not.to.match(/\n\s+at /);
      } finally {
        await t.stop();
      }
    });
  });
});
