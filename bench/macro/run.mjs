// The macro benchmark: wrk against the demo (cookie and memory stores), a bare ASP.NET Core endpoint, and
// hono-sessions 0.8.1 on Node.js with the same routes and options. The server is pinned to CPU 0, wrk to CPU 1.
//
//   node bench/macro/run.mjs                 15 s runs after a 5 s warm-up, median of 3 interleaved rounds (about 8 minutes)
//   node bench/macro/run.mjs --smoke         1 s runs, one each: checks that everything runs (CI)
//   node bench/macro/run.mjs --write-readme  also writes the table into bench/README.md
//   node bench/macro/run.mjs --only cookie,bare   a subset of the servers (cookie, memory, bare, hono)
//
// Needs: the .NET SDK, Node.js, wrk and taskset (Debian: apt-get install -y wrk util-linux).
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { freePort, cpuTicks, clockTicks, toMicroseconds, median } from '../lib/measure.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const duration = option('--duration', smoke ? 1 : 15);
const warmup = option('--warmup', smoke ? 1 : 5);
const runs = option('--runs', smoke ? 1 : 3);
const connections = option('--connections', 32);
const sessionCount = 256;
const key = 'benchmark_key_that_is_at_least_32_characters_long';
const out = join(root, 'artifacts', 'bench');
mkdirSync(out, { recursive: true });

for (const tool of ['wrk', 'taskset']) {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
    throw new Error(`${tool} is not installed: apt-get install -y wrk util-linux`);
  }
}
if (cpus().length < 2) {
  throw new Error('The benchmark pins the server and the load to two different CPUs; this machine has one.');
}

function run(command, commandArgs, options = {}) {
  execFileSync(command, commandArgs, { stdio: 'inherit', cwd: root, ...options });
}

console.log('Publishing the demo and the bare app (Release)...');
run('dotnet', ['publish', 'samples/LoginDemo', '-c', 'Release', '-o', join(out, 'demo'), '--nologo', '-v', 'q']);
run('dotnet', ['publish', 'bench/Bare', '-c', 'Release', '-o', join(out, 'bare'), '--nologo', '-v', 'q']);
console.log('Installing hono-sessions 0.8.1 (bench/hono/package-lock.json)...');
run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: join(root, 'bench', 'hono') });

// The cookie store starts first: the bare app's /bare-cookie answers with a Set-Cookie taken from its /counter.
let counterSetCookie = null;
const allTargets = [
  { name: 'SessionsServerless, cookie store', id: 'cookie', routes: ['/counter', '/read'], start: (port) => dotnet('demo', 'LoginDemo.dll', port, ['--Sessions:Store=cookie']) },
  { name: 'SessionsServerless, memory store', id: 'memory', routes: ['/counter', '/read'], start: (port) => dotnet('demo', 'LoginDemo.dll', port, ['--Sessions:Store=memory']) },
  { name: 'ASP.NET Core, no sessions', id: 'bare', routes: ['/bare', '/bare-cookie'], start: (port) => dotnet('bare', 'BareApp.dll', port, [`--SetCookie=${counterSetCookie}`]) },
  { name: 'hono-sessions 0.8.1, Node.js ' + process.version, id: 'hono', routes: ['/bare', '/counter', '/read'], start: (port) => pinned('node', [join(root, 'bench', 'hono', 'server.mjs'), String(port), key]) },
];

// --only cookie,bare runs a subset (the bare app needs the cookie store, which gives it its Set-Cookie).
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null;
const targets = only ? allTargets.filter((t) => only.includes(t.id) || (t.id === 'cookie' && only.includes('bare'))) : allTargets;

function dotnet(folder, dll, port, extra) {
  return pinned('dotnet', [join(out, folder, dll), `--urls=http://127.0.0.1:${port}`, `--Sessions:EncryptionKey=${key}`,
    '--Sessions:ExpireAfterSeconds=3600', '--Logging:LogLevel:Default=Warning', ...extra], { ASPNETCORE_ENVIRONMENT: 'Production' });
}

