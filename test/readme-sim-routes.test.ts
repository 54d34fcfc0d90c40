import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { BIN } from './helpers/cli.js';
import { waitFor } from './helpers/rollout.js';

/**
 * The README's "simulated tenant's control routes" (issue 11): its commands are run exactly as
 * written, against `simulate` started as the README starts it, and every route in its table is
 * called with the body it shows and answers 2xx. A route renamed in the code or the README fails here.
 */
describe("README: the simulated tenant's control routes", function () {
  this.timeout(60_000);
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf("**The simulated tenant's control routes.**"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| route |')));
  let dir: string;
  let sim: ChildProcess;
  let origin: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'readme-sim-'));
    const out = openSync(path.join(dir, 'tenant.json'), 'w');
    sim = spawn(process.execPath, [BIN, 'simulate', '--users', '60'], { cwd: dir, stdio: ['ignore', out, 'ignore'] });
    await waitFor(() => readFileSync(path.join(dir, 'tenant.json'), 'utf8').includes('\n'), 30_000);
    origin = new URL(JSON.parse(readFileSync(path.join(dir, 'tenant.json'), 'utf8').split('\n')[0]!).inspectUrl).origin;
  });
  after(() => {
    sim?.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the shell block runs as written: groups and teams listed, a users file printed, 5 new hires added', () => {
    const r = spawnSync('bash', ['-euo', 'pipefail', '-c', block], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^group [0-9a-f-]{36} \S/m);
    expect(r.stdout).to.match(/^team [0-9a-f-]{36} \S/m);
    expect(r.stdout).to.match(/^userPrincipalName|@/m);
    const added = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { users: unknown[] };
    expect(added.users).to.have.length(5);
  });

  it('every route of the table answers 2xx to the body it shows', async () => {
    const rows = [...table.matchAll(/^\| `(GET|POST) ([^`]+)`(?: `([^`]+)`)? \|/gm)];
    expect(rows.length, 'routes in the table').to.be.at.least(14);
    const inspect = (await (await fetch(`${origin}/_sim/inspect?messages=false`)).json()) as { users: { id: string; kind: string; installedApps: string[] }[] };
    // A person with the app, so that uninstall has something to remove; a route that ends someone goes last.
    const person = inspect.users.find((u) => u.kind === 'already_installed')!;
    const order = (route: string) => (route.endsWith('/delete') ? 1 : 0);
    for (const [, method, route, body] of rows.sort((a, b) => order(a[2]!) - order(b[2]!))) {
      const url = `${origin}${route!.replace('{id}', person.id)}`;
      const res = await fetch(url, method === 'POST' ? { method, headers: { 'content-type': 'application/json' }, body: body ?? '{}' } : {});
      expect(res.status, `${method} ${route} ${body ?? ''}: ${await res.clone().text()}`).to.be.within(200, 299);
    }
  });

  it('a wrong body gets 400 saying what to send, as the README says', async () => {
    const res = await fetch(`${origin}/_sim/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"count":"five"}' });
    expect(res.status).to.equal(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).to.match(/Send \{"count": N\}/);
  });
});
