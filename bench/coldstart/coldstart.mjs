#!/usr/bin/env node
// Cold start of the LoginDemo on the Lambda host: from process start to the first response posted to a Runtime API
// (a local one that speaks the 2018-06-01 API as Lambda does), JIT (framework-dependent, run by `dotnet` as the dotnet10
// managed runtime does) against Native AOT (the `bootstrap` for provided.al2023). Reports the median of N runs and the
// peak resident memory (VmHWM) of the function process.
//
//   node bench/coldstart/coldstart.mjs [--runs 10] [--skip-publish]
//
// Publishes into artifacts/coldstart/ (needs the .NET SDK, and clang for Native AOT).
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, readFileSync, renameSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 10) || 10;
const skipPublish = args.includes('--skip-publish');
const out = path.join(root, 'artifacts', 'coldstart');
const jitDir = path.join(out, 'jit');
const aotDir = path.join(out, 'aot');
const project = path.join(root, 'samples', 'LoginDemo', 'LoginDemo.csproj');

function publish(label, extra, dir) {
  console.error(`publishing ${label} ...`);
  const result = spawnSync('dotnet', ['publish', project, '-c', 'Release', '-r', 'linux-x64', '-o', dir, '--artifacts-path', path.join(out, `build-${label}`), '-nologo', ...extra], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`dotnet publish (${label}) failed`);
}

if (!skipPublish) {
  publish('jit', ['--self-contained', 'false'], jitDir);
  publish('aot', ['-p:PublishAot=true'], aotDir);
  renameSync(path.join(aotDir, 'LoginDemo'), path.join(aotDir, 'bootstrap'));
}

const event = JSON.stringify({
  version: '2.0', routeKey: '$default', rawPath: '/counter', rawQueryString: '',
  headers: { host: 'bench.execute-api.us-east-1.amazonaws.com', 'x-forwarded-proto': 'https' },
  requestContext: { domainName: 'bench.execute-api.us-east-1.amazonaws.com', stage: '$default', requestId: 'bench',
    http: { method: 'GET', path: '/counter', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' } },
  isBase64Encoded: false,
});

// A Runtime API serving one invocation per run; resolves when the response arrives.
function runtimeApi() {
  let waiter = null;
  let counter = 0;
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/2018-06-01/runtime/invocation/next') {
      if (waiter?.served) return; // the process is killed after its first response; leave later polls hanging
      if (waiter) waiter.served = true;
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Lambda-Runtime-Aws-Request-Id': `bench-${++counter}`,
        'Lambda-Runtime-Deadline-Ms': String(Date.now() + 60_000),
        'Lambda-Runtime-Invoked-Function-Arn': 'arn:aws:lambda:us-east-1:123456789012:function:bench',
        'Lambda-Runtime-Trace-Id': 'Root=1-00000000-000000000000000000000000',
      });
      res.end(event);
      return;
    }
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      res.writeHead(202, { 'Content-Type': 'application/json' });
      res.end('{"status":"OK"}');
      if (waiter) waiter.resolve({ url: req.url, body, at: process.hrtime.bigint() });
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    server,
    address: `127.0.0.1:${server.address().port}`,
    next: () => new Promise((done) => { waiter = { resolve: done, served: false }; }),
  })));
}

function peakRssKb(pid) {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
    return Number(line.split(/\s+/)[1]);
  } catch {
    return NaN;
  }
}

async function measure(api, command, commandArgs, cwd) {
  const response = api.next();
  const start = process.hrtime.bigint();
  const child = spawn(command, commandArgs, {
    cwd,
    stdio: 'ignore',
    env: { ...process.env, AWS_LAMBDA_RUNTIME_API: api.address, ASPNETCORE_ENVIRONMENT: 'Production', DOTNET_ENVIRONMENT: 'Production',
      Sessions__EncryptionKey: 'coldstart-benchmark-key-0123456789abcdefghij', DOTNET_TieredPGO: process.env.DOTNET_TieredPGO ?? '1' },
  });
  const result = await response;
  const elapsedMs = Number(result.at - start) / 1e6;
  if (!result.url.endsWith('/response') || !result.body.includes('visited this page 1 times')) {
    throw new Error(`unexpected first post ${result.url}: ${result.body}`);
  }
  await new Promise((r) => setTimeout(r, 50)); // let the process settle before reading its peak memory
  const rss = peakRssKb(child.pid);
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  return { elapsedMs, rssMb: rss / 1024 };
}

const median = (values) => { const s = [...values].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const sizeMb = (dir) => readdirSync(dir).reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0) / 1024 / 1024;

const api = await runtimeApi();
const variants = [
  { name: 'JIT (dotnet10 managed runtime: dotnet LoginDemo.dll)', command: 'dotnet', args: [path.join(jitDir, 'LoginDemo.dll')], cwd: jitDir, size: () => sizeMb(jitDir) },
  { name: 'Native AOT (provided.al2023: ./bootstrap)', command: path.join(aotDir, 'bootstrap'), args: [], cwd: aotDir, size: () => statSync(path.join(aotDir, 'bootstrap')).size / 1024 / 1024 },
];
const rows = [];
for (const variant of variants) {
  if (!existsSync(variant.cwd)) throw new Error(`${variant.cwd} is missing; run without --skip-publish`);
  await measure(api, variant.command, variant.args, variant.cwd); // warm the OS file cache once
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await measure(api, variant.command, variant.args, variant.cwd));
  const times = samples.map((s) => s.elapsedMs);
  rows.push(`| ${variant.name} | ${median(times).toFixed(0)} | ${Math.min(...times).toFixed(0)} | ${Math.max(...times).toFixed(0)} | ${median(samples.map((s) => s.rssMb)).toFixed(1)} | ${variant.size().toFixed(1)} |`);
}
api.server.close();
api.server.closeAllConnections?.();

console.log(`Cold start to first response, LoginDemo GET /counter (HTTP API 2.0 event), ${runs} runs each, ${os.cpus().length} cores (${os.cpus()[0].model.trim()}), ${new Date().toISOString().slice(0, 10)}`);
console.log('');
console.log('| Variant | Median (ms) | Min (ms) | Max (ms) | Peak RSS, median (MiB) | Deployed size (MiB) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(row);
process.exit(0);