function pinned(command, commandArgs, env = {}) {
  // taskset execs the command, so the child's pid is the server's.
  return spawn('taskset', ['-c', '0', command, ...commandArgs], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function waitForServer(url) {
  for (let i = 0; i < 200; i++) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`The server at ${url} did not start.`);
}

async function makeSessions(base) {
  const cookies = [];
  for (let i = 0; i < sessionCount; i++) {
    const response = await fetch(base + '/counter');
    const setCookies = response.headers.getSetCookie().filter((c) => c.startsWith('session='));
    if (setCookies.length === 0) throw new Error(`${base}/counter set no session cookie`);
    counterSetCookie ??= setCookies.at(-1);
    cookies.push(setCookies.at(-1).split(';')[0]);
    await response.arrayBuffer();
  }
  return cookies;
}

function wrk(url, seconds, cookieFile) {
  const wrkArgs = ['-c', '1', 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--latency'];
  if (cookieFile) wrkArgs.push('-s', join(root, 'bench', 'macro', 'cookies.lua'));
  wrkArgs.push(url);
  if (cookieFile) wrkArgs.push('--', cookieFile);
  const result = spawnSync('taskset', wrkArgs, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`wrk failed: ${result.stderr}`);
  const text = result.stdout;
  if (/Non-2xx or 3xx responses: (\d+)/.test(text)) throw new Error(`Non-2xx responses from ${url}:\n${text}`);
  if (/Socket errors/.test(text)) throw new Error(`Socket errors against ${url}:\n${text}`);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(text)[1]),
    requests: Number(/(\d+) requests in/.exec(text)[1]),
    p50: toMicroseconds(/\s50%\s+(\S+)/.exec(text)[1]),
    p99: toMicroseconds(/\s99%\s+(\S+)/.exec(text)[1]),
  };
}

const results = [];

// Every server starts first and stays up (all pinned to CPU 0, idle while another is measured); the runs are then
// interleaved, round after round over every route, so a slower or faster spell of the machine (a virtual machine shares
// its host) falls on all of them alike instead of on whichever target happened to run then.
const servers = [];
try {
  for (const target of targets) {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = target.start(port);
    const entry = { target, base, server, cookieFile: null };
    servers.push(entry);
    await waitForServer(base + target.routes[0]);
    if (target.id === 'bare') {
      const response = await fetch(base + '/bare-cookie');
      const sent = response.headers.getSetCookie()[0] ?? '';
      if (sent.length !== counterSetCookie.length) throw new Error(`/bare-cookie sent a Set-Cookie of ${sent.length} characters, /counter ${counterSetCookie.length}`);
      await response.arrayBuffer();
    }
    if (target.routes.includes('/counter')) {
      entry.cookieFile = join(out, `cookies-${target.id}.txt`);
      writeFileSync(entry.cookieFile, (await makeSessions(base)).join('\n') + '\n');
    }
  }
  const cookieStore = servers.find((s) => s.target.id === 'cookie');

  const cases = [];
  for (const { target, base, server, cookieFile } of servers) {
    for (const route of target.routes) {
      // /bare-cookie receives the cookie store's session cookies, exactly what /counter receives.
      const cookies = route === '/bare' ? null : route === '/bare-cookie' ? cookieStore.cookieFile : cookieFile;
      cases.push({ target, route, url: base + route, server, cookies, samples: [] });
    }
  }

  for (const c of cases) wrk(c.url, warmup, c.cookies);
  for (let i = 0; i < runs; i++) {
    for (const c of cases) {
      const before = cpuTicks(c.server.pid);
      const sample = wrk(c.url, duration, c.cookies);
      const cpuMicroseconds = ((cpuTicks(c.server.pid) - before) / clockTicks) * 1e6;
      c.samples.push({ ...sample, cpu: cpuMicroseconds / sample.requests });
    }
    console.log(`round ${i + 1} of ${runs} done`);
  }

  for (const { target, route, samples } of cases) {
    const row = {
      target: target.name, id: target.id, route,
      rps: median(samples.map((s) => s.rps)), p50: median(samples.map((s) => s.p50)),
      p99: median(samples.map((s) => s.p99)), cpu: median(samples.map((s) => s.cpu)), samples,
    };
    results.push(row);
    console.log(`${target.id.padEnd(7)} ${route.padEnd(9)} ${row.rps.toFixed(0).padStart(8)} req/s  p50 ${row.p50.toFixed(0)} us  p99 ${row.p99.toFixed(0)} us  ${row.cpu.toFixed(1)} CPU us/req`);
  }
} finally {
  for (const { server } of servers) {
    server.kill('SIGTERM');
    await new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r)));
  }
}

