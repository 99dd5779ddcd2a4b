// Per-host session cost: wrk against samples/LoginDemo (and samples/FunctionsDemo) on every host path this project
// serves, each with /counter (reads and re-seals the session), /read (reads it, no re-seal) and /bare-cookie (the same
// app's baseline: the same Cookie header in, a body of the same size and a precomputed Set-Cookie of the same length out,
// no session). The session cost on a host is the app process's CPU per request of /counter and /read minus /bare-cookie's.
//
//   node bench/hosts/run.mjs                  15 s runs after a 5 s warm-up, median of 3 interleaved rounds (about 17 minutes)
//   node bench/hosts/run.mjs --smoke          1 s runs, one each; checks every host and route answers 200 with the expected
//                                             Set-Cookie (CI)
//   node bench/hosts/run.mjs --write-readme   also writes the table into bench/README.md (between the hosts markers)
//   --duration S --warmup S --runs N --connections N --only kestrel,lambda,custom-handler,worker --skip-publish
//
// Hosts: Kestrel (the published demo served directly); AWS Lambda (the published demo as a function polling the Runtime
// API of src/LambdaGateway, which wrk reaches as the HTTP API with payload 2.0 events); Azure Functions custom handler (the
// published demo behind tests/TestSupport's stand-in of the Functions host's HTTP forwarding); Azure Functions isolated
// worker (samples/FunctionsDemo behind tests/TestSupport's local FunctionRpc host). The two Functions hosts run from
// bench/hosts/FunctionsHosts. Every server-side process (app, gateway, host stand-in) is pinned to CPU 0, wrk to CPU 1.
//
// Needs: the .NET SDK, Node.js, wrk and taskset (Debian: apt-get install -y wrk util-linux).
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';
import { freePort, cpuTicks, clockTicks, toMicroseconds, median } from '../lib/measure.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : fallback;
};
const duration = Number(option('--duration', smoke ? 1 : 15));
const warmup = Number(option('--warmup', smoke ? 1 : 5));
const runs = Number(option('--runs', smoke ? 1 : 3));
const connections = Number(option('--connections', 32));
const only = option('--only', null)?.split(',');
const skipPublish = args.includes('--skip-publish');
const sessionCount = 256;
const key = 'benchmark_key_that_is_at_least_32_characters_long';
const routes = ['/counter', '/read', '/bare-cookie'];
const out = join(root, 'artifacts', 'bench-hosts');
mkdirSync(out, { recursive: true });

for (const tool of ['wrk', 'taskset']) {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
    throw new Error(`${tool} is not installed: apt-get install -y wrk util-linux`);
  }
}
if (cpus().length < 2) {
  throw new Error('The benchmark pins the servers and the load to two different CPUs; this machine has one.');
}

function run(command, commandArgs) {
  execFileSync(command, commandArgs, { stdio: 'inherit', cwd: root });
}

function publish(project, folder) {
  run('dotnet', ['publish', project, '-c', 'Release', '-o', join(out, folder), '--nologo', '-v', 'q']);
}

const started = Date.now();
if (!skipPublish) {
  console.log('Publishing the demos, the Lambda gateway and the Functions hosts (Release)...');
  publish('samples/LoginDemo', 'demo');
  publish('samples/FunctionsDemo', 'functions-demo');
  publish('src/LambdaGateway', 'gateway');
  publish('bench/hosts/FunctionsHosts', 'functions-hosts');
}

// The app's settings on every host: Production, the benchmark key, one hour's expiry (so /read never renews), quiet logs.
const appSettings = {
  ASPNETCORE_ENVIRONMENT: 'Production',
  DOTNET_ENVIRONMENT: 'Production',
  AZURE_FUNCTIONS_ENVIRONMENT: 'Production',
  Sessions__Store: 'cookie',
  Sessions__EncryptionKey: key,
  Sessions__ExpireAfterSeconds: '3600',
  Logging__LogLevel__Default: 'Warning',
};
const asPairs = (settings) => Object.entries(settings).map(([name, value]) => `${name}=${value}`);
const functionsHosts = join(out, 'functions-hosts', 'SessionsServerless.Bench.FunctionsHosts.dll');

