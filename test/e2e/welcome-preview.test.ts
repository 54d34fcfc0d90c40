import { expect } from 'chai';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunningTenant } from '../../src/simulator/server.js';
import { runCli } from '../helpers/cli.js';
import { scaledRates } from '../helpers/rollout.js';
import { startTestTenant } from '../helpers/tenant.js';

interface Card {
  type: string;
  lang: string;
  body: { text: string }[];
}
const texts = (c: Card) => c.body.map((b) => b.text).join('\n');

/**
 * `welcome --preview [--person UPN]` and `welcome --test-to UPN` on the built CLI (issue 11, "a card
 * preview and a test send"): the administrator sees the card before anyone gets it, and neither
 * records a rollout nor changes anyone's state (here: the ledger is not even created).
 */
describe('welcome --preview and --test-to (built CLI, simulated tenant)', function () {
  this.timeout(60_000);
  let t: RunningTenant;
  let dir: string;
  let env: Record<string, string>;
  let ledger: string;
  const messages = () => t.state.messages.length;
  before(async () => {
    t = await startTestTenant({ users: 60, seed: 'welcome-preview', limits: 'x10' });
    dir = mkdtempSync(path.join(tmpdir(), 'welcome-preview-'));
    ledger = path.join(dir, 'rollout.db');
    env = { ...t.env, ...scaledRates(10), DATABASE_URL: ledger };
  });
  after(() => t?.stop());
  afterEach(() => {
    expect(existsSync(ledger), 'no ledger was created').to.equal(false);
  });

  it('--preview prints the default card for a sample person, named for the app in the catalogue; nothing is sent', async () => {
    const r = await runCli(['welcome', '--preview'], env);
    expect(r.code, r.stderr).to.equal(0);
    const card = JSON.parse(r.stdout) as Card;
    expect(card.type).to.equal('AdaptiveCard');
    expect(texts(card)).to.contain(`Welcome to ${t.state.app.displayName}, Ada!`);
    expect(r.stdout).not.to.contain('${');
    expect(r.stderr).to.contain('sample person').and.contain('Nothing was sent or recorded');
    expect(messages()).to.equal(0);
  });

  it('--preview --person UPN renders with that person from the directory: first name and language', async () => {
    const u = t.state.users.find((x) => x.kind === 'member')!;
    const r = await runCli(['welcome', '--preview', '--person', u.userPrincipalName, '--output', 'json'], env);
    expect(r.code, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout) as { person: { from: string; userPrincipalName: string }; complete: boolean; card: Card };
    expect(out.person).to.include({ from: 'directory', userPrincipalName: u.userPrincipalName });
    expect(out.complete).to.equal(true);
    expect(out.card.lang).to.equal(u.preferredLanguage);
    expect(texts(out.card)).to.contain(`, ${u.givenName}!`);
    expect(messages()).to.equal(0);
  });

  it('--preview --person for whom the card cannot be completed: shows it, says they would not be sent it, exit 1', async () => {
    const u = t.state.users.find((x) => x.displayName.length < 8)!;
    const file = path.join(dir, 'short.json');
    writeFileSync(file, JSON.stringify({ type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'Hi ${substring(name, 0, 8)}' }] }));
    const r = await runCli(['welcome', '--preview', '--person', u.userPrincipalName, '--card', file], env);
    expect(r.code, r.stderr).to.equal(1);
    expect(r.stderr).to.contain('would NOT be sent').and.contain('${substring(name, 0, 8)} was not filled in').and.contain('card_incomplete');
  });

  it('--preview --person for nobody known: exit 2, names the ledger and what to check', async () => {
    const r = await runCli(['welcome', '--preview', '--person', 'nobody@contoso.onmicrosoft.com'], env);
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.contain('"nobody@contoso.onmicrosoft.com" is neither in the ledger').and.contain(ledger);
  });

  it('--test-to UPN sends the card to that one person (the app is installed for them) and records nothing', async () => {
    const u = t.state.users.find((x) => x.kind === 'already_installed')!;
    const r = await runCli(['welcome', '--test-to', u.userPrincipalName, '--output', 'json'], env);
    expect(r.code, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout) as { testTo: string; sent: boolean; recorded: boolean; chatFrom: string };
    expect(out).to.include({ testTo: u.userPrincipalName, sent: true, recorded: false, chatFrom: 'graph' });
    expect(t.state.messages).to.have.length(1);
    expect(t.state.messages[0]!.userAadObjectId).to.equal(u.id);
    expect(JSON.stringify(t.state.messages[0]!.activity)).to.contain(`, ${u.givenName}!`).and.not.contain('${');
    expect(t.state.requests['graph.installedApps.post'] ?? {}, 'no install').to.deep.equal({});
  });

  it('--test-to someone without the app: exit 2 with how to install it for them, nothing sent', async () => {
    const u = t.state.users.find((x) => x.kind === 'member' && t.state.installationsOf(x.id).length === 0)!;
    const before = messages();
    const r = await runCli(['welcome', '--test-to', u.userPrincipalName], env);
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.contain('has no chat with the bot yet').and.contain('--no-welcome');
    expect(messages()).to.equal(before);
  });

  it('none of --team, --preview, --test-to, or two of them, or --person without --preview: exit 2 naming the choices', async () => {
    for (const args of [['welcome'], ['welcome', '--preview', '--test-to', 'a@b.c'], ['welcome', '--test-to', 'a@b.c', '--person', 'a@b.c']]) {
      const r = await runCli(args, env);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).to.equal(2);
      expect(r.stderr).to.match(/--preview/);
    }
  });
});
