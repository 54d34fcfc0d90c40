import { expect } from 'chai';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunningTenant } from '../../src/simulator/server.js';
import { runCli } from '../helpers/cli.js';
import { scaledRates } from '../helpers/rollout.js';
import { startTestTenant } from '../helpers/tenant.js';

/** The card of issue 11 major 4: accepted before, and 15 people received the ${…} as written. */
const MANAGER_CARD = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Welcome, ${firstName}!' }, { type: 'TextBlock', text: 'your manager ${manager.name} says ${nonexistentField}' }] };
/** Only known fields, but the expression fails on names shorter than 8 characters ("Wei Xu"): data missing for some people only. */
const SHORT_NAME_CARD = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Welcome, ${substring(name, 0, 8)}!' }] };

/**
 * A welcome card must never reach anyone with a `${…}` in it (issue 11 major 4), on the built CLI:
 * a template that reads fields the tool does not fill in is refused at start by every command that
 * sends, and a card that cannot be completed for one person is not sent to that person.
 */
describe('welcome card template fields (built CLI, simulated tenant)', function () {
  this.timeout(90_000);
  let t: RunningTenant;
  let dir: string;
  let env: Record<string, string>;
  const cardFile = (name: string, card: unknown) => {
    const p = path.join(dir, name);
    writeFileSync(p, JSON.stringify(card));
    return p;
  };
  const graphPosts = () => Object.values(t.state.requests['graph.installedApps.post'] ?? {}).reduce((a, b) => a + b, 0);
  before(async () => {
    t = await startTestTenant({ users: 120, seed: 'card-fields', limits: 'x10' });
    dir = mkdtempSync(path.join(tmpdir(), 'card-fields-'));
    env = { ...t.env, ...scaledRates(10), DATABASE_URL: path.join(dir, 'rollout.db') };
  });
  after(() => t?.stop());

  const expectRefusedAtStart = (r: { code: number | null; stderr: string }, file: string) => {
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.contain(file);
    expect(r.stderr).to.contain('manager.name — ${manager.name} at body[1].text').and.contain('nonexistentField — ${nonexistentField} at body[1].text');
    expect(r.stderr).to.contain("The card's template fields are: name, firstName, locale, appName, requestedBy, reason, offer");
    expect(r.stderr).not.to.match(/\n\s+at /); // a usage error, no stack trace
  };

  it('serve --card with unknown fields exits 2 at start, naming each field, the file and the known fields', async () => {
    const file = cardFile('manager.json', MANAGER_CARD);
    const r = await runCli(['serve', '--port', '0', '--card', file], env, { timeoutMs: 30_000 });
    expectRefusedAtStart(r, file);
  });

  it('install with WELCOME_CARD reading unknown fields exits 2 before any install, and nobody gets a message', async () => {
    const file = cardFile('manager-install.json', MANAGER_CARD);
    const r = await runCli(['install', '--all-users', '--reference-wait', '1'], { ...env, WELCOME_CARD: file }, { timeoutMs: 30_000 });
    expectRefusedAtStart(r, file);
    expect(graphPosts(), 'no install was made').to.equal(0);
    expect(t.state.messages).to.deep.equal([]);
  });

  it('install --dry-run says so too, as the real run would (exit 2, nothing created)', async () => {
    const file = cardFile('manager-dry.json', MANAGER_CARD);
    const fresh = path.join(dir, 'never.db');
    const r = await runCli(['install', '--all-users', '--dry-run'], { ...env, WELCOME_CARD: file, DATABASE_URL: fresh }, { timeoutMs: 30_000 });
    expectRefusedAtStart(r, file);
    expect(existsSync(fresh), 'the dry run created a ledger').to.equal(false);
  });

  it('welcome --team --card with unknown fields exits 2 before creating any chat', async () => {
    const file = cardFile('manager-team.json', MANAGER_CARD);
    const team = t.state.teams[0]!;
    const r = await runCli(['welcome', '--team', team.conversationId, '--card', file, '--wait', '10'], env, { timeoutMs: 30_000 });
    expectRefusedAtStart(r, file);
    expect(t.state.requests['bot.conversations.create'] ?? {}).to.deep.equal({});
    expect(t.state.messages).to.deep.equal([]);
  });

  it('a card that cannot be completed for some people: they get nothing and end failed (card_incomplete); the others are welcomed', async () => {
    const file = cardFile('short-name.json', SHORT_NAME_CARD);
    const team = t.state.teams.find((x) => x.displayName === 'IT Champions')!;
    const members = team.memberUserIds.map((id) => t.state.findUser(id)!);
    const short = members.filter((u) => u.displayName.length < 8 && !['blocked_bot', 'deleted_chat'].includes(u.kind));
    const long = members.filter((u) => u.displayName.length >= 8 && !['blocked_bot', 'deleted_chat'].includes(u.kind));
    expect(short.length, 'the team has people with short names').to.be.greaterThan(0);
    expect(long.length).to.be.greaterThan(0);

    const r = await runCli(['welcome', '--team', team.conversationId, '--card', file, '--wait', '30'], env, { timeoutMs: 60_000 });
    expect(r.code, r.stderr.slice(-800)).to.equal(1); // finished with failed people

    for (const m of t.state.messages) expect(JSON.stringify(m.activity)).not.to.contain('${');
    const messaged = new Set(t.state.messages.map((m) => m.userAadObjectId));
    expect(short.filter((u) => messaged.has(u.id)).map((u) => u.displayName), 'short names got nothing').to.deep.equal([]);
    expect(long.filter((u) => !messaged.has(u.id)).map((u) => u.displayName), 'the others were welcomed').to.deep.equal([]);

    const report = await runCli(['report', '--format', 'json'], env);
    const rows = JSON.parse(report.stdout) as { aadObjectId: string; state: string; reason: string | null; detail?: string | null }[];
    const byId = new Map(rows.map((x) => [x.aadObjectId, x]));
    for (const u of short) {
      expect(byId.get(u.id), u.displayName).to.include({ state: 'failed', reason: 'card_incomplete' });
    }
    expect(r.stdout + r.stderr).to.contain('card_incomplete');
  });
});
