/**
 * Load probe for the simulated tenant (not a test): starts `teams-rollout simulate --limits off` as its own
 * process, then keeps N keep-alive HTTPS requests in flight for S seconds and prints the sustained rate.
 *
 *   npm run build && npx tsx test/simulator/load.ts --users 100000 --seconds 10 --concurrency 64 --op get
 *   ... --op post   (installs, one person after another; 409 once everyone has the app)
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { parseArgs } from 'node:util';

const { values: o } = parseArgs({
  options: {
    users: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '64' },
    op: { type: 'string', default: 'get' },
  },
});

const child = spawn(process.execPath, ['dist/main.js', 'simulate', '--users', o.users!, '--limits', 'off'], { stdio: ['ignore', 'pipe', 'inherit'] });
const ready = await new Promise<{ env: Record<string, string>; inspectUrl: string }>((resolve) => {
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    if (buf.includes('\n')) resolve(JSON.parse(buf.slice(0, buf.indexOf('\n'))));
  });
});
const env = ready.env;
const graph = new URL(env.GRAPH_BASE_URL!);
const agent = new Agent({ keepAlive: true, maxSockets: Number(o.concurrency), ca: readFileSync(env.NODE_EXTRA_CA_CERTS!) });

function call(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: graph.hostname, port: graph.port, method, path, headers, agent }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: env.AZURE_CLIENT_ID!, client_secret: env.AZURE_CLIENT_SECRET!, scope: 'https://graph.microsoft.com/.default' });
const token = JSON.parse((await call('POST', `/${env.AZURE_TENANT_ID}/oauth2/v2.0/token`, { 'content-type': 'application/x-www-form-urlencoded' }, form.toString())).text).access_token as string;
const inspection = (await (await fetch(`${ready.inspectUrl}?messages=false`)).json()) as { users: { id: string; kind: string }[]; catalogAppId: string };
const ids = inspection.users.filter((u) => u.kind === 'member').map((u) => u.id);
const bind = JSON.stringify({ 'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${inspection.catalogAppId}` });
const auth = { authorization: `Bearer ${token}` };

const counts: Record<number, number> = {};
let next = 0;
const deadline = performance.now() + Number(o.seconds) * 1000;
const started = performance.now();
await Promise.all(
  Array.from({ length: Number(o.concurrency) }, async () => {
    while (performance.now() < deadline) {
      const id = ids[next++ % ids.length]!;
      const r =
        o.op === 'post'
          ? await call('POST', `/v1.0/users/${id}/teamwork/installedApps`, { ...auth, 'content-type': 'application/json' }, bind)
          : await call('GET', `/v1.0/users/${id}/teamwork/installedApps?$expand=teamsApp`, auth);
      counts[r.status] = (counts[r.status] ?? 0) + 1;
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
const total = Object.values(counts).reduce((a, b) => a + b, 0);
console.log(JSON.stringify({ op: o.op, users: Number(o.users), concurrency: Number(o.concurrency), seconds: Number(seconds.toFixed(1)), requests: total, rps: Math.round(total / seconds), statuses: counts }));
agent.destroy();
child.kill('SIGTERM');
