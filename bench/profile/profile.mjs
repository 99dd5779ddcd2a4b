#!/usr/bin/env node
// A per-stage CPU profile of the demo's GET /counter (cookie store) under load: perf samples the server process
// (cpu-clock, call graphs through frame pointers, JIT-compiled methods named through DOTNET_PerfMapEnabled=1), every
// sample is given to one stage by its call stack, and each stage's share of the samples is turned into µs per request
// with the server's CPU time per request (utime + stime from /proc over the same window).
//
//   node bench/profile/profile.mjs [--route /counter] [--seconds 20] [--warmup 30] [--bare] [--detail]
//   node bench/profile/profile.mjs --smoke        a 2 s profile: checks that perf, the map and the stages work
//
// --bare profiles bench/Bare's /bare-cookie instead (the same Cookie header in, a Set-Cookie of the same length out),
// to see what the host itself costs. Needs: the .NET SDK, Node.js, wrk, taskset and perf (Debian: linux-perf).
// Publishes into artifacts/bench/ (as bench/macro/run.mjs does); writes the raw table to artifacts/bench/profile.md.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, cpuTicks, clockTicks } from '../lib/measure.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const bare = args.includes('--bare');
const detail = args.includes('--detail'); // also lists the innermost session (or any) function of the top samples
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const route = bare ? '/bare-cookie' : option('--route', '/counter');
const seconds = Number(option('--seconds', smoke ? 2 : 20));
const warmup = Number(option('--warmup', smoke ? 2 : 30));
const key = 'benchmark_key_that_is_at_least_32_characters_long';
const out = join(root, 'artifacts', 'bench');
mkdirSync(out, { recursive: true });

for (const tool of ['wrk', 'taskset', 'perf']) {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) throw new Error(`${tool} is not installed (Debian: wrk util-linux linux-perf)`);
}

// Each sample goes to one stage by its call stack, looked at from the sampled function outwards. The patterns are the
// project's own method names (src/Sessions), so a rename shows up as samples left in "host".
function classify(frames) {
  // OpenSSL is built without frame pointers: a sample inside it has no usable stack. The request path calls it only
  // for HMAC-SHA256 (AES runs on AES-NI in managed code), in the seal and in the unseal alike.
  if (/libcrypto|Cryptography\.Native/.test(frames[0])) return 'HMAC-SHA256 in OpenSSL (seal and unseal)';
  // The innermost frame of the project's own code (the library, the demo or the bare app) decides.
  const project = frames.findIndex((f) => /\[(SessionsServerless|LoginDemo|BareApp)\]/.test(f));
  if (project < 0) {
    if (frames.some((f) => /libclrjit/.test(f))) return 'runtime: JIT compiler';
    const inHost = frames.some((f) => /Kestrel|AspNetCore|System\.Net/.test(f));
    if (/kernel/.test(frames[0])) return inHost ? 'host: kernel (sockets)' : 'runtime: kernel (scheduling, epoll)';
    if (/libcoreclr|libc\.so/.test(frames[0]) && !inHost) return 'runtime: GC, thread pool, stubs';
    return 'host: Kestrel, routing, the rest';
  }
  const innermost = frames[project];
  const below = frames.slice(0, project);
  if (/\[(LoginDemo|BareApp)\]/.test(innermost)) {
    return /CounterEndpoints|BareApp\]\s*Program/.test(innermost) ? 'endpoint: its own code' : 'host: endpoint dispatch, response body';
  }
  // Everything downstream runs inside the session middleware's InvokeAsync: the pipeline below it is the host's.
  if (/SessionMiddleware/.test(innermost) && below.some((f) => /Routing|EndpointMiddleware|Http\.Generated|RequestDelegate/.test(f))) {
    return 'host: Kestrel, routing, the rest';
  }
  const has = (pattern) => frames.findIndex((f) => pattern.test(f));
  const within = (inner, outer) => {
    const i = has(inner);
    const o = has(outer);
    return i >= 0 && o >= 0 && i <= o;
  };
  const crypto = (outer) => {
    if (within(/AesCbc256|EncryptCbc|DecryptCbc/, outer)) return 'AES-256-CBC';
    if (within(/HmacSha256|IncrementalHash/, outer)) return 'HMAC-SHA256 (managed side)';
    if (within(/Base64/, outer)) return 'base64url';
    if (within(/SecureRandom|RandomNumberGenerator|CachedRandomness/, outer)) return 'random IV';
    return 'parse, copy, checks';
  };
  if (has(/IronCore::Unseal/) >= 0) return `unseal: ${crypto(/IronCore::Unseal/)}`;
  if (has(/IronCore::Seal/) >= 0) return `seal: ${crypto(/IronCore::Seal/)}`;
  if (has(/JsonStringLiteral::TryRead/) >= 0) return 'JSON read: string literal';
  if (has(/SessionJson::Read|SessionEntryNames/) >= 0) return 'JSON read: session';
  if (has(/JsonStringLiteral::Write/) >= 0) return 'JSON write: string literal';
  if (has(/SessionJson::Write/) >= 0) return 'JSON write: session';
  // The JIT inlines IronCore.Seal into the cookie store's SealToBuffer (and parts of the unseal into Load): what runs
  // there, outside the JSON calls above, is the seal's or the unseal's own work.
  if (has(/CookieSessionPersistence::SealToBuffer/) >= 0) return `seal: ${crypto(/CookieSessionPersistence::SealToBuffer/)}`;
  if (has(/CookieSessionPersistence::Load/) >= 0) return `unseal: ${crypto(/CookieSessionPersistence::Load/)}`;
  if (has(/CounterEndpoints/) >= 0) return 'endpoint: Session.Get, Session.Set';
  if (has(/SessionCookieWriter::(Append|Write|Set|Build|Clear|HasCookiePolicy)/) >= 0) return 'Set-Cookie header write';
  if (has(/SessionCookieWriter::(Read|FindCookie)/) >= 0) return 'cookie parse';
  return 'session middleware (the rest)';
}