const hosts = [
  {
    id: 'kestrel', name: 'Kestrel',
    start: async () => {
      const port = await freePort();
      const server = pinned('dotnet', [join(out, 'demo', 'LoginDemo.dll'), `--urls=http://127.0.0.1:${port}`], appSettings);
      return { server, base: `http://127.0.0.1:${port}`, appPid: () => server.pid, hostPid: () => null };
    },
  },
  {
    id: 'lambda', name: 'AWS Lambda, Runtime API (sessions-lambda-gateway, HTTP API 2.0 events)',
    start: async () => {
      const port = await freePort();
      const server = pinned('dotnet', [join(out, 'gateway', 'SessionsServerless.LambdaGateway.dll'), '--port', String(port), '--event', 'v2',
        '--', 'dotnet', join(out, 'demo', 'LoginDemo.dll')], appSettings);
      return { server, base: `http://127.0.0.1:${port}`, appPid: () => onlyChild(server.pid), hostPid: () => server.pid };
    },
  },
  {
    id: 'custom-handler', name: 'Azure Functions custom handler (stand-in of the host\'s HTTP forwarding)',
    start: async () => {
      const server = pinned('dotnet', [functionsHosts, 'custom-handler', join(out, 'demo'), ...asPairs(appSettings)], {}, true);
      const base = await listeningAddress(server);
      return { server, base, appPid: () => onlyChild(server.pid), hostPid: () => server.pid };
    },
  },
  {
    id: 'worker', name: 'Azure Functions isolated worker (local FunctionRpc host)',
    start: async () => {
      const settings = { ...appSettings, SessionsPurgeSchedule: '0 0 0 1 1 *' };
      const server = pinned('dotnet', [functionsHosts, 'worker', join(out, 'functions-demo'), ...asPairs(settings)], {}, true);
      const base = await listeningAddress(server);
      return { server, base, appPid: () => onlyChild(server.pid), hostPid: () => server.pid };
    },
  },
].filter((h) => !only || only.includes(h.id));
const unknown = (only ?? []).filter((id) => !['kestrel', 'lambda', 'custom-handler', 'worker'].includes(id));
if (unknown.length > 0 || hosts.length === 0) throw new Error(`--only takes kestrel, lambda, custom-handler and worker, not '${unknown.join(',')}'.`);

function pinned(command, commandArgs, env, pipeStdout = false) {
  // taskset execs the command, so the child's pid is the server's; its children (the app under an emulator) inherit CPU 0.
  return spawn('taskset', ['-c', '0', command, ...commandArgs], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: [pipeStdout ? 'pipe' : 'ignore', pipeStdout ? 'pipe' : 'ignore', 'inherit'],
  });
}

function listeningAddress(server) {
  return new Promise((resolveAddress, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`The Functions host did not start within 180 s:\n${text}`)), 180_000);
    server.once('exit', (code) => reject(new Error(`The Functions host exited with code ${code}:\n${text}`)));
    server.stdout.on('data', (chunk) => {
      text += chunk;
      const match = /listening (http:\/\/\S+?)\/?(\s|$)/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolveAddress(match[1]);
      }
    });
  });
}

function onlyChild(pid) {
  const children = readdirSync(`/proc/${pid}/task`)
    .flatMap((task) => readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/))
    .filter(Boolean).map(Number);
  if (children.length !== 1) throw new Error(`Process ${pid} has ${children.length} child processes, expected the app alone.`);
  return children[0];
}

