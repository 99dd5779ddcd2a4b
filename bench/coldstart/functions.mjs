#!/usr/bin/env node
// Cold start of both Azure Functions models through the repository's local Functions hosts (tests/TestSupport, run by
// bench/coldstart/FunctionsHostRunner): the time from starting the app's process to the first HTTP response the host
// returns for GET /counter (a session created and sealed in a cookie), median of N runs, and the app process's peak
// resident memory (VmHWM) at that moment.
//
// - isolated worker: samples/FunctionsDemo, started as the Functions host starts a dotnet-isolated worker
//   (worker.config.json, --functions-uri ...), then the FunctionRpc handshake (StartStream, WorkerInitRequest, metadata,
//   one FunctionLoadRequest per function), then the request forwarded to the worker's HTTP endpoint with its
//   InvocationRequest;
// - custom handler: samples/LoginDemo, started as host.json's customHandler says, GET / polled until it answers (as the
//   host waits for a custom handler), then the request forwarded as the host forwards it;
// each framework-dependent with the JIT, and ReadyToRun (-r linux-x64 -p:PublishReadyToRun=true).
//
//   node bench/coldstart/functions.mjs [--runs 10] [--skip-publish]
//   node bench/coldstart/functions.mjs --smoke        # one run of each variant: checks the whole pipeline works
//
// Publishes into artifacts/coldstart-functions/ (needs the .NET SDK). Run it under `nice -n 19` on a shared machine.
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, readFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const runsArg = args.indexOf('--runs');
const runs = smoke ? 1 : (runsArg >= 0 ? Number(args[runsArg + 1]) : 10);
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a positive whole number');
const skipPublish = args.includes('--skip-publish');
const out = path.join(root, 'artifacts', 'coldstart-functions');
const runnerProject = path.join(root, 'bench', 'coldstart', 'FunctionsHostRunner', 'SessionsServerless.Bench.FunctionsHostRunner.csproj');
const runnerDll = path.join(root, 'bench', 'coldstart', 'FunctionsHostRunner', 'bin', 'Release', 'net10.0', 'FunctionsHostRunner.dll');

const variants = [
  { id: 'isolated-jit', model: 'isolated', name: 'Isolated worker, JIT (samples/FunctionsDemo)', project: 'samples/FunctionsDemo/FunctionsDemo.csproj', extra: [] },
  { id: 'isolated-r2r', model: 'isolated', name: 'Isolated worker, ReadyToRun', project: 'samples/FunctionsDemo/FunctionsDemo.csproj', extra: ['-r', 'linux-x64', '--self-contained', 'false', '-p:PublishReadyToRun=true'] },
  { id: 'custom-jit', model: 'custom-handler', name: 'Custom handler, JIT (samples/LoginDemo)', project: 'samples/LoginDemo/LoginDemo.csproj', extra: [] },
  { id: 'custom-r2r', model: 'custom-handler', name: 'Custom handler, ReadyToRun', project: 'samples/LoginDemo/LoginDemo.csproj', extra: ['-r', 'linux-x64', '--self-contained', 'false', '-p:PublishReadyToRun=true'] },
];

function dotnet(label, dotnetArgs) {
  console.error(`${label} ...`);
  const result = spawnSync('dotnet', dotnetArgs, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`${label} failed (dotnet ${dotnetArgs.join(' ')})`);
}

if (!skipPublish) {
  // The projects' own bin/ and obj/ (the ReadyToRun publish builds under its runtime identifier), so the libraries
  // the repository has already built are reused; each variant publishes into a folder of its own outside the projects.
  dotnet('building the host runner', ['build', runnerProject, '-c', 'Release', '-nologo']);
  for (const v of variants) {
    dotnet(`publishing ${v.id}`, ['publish', path.join(root, v.project), '-c', 'Release', '-o', path.join(out, v.id), '-nologo', ...v.extra]);
  }
}

const median = (values) => { const s = [...values].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const sizeMb = (dir) => readdirSync(dir, { recursive: true }).reduce((sum, f) => {
  const file = path.join(dir, String(f));
  const info = statSync(file);
  return info.isFile() ? sum + info.size : sum;
}, 0) / 1024 / 1024;
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const loadBefore = load();
const rows = [];
for (const v of variants) {
  const folder = path.join(out, v.id);
  if (!existsSync(folder) || !existsSync(runnerDll)) throw new Error(`${folder} or the runner is missing; run without --skip-publish`);
  console.error(`measuring ${v.id} (${runs} run${runs === 1 ? '' : 's'} after one warm-up) ...`);
  // One runner process per sample (--runs 0: a single start): a second isolated worker started by the same runner
  // process has been seen to miss its first request (see FunctionsHostRunner/Program.cs). The first sample warms the
  // file cache and is discarded.
  const samples = [];
  for (let i = 0; i <= runs; i++) {
    const text = execFileSync('dotnet', [runnerDll, v.model, folder, '--runs', '0'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const [, ms, kib] = text.trim().split('\t').map(Number);
    if (!Number.isFinite(ms)) throw new Error(`the runner printed no sample for ${v.id}:\n${text}`);
    if (i > 0) samples.push([i, ms, kib]);
  }
  const times = samples.map(([, ms]) => ms);
  const rss = samples.map(([, , kib]) => kib / 1024);
  rows.push(`| ${v.name} | ${median(times).toFixed(0)} | ${Math.min(...times).toFixed(0)} | ${Math.max(...times).toFixed(0)} | ${median(rss).toFixed(1)} | ${sizeMb(folder).toFixed(1)} |`);
}

const cpu = os.cpus();
console.log(`Cold start to first response through the local Functions host, GET /counter, ${runs} run${runs === 1 ? '' : 's'} each, ${cpu.length} cores (${cpu[0].model.trim()}), ${new Date().toISOString().slice(0, 10)}, load average ${loadBefore} before and ${load()} after`);
console.log('');
console.log('| Variant | Median (ms) | Min (ms) | Max (ms) | Peak RSS, median (MiB) | Publish folder (MiB) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(row);
if (smoke) console.log('\n(smoke: one run each; the figures mean nothing)');