function run(command, commandArgs, options = {}) {
  execFileSync(command, commandArgs, { stdio: 'inherit', cwd: root, ...options });
}

async function waitFor(url) {
  for (let i = 0; i < 200; i++) {
    try {
      return await fetch(url);
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} did not answer`);
}

function start(folder, dll, port, extra) {
  return spawn('taskset', ['-c', '0', 'dotnet', join(out, folder, dll), `--urls=http://127.0.0.1:${port}`, `--Sessions:EncryptionKey=${key}`,
    '--Sessions:ExpireAfterSeconds=3600', '--Logging:LogLevel:Default=Warning', ...extra], {
    cwd: root, stdio: ['ignore', 'ignore', 'inherit'],
    // W^X double-maps JIT code from a memfd, which perf cannot name; without it perf uses the map.
    env: { ...process.env, ASPNETCORE_ENVIRONMENT: 'Production', DOTNET_PerfMapEnabled: '1', DOTNET_EnableWriteXorExecute: '0' },
  });
}

function wrk(url, duration, cookieFile) {
  const result = spawnSync('taskset', ['-c', '1', 'wrk', '-t1', '-c32', `-d${duration}s`, '-s', join(root, 'bench', 'macro', 'cookies.lua'), url, '--', cookieFile], { encoding: 'utf8' });
  if (result.status !== 0 || /Non-2xx|Socket errors/.test(result.stdout)) throw new Error(`wrk against ${url} failed:\n${result.stdout}${result.stderr}`);
  return Number(/(\d+) requests in/.exec(result.stdout)[1]);
}

console.log('Publishing the demo and the bare app (Release)...');
run('dotnet', ['publish', 'samples/LoginDemo', '-c', 'Release', '-o', join(out, 'demo'), '--nologo', '-v', 'q']);
if (bare) run('dotnet', ['publish', 'bench/Bare', '-c', 'Release', '-o', join(out, 'bare'), '--nologo', '-v', 'q']);