async function waitForServer(url) {
  for (let i = 0; i < 600; i++) {
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer 200 within 60 s.`);
}

const setCookies = (response, name) => response.headers.getSetCookie().filter((c) => c.startsWith(name + '='));

async function makeSessions(base) {
  const cookies = [];
  for (let i = 0; i < sessionCount; i++) {
    const response = await fetch(base + '/counter');
    await response.arrayBuffer();
    const session = setCookies(response, 'session');
    if (response.status !== 200 || session.length !== 1) throw new Error(`${base}/counter answered ${response.status} with ${session.length} session cookies`);
    cookies.push(session[0].split(';')[0]);
  }
  return cookies;
}

// What every route must answer with a session cookie: /counter re-seals (one session Set-Cookie), /read does not (none),
// /bare-cookie never touches the session (no session cookie) and sends a Set-Cookie and a body as long as /counter's.
async function check(host, base, cookie) {
  const get = async (route) => {
    const response = await fetch(base + route, { headers: { cookie } });
    return { route, response, body: await response.text() };
  };
  const counter = await get('/counter');
  const read = await get('/read');
  const bare = await get('/bare-cookie');
  const problems = [];
  for (const { route, response } of [counter, read, bare]) {
    if (response.status !== 200) problems.push(`${route} answered ${response.status}`);
  }
  const counterCookie = setCookies(counter.response, 'session');
  const bareCookie = setCookies(bare.response, 'bare');
  if (counterCookie.length !== 1) problems.push(`/counter sent ${counterCookie.length} session cookies, not 1`);
  if (read.response.headers.getSetCookie().length !== 0) problems.push('/read sent a Set-Cookie');
  if (setCookies(bare.response, 'session').length !== 0) problems.push('/bare-cookie sent a session cookie');
  if (bareCookie.length !== 1) problems.push(`/bare-cookie sent ${bareCookie.length} bare cookies, not 1`);
  if (counterCookie.length === 1 && bareCookie.length === 1 && counterCookie[0].length !== bareCookie[0].length) {
    problems.push(`/bare-cookie's Set-Cookie is ${bareCookie[0].length} characters, /counter's ${counterCookie[0].length}`);
  }
  if (counter.body.length !== bare.body.length) problems.push(`/bare-cookie's body is ${bare.body.length} bytes, /counter's ${counter.body.length}`);
  if (problems.length > 0) throw new Error(`${host.name}: ${problems.join('; ')}`);
  return { setCookieLength: counterCookie[0].length, bodyLength: counter.body.length };
}

function wrk(url, seconds, cookieFile, warmingUp = false) {
  // A 10 s timeout: the first requests to a host that has not compiled its paths yet (JIT) can take seconds.
  const wrkArgs = ['-c', '1', 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '--latency', '-s', join(root, 'bench', 'macro', 'cookies.lua'), url, '--', cookieFile];
  const result = spawnSync('taskset', wrkArgs, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`wrk failed: ${result.stderr}`);
  const text = result.stdout;
  if (/Non-2xx or 3xx responses: (\d+)/.test(text)) throw new Error(`Non-2xx responses from ${url}:\n${text}`);
  if (!warmingUp && /Socket errors/.test(text)) throw new Error(`Socket errors against ${url}:\n${text}`);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(text)[1]),
    requests: Number(/(\d+) requests in/.exec(text)[1]),
    p50: toMicroseconds(/\s50%\s+(\S+)/.exec(text)[1]),
    p99: toMicroseconds(/\s99%\s+(\S+)/.exec(text)[1]),
  };
}

const results = [];
const checks = [];
const loads = [];
const servers = [];
try {
  // Every host starts first and stays up (idle while another is measured); the runs are then interleaved, round after
  // round over every host and route, so a slower spell of the shared machine falls on all of them alike.
  for (const host of hosts) {
    const server = await host.start();
    servers.push({ host, ...server });
    await waitForServer(server.base + '/bare-cookie');
  }

  const cases = [];
  for (const s of servers) {
    const cookies = await makeSessions(s.base);
    const cookieFile = join(out, `cookies-${s.host.id}.txt`);
    writeFileSync(cookieFile, cookies.join('\n') + '\n');
    const checked = await check(s.host, s.base, cookies[0]);
    checks.push({ host: s.host.id, ...checked });
    console.log(`${s.host.id}: every route answers 200; /counter and /bare-cookie send ${checked.setCookieLength}-character Set-Cookies and ${checked.bodyLength}-byte bodies`);
    for (const route of routes) cases.push({ ...s, route, url: s.base + route, cookieFile, samples: [] });
  }

  for (const c of cases) wrk(c.url, warmup, c.cookieFile, true);
  for (let i = 0; i < runs; i++) {
    for (const c of cases) {
      const appPid = c.appPid();
      const hostPid = c.hostPid();
      const appBefore = cpuTicks(appPid);
      const hostBefore = cpuTicks(hostPid);
      const sample = wrk(c.url, duration, c.cookieFile);
      if (c.appPid() !== appPid) throw new Error(`${c.host.name}: the app was restarted during the run.`);
      const perRequest = (ticks) => ((ticks / clockTicks) * 1e6) / sample.requests;
      c.samples.push({ ...sample, app: perRequest(cpuTicks(appPid) - appBefore), host: hostPid === null ? null : perRequest(cpuTicks(hostPid) - hostBefore) });
    }
    loads.push(loadavg()[0]);
    console.log(`round ${i + 1} of ${runs} done (load average ${loadavg()[0].toFixed(1)})`);
  }

  for (const { host, route, samples } of cases) {
    const row = {
      host: host.name, id: host.id, route,
      rps: median(samples.map((s) => s.rps)), p50: median(samples.map((s) => s.p50)), p99: median(samples.map((s) => s.p99)),
      app: median(samples.map((s) => s.app)), hostCpu: samples[0].host === null ? null : median(samples.map((s) => s.host)), samples,
    };
    results.push(row);
  }
} finally {
  for (const { server } of servers) {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r)));
    }
  }
}

const find = (id, route) => results.find((r) => r.id === id && r.route === route);
for (const row of results) {
  const bare = find(row.id, '/bare-cookie');
  row.sessionCost = row.route === '/bare-cookie' ? null : row.app - bare.app;
  row.ratio = row.rps / bare.rps;
  console.log(`${row.id.padEnd(15)} ${row.route.padEnd(12)} ${row.rps.toFixed(0).padStart(7)} req/s  p50 ${row.p50.toFixed(0)} us  p99 ${row.p99.toFixed(0)} us  app ${row.app.toFixed(1)} us/req`
    + (row.hostCpu === null ? '' : `  host ${row.hostCpu.toFixed(1)} us/req`) + (row.sessionCost === null ? '' : `  session ${row.sessionCost.toFixed(1)} us/req`));
}

const date = new Date().toISOString().slice(0, 10);
const command = ['node bench/hosts/run.mjs', ...args.filter((a) => a !== '--write-readme' && a !== '--skip-publish')].join(' ');
const fixed = (value, digits = 1) => (value === null ? '–' : value.toFixed(digits));
const table = [
  `Measured ${date} with \`${command}\` on ${cpus().length} cores (${cpus()[0].model.trim()}): the app and any host or emulator`,
  `process pinned to CPU 0, wrk (1 thread, ${connections} connections, ${sessionCount} sessions' cookies) to CPU 1; ${duration} s runs after a ${warmup} s warm-up,`,
  `median of ${runs} rounds (each round runs every row once, interleaved). Load average (1 min) after each round: ${loads.map((l) => l.toFixed(1)).join(', ')}.`,
  '',
  '| Host | Route | Requests/s | vs `/bare-cookie` | p50 (µs) | p99 (µs) | App CPU per request (µs) | Host CPU per request (µs) | Session cost (µs) |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...results.map((r) => `| ${r.host} | \`${r.route}\` | ${r.rps.toFixed(0)} | ${r.route === '/bare-cookie' ? '' : `${(100 * r.ratio).toFixed(0)}%`} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${fixed(r.app)} | ${fixed(r.hostCpu)} | ${fixed(r.sessionCost)} |`),
  '',
  'Session cost: the app process\'s CPU per request minus `/bare-cookie`\'s on the same host (the target for `/counter` is at most 4 µs).',
].join('\n');
writeFileSync(join(out, 'hosts-results.json'), JSON.stringify({ date, command, duration, warmup, runs, connections, loads, checks, results }, null, 2));
writeFileSync(join(out, 'hosts-results.md'), table + '\n');
console.log('\n' + table);
console.log(`\nTook ${((Date.now() - started) / 1000).toFixed(0)} s${skipPublish ? '' : ', publishes included'}.`);

if (args.includes('--write-readme')) {
  const readme = join(root, 'bench', 'README.md');
  const text = readFileSync(readme, 'utf8');
  const start = '<!-- hosts:start -->';
  const end = '<!-- hosts:end -->';
  if (!text.includes(start) || !text.includes(end)) throw new Error('bench/README.md has no hosts markers');
  writeFileSync(readme, text.slice(0, text.indexOf(start) + start.length) + '\n' + table + '\n' + text.slice(text.indexOf(end)));
  console.log('bench/README.md updated.');
}
