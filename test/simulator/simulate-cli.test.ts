import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { expect } from 'chai';

/** `teams-rollout simulate` as a process: the ready line of checks/README.md, a clean stop, exit 2 on bad flags. */
function run(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'simulate', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => stdout.includes('\n') && resolve(stdout.slice(0, stdout.indexOf('\n'))));
    child.on('close', () => reject(new Error(`exited before the ready line: ${stderr}`)));
  });
  firstLine.catch(() => {}); // only awaited by the tests that expect a ready line
  return { child, exited, firstLine, out: () => stdout, err: () => stderr };
}

describe('teams-rollout simulate', function () {
  this.timeout(20_000);

  it('prints exactly one JSON ready line, serves the tenant, and exits 0 on SIGTERM', async () => {
    const p = run(['--users', '60', '--seed', '7', '--limits', 'off']);
    const ready = JSON.parse(await p.firstLine) as { env: Record<string, string>; inspectUrl: string; tenantId: string; teamsAppId: string };
    expect(Object.keys(ready)).to.deep.equal(['env', 'inspectUrl', 'tenantId', 'teamsAppId']);
    expect(ready.env).to.include({ AZURE_TENANT_ID: ready.tenantId, TEAMS_APP_ID: ready.teamsAppId });
    const inspection = (await (await fetch(ready.inspectUrl)).json()) as { users: unknown[] };
    expect(inspection.users).to.have.length(60);
    expect(existsSync(ready.env.NODE_EXTRA_CA_CERTS!), 'the certificate exists while the tenant runs').to.equal(true);
    p.child.kill('SIGTERM');
    expect(await p.exited).to.equal(0);
    expect(p.out().trim().split('\n')).to.have.length(1);
    expect(existsSync(ready.env.NODE_EXTRA_CA_CERTS!), 'the certificate folder is removed at stop').to.equal(false);
  });

  it('stops by itself when the program reading its ready line dies without stopping it', async () => {
    // The parent starts simulate, prints its pid once the ready line came, and exits at once (as the checks do).
    const parent = spawn(
      process.execPath,
      [
        '-e',
        `const c = require('node:child_process').spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'simulate', '--users', '20'], { stdio: ['ignore', 'pipe', 'ignore'] });
         c.stdout.once('data', () => { console.log(c.pid); process.exit(0); });`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    parent.stdout.on('data', (d) => (out += d));
    await new Promise((resolve) => parent.on('close', resolve));
    const pid = Number(out.trim());
    expect(pid).to.be.greaterThan(0);
    const alive = () => {
      try {
        process.kill(pid, 0);
      } catch {
        return false;
      }
      // An exited child that nobody reaped (a container without an init) is a zombie: gone for our purpose.
      const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
      return !/^\d+ \(.*\) Z/.test(stat);
    };
    while (alive()) await new Promise((r) => setTimeout(r, 200)); // mocha's timeout fails the test if it lingers
  });

  it('exits 2 with a one-line error naming the flag, for each bad flag', async () => {
    const cases = [
      [['--users', 'many'], '--users'],
      [['--faults', '429=5%,teapot=1%'], '--faults'],
      [['--limits', 'graph-post=fast'], '--limits'],
      [['--port', '70000'], '--port'],
    ] as const;
    await Promise.all(
      cases.map(async ([args, flag]) => {
        const p = run([...args]);
        expect(await p.exited, flag).to.equal(2);
        expect(p.out(), flag).to.equal('');
        const lines = p.err().trim().split('\n');
        expect(lines, flag).to.have.length(1);
        expect(lines[0]).to.include(flag);
      }),
    );
  });

  it('refuses a --service-url other than tenant or regional, as a usage error naming the flag and both forms', async () => {
    const { runSimulate } = await import('../../src/cli/simulate.js');
    const { UsageError } = await import('../../src/errors.js');
    const err = await runSimulate({ serviceUrl: 'global' }, { writeLine: () => expect.fail('no ready line'), until: Promise.resolve() }).then(
      () => expect.fail('expected a usage error'),
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(UsageError);
    expect((err as Error).message).to.match(/^--service-url: .*tenant or regional.*"global"/);
  });
});