const find = (id, route) => results.find((r) => r.id === id && r.route === route);
const ratio = (a, b) => (a && b ? a.rps / b.rps : NaN);
const cpuOf = (id, route) => find(id, route)?.cpu ?? NaN;
const percent = (id, route, baseline) => (100 * ratio(find(id, route), find('bare', baseline))).toFixed(0);
const sessionCpu = (id, route) => (cpuOf(id, route) - cpuOf('bare', '/bare-cookie')).toFixed(1);
const date = new Date().toISOString().slice(0, 10);
const table = [
  `Measured ${date} on ${cpus().length} cores (${cpus()[0].model.trim()}), server pinned to CPU 0 and wrk (1 thread, ${connections} connections) to CPU 1,`,
  `${duration} s runs after a ${warmup} s warm-up, median of ${runs} rounds (each round runs every row once, interleaved); ${sessionCount} sessions spread over the connections.`,
  '',
  '| Server | Route | Requests/s | p50 (µs) | p99 (µs) | Server CPU per request (µs) |',
  '| --- | --- | ---: | ---: | ---: | ---: |',
  ...results.map((r) => `| ${r.target} | \`${r.route}\` | ${r.rps.toFixed(0)} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.cpu.toFixed(1)} |`),
  '',
  `- Cookie store \`/counter\` vs hono-sessions \`/counter\`: **${ratio(find('cookie', '/counter'), find('hono', '/counter')).toFixed(1)}x** the requests/s (target: at least 15x).`,
  `- Cookie store \`/read\` vs hono-sessions \`/read\`: **${ratio(find('cookie', '/read'), find('hono', '/read')).toFixed(1)}x**.`,
  `- Cookie store \`/counter\` vs \`/bare-cookie\` (same Cookie header in, a Set-Cookie of the same length out): **${percent('cookie', '/counter', '/bare-cookie')}%** of its requests/s (target: at least 85%); vs \`/bare\`: ${percent('cookie', '/counter', '/bare')}%.`,
  `- Cookie store \`/read\` vs \`/bare-cookie\`: **${percent('cookie', '/read', '/bare-cookie')}%** (target: at least 95%); vs \`/bare\`: ${percent('cookie', '/read', '/bare')}%.`,
  `- Session CPU per request, cookie store (server CPU µs of the route minus \`/bare-cookie\`'s): \`/counter\` **${sessionCpu('cookie', '/counter')} µs** (target: at most 4 µs), \`/read\` ${sessionCpu('cookie', '/read')} µs; memory store \`/counter\` ${sessionCpu('memory', '/counter')} µs, \`/read\` ${sessionCpu('memory', '/read')} µs.`,
].filter((line) => !line.includes('NaN')).join('\n');
writeFileSync(join(out, 'macro-results.json'), JSON.stringify({ date, duration, warmup, runs, connections, results }, null, 2));
writeFileSync(join(out, 'macro-results.md'), table + '\n');
console.log('\n' + table);

if (args.includes('--write-readme')) {
  const readme = join(root, 'bench', 'README.md');
  const text = readFileSync(readme, 'utf8');
  const start = '<!-- macro:start -->';
  const end = '<!-- macro:end -->';
  if (!text.includes(start)) throw new Error('bench/README.md has no macro markers');
  writeFileSync(readme, text.slice(0, text.indexOf(start) + start.length) + '\n' + table + '\n' + text.slice(text.indexOf(end)));
  console.log('bench/README.md updated.');
}