const processes = [];
try {
  // The demo always runs: it makes the sessions (and, for --bare, the Set-Cookie /bare-cookie answers with).
  const demoPort = await freePort();
  const demo = start('demo', 'LoginDemo.dll', demoPort, ['--Sessions:Store=cookie']);
  processes.push(demo);
  await waitFor(`http://127.0.0.1:${demoPort}/counter`);
  const cookies = [];
  let setCookie = null;
  for (let i = 0; i < 256; i++) {
    const response = await fetch(`http://127.0.0.1:${demoPort}/counter`);
    const value = response.headers.getSetCookie().find((c) => c.startsWith('session='));
    setCookie ??= value;
    cookies.push(value.split(';')[0]);
    await response.arrayBuffer();
  }
  const cookieFile = join(out, 'cookies-profile.txt');
  writeFileSync(cookieFile, cookies.join('\n') + '\n');

  let target = demo;
  let url = `http://127.0.0.1:${demoPort}${route}`;
  if (bare) {
    const barePort = await freePort();
    target = start('bare', 'BareApp.dll', barePort, [`--SetCookie=${setCookie}`]);
    processes.push(target);
    url = `http://127.0.0.1:${barePort}${route}`;
    await waitFor(url);
  }

  console.log(`Warming up ${route} for ${warmup} s...`);
  wrk(url, warmup, cookieFile);
  const data = join(out, 'perf.data');
  const before = cpuTicks(target.pid);
  const perf = spawn('perf', ['record', '-F', '2999', '-e', 'cpu-clock', '-g', '-o', data, '-p', String(target.pid), '--', 'sleep', String(seconds)], { stdio: ['ignore', 'ignore', 'inherit'] });
  const requests = wrk(url, seconds, cookieFile);
  const cpuMicroseconds = ((cpuTicks(target.pid) - before) / clockTicks) * 1e6;
  await new Promise((r) => (perf.exitCode !== null ? r() : perf.once('exit', r)));

  const script = spawnSync('perf', ['script', '-i', data, '-F', 'ip,sym,dso'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (script.status !== 0) throw new Error(`perf script failed: ${script.stderr}`);
  const counts = new Map();
  const leaves = new Map();
  let samples = 0;
  for (const block of script.stdout.split(/\n\s*\n/)) {
    const frames = block.split('\n').map((l) => l.trim()).filter(Boolean);
    if (frames.length === 0) continue;
    samples++;
    const stage = classify(frames);
    counts.set(stage, (counts.get(stage) ?? 0) + 1);
    if (detail) {
      const leaf = frames.find((f) => /SessionsServerless|LoginDemo/.test(f)) ?? frames[0];
      const name = `${stage} <- ${leaf.replace(/^\S+\s+/, '').replace(/\(.*?\)\[/, '[').slice(0, 160)}`;
      leaves.set(name, (leaves.get(name) ?? 0) + 1);
    }
  }
  if (samples < 100) throw new Error(`perf recorded only ${samples} samples`);
  const perRequest = cpuMicroseconds / requests;
  const rows = [...counts].sort((a, b) => b[1] - a[1]);
  const date = new Date().toISOString().slice(0, 10);
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const table = [
    `Profile of \`GET ${route}\` (${bare ? 'bench/Bare, no sessions' : 'LoginDemo, cookie store'}), ${date}: ${requests} requests in ${seconds} s, ` +
      `${perRequest.toFixed(1)} µs of server CPU per request, ${samples} samples; load average ${load}.`,
    '',
    '| Stage | Share of samples | µs per request |',
    '| --- | ---: | ---: |',
    ...rows.map(([stage, n]) => `| ${stage} | ${((100 * n) / samples).toFixed(1)}% | ${((perRequest * n) / samples).toFixed(2)} |`),
  ].join('\n');
  writeFileSync(join(out, bare ? 'profile-bare.md' : 'profile.md'), table + '\n');
  console.log('\n' + table);
  if (detail) {
    console.log('\nInnermost project function (or sampled function) of the most frequent stacks:');
    for (const [name, n] of [...leaves].sort((a, b) => b[1] - a[1]).slice(0, 60)) console.log(`${String(n).padStart(6)}  ${name}`);
  }
  if (smoke && !bare && ![...counts.keys()].some((k) => k.startsWith('seal') || k.startsWith('unseal'))) {
    throw new Error('No sample was attributed to the seal or unseal: the perf map or the stage patterns do not work.');
  }
} finally {
  for (const p of processes) {
    p.kill('SIGTERM');
    await new Promise((r) => (p.exitCode !== null ? r() : p.once('exit', r)));
  }
}
