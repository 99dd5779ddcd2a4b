#!/usr/bin/env node
// Cold start on the Lambda host: from process start to the first response posted to a Runtime API (a local one that
// speaks the 2018-06-01 API as Lambda does). Two apps: the LoginDemo, and the app `dotnet new sessions-lambda` generates
// (what users deploy), each JIT (framework-dependent, run by `dotnet` as the dotnet10 managed runtime does) and Native AOT
// (the `bootstrap` for provided.al2023); the generated app also JIT with ReadyToRun, which its project publishes by
// default. Reports the median of N runs, the peak resident memory (VmHWM) of the function process and the deployed size.
//
//   node bench/coldstart/coldstart.mjs [--runs 10] [--skip-publish] [--only demo|template] [--smoke]
//
// --smoke: one run per variant, no warm-up run (checks that the script works; the figures mean nothing).
// Publishes into artifacts/coldstart/ (needs the .NET SDK, clang for Native AOT, make for the template's Makefile). The
// template comes from the repository: eng/install-templates.sh packs it and the libraries into artifacts/coldstart/feed
// and installs it into a template hive of its own there, so the machine's templates and NuGet sources stay as they are.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const smoke = args.includes('--smoke');
const runs = smoke ? 1 : Number(option('--runs') ?? 10) || 10;
const skipPublish = args.includes('--skip-publish');
const only = option('--only');
if (only !== undefined && only !== 'demo' && only !== 'template') throw new Error('--only takes demo or template');
const out = path.join(root, 'artifacts', 'coldstart');
const jitDir = path.join(out, 'jit');
const aotDir = path.join(out, 'aot');
const project = path.join(root, 'samples', 'LoginDemo', 'LoginDemo.csproj');

// The generated app: its name, where it is created, and its three publishes.
const appName = 'ColdStartApp';
const templateRoot = path.join(out, 'template');
const templateJitDir = path.join(out, 'template-jit');
const templateR2rDir = path.join(out, 'template-r2r');
const templateAotDir = path.join(out, 'template-aot');

function run(label, command, commandArgs, options = {}) {
  console.error(`${label} ...`);
  const result = spawnSync(command, commandArgs, { stdio: ['ignore', 'ignore', 'inherit'], ...options });
  if (result.status !== 0) throw new Error(`${label} failed (${command} ${commandArgs.join(' ')})`);
}

function publish(label, extra, dir) {
  run(`publishing ${label}`, 'dotnet', ['publish', project, '-c', 'Release', '-r', 'linux-x64', '-o', dir, '--artifacts-path', path.join(out, `build-${label}`), '-nologo', ...extra]);
}

// Packs the libraries and the template into a local feed, installs the template into a hive of its own, and creates the
// app twice: as `dotnet new sessions-lambda` (JIT) and with `--aot true`. The projects live inside the repository
// (artifacts/), so empty Directory.* files and an .editorconfig stop MSBuild from reaching the repository's own, exactly
// as a project of its own would build.
function createTemplateApps() {
  rmSync(templateRoot, { recursive: true, force: true });
  mkdirSync(templateRoot, { recursive: true });
  for (const name of ['Directory.Build.props', 'Directory.Build.targets', 'Directory.Packages.props']) {
    writeFileSync(path.join(templateRoot, name), '<Project />\n');
  }
  writeFileSync(path.join(templateRoot, '.editorconfig'), 'root = true\n');
  // NuGet reads this file (it is above the projects) and the user's own configuration (nuget.org); the install script
  // adds the local feed to it.
  const nugetConfig = path.join(templateRoot, 'nuget.config');
  writeFileSync(nugetConfig, '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <packageSources />\n</configuration>\n');
  const hive = path.join(templateRoot, 'hive');
  run('packing and installing the template', 'bash', [path.join(root, 'eng', 'install-templates.sh')], {
    cwd: root,
    env: { ...process.env, SESSIONS_FEED: path.join(templateRoot, 'feed'), SESSIONS_TEMPLATE_HIVE: hive, SESSIONS_NUGET_CONFIG: nugetConfig },
  });
  for (const [dir, extra] of [['jit', []], ['aot', ['--aot', 'true']]]) {
    run(`dotnet new sessions-lambda ${extra.join(' ')}`.trim(), 'dotnet', ['new', 'sessions-lambda', '-n', appName, '-o', path.join(templateRoot, dir), '--store', 'cookie', ...extra, '--debug:custom-hive', hive]);
  }
}

function publishTemplateApps() {
  const jitProject = path.join(templateRoot, 'jit', 'src', appName, `${appName}.csproj`);
  // What `sam build` runs for the dotnet10 runtime (dotnet lambda package publishes for linux-x64, framework-dependent),
  // once with the project's default (ReadyToRun) and once with ReadyToRun turned off.
  const managed = ['publish', jitProject, '-c', 'Release', '-r', 'linux-x64', '--self-contained', 'false', '-nologo'];
  run('publishing the template app (JIT)', 'dotnet', [...managed, '-p:PublishReadyToRun=false', '-o', templateJitDir, '--artifacts-path', path.join(out, 'build-template-jit')]);
  run('publishing the template app (JIT, ReadyToRun)', 'dotnet', [...managed, '-o', templateR2rDir, '--artifacts-path', path.join(out, 'build-template-r2r')]);
  // The --aot variant's Makefile, as `sam build` runs it: the Native AOT publish renamed bootstrap.
  rmSync(templateAotDir, { recursive: true, force: true });
  run('publishing the template app (Native AOT, its Makefile)', 'make', ['-C', path.join(templateRoot, 'aot', 'src', appName), 'build-AppFunction', `ARTIFACTS_DIR=${templateAotDir}`]);
}

if (!skipPublish) {
  if (only !== 'template') {
    publish('jit', ['--self-contained', 'false'], jitDir);
    publish('aot', ['-p:PublishAot=true'], aotDir);
    renameSync(path.join(aotDir, 'LoginDemo'), path.join(aotDir, 'bootstrap'));
  }
  if (only !== 'demo') {
    createTemplateApps();
    publishTemplateApps();
  }
}

const eventFor = (route) => JSON.stringify({
  version: '2.0', routeKey: '$default', rawPath: route, rawQueryString: '',
  headers: { host: 'bench.execute-api.us-east-1.amazonaws.com', 'x-forwarded-proto': 'https' },
  requestContext: { domainName: 'bench.execute-api.us-east-1.amazonaws.com', stage: '$default', requestId: 'bench',
    http: { method: 'GET', path: route, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' } },
  isBase64Encoded: false,
});

// A Runtime API serving one invocation per run (the event of the variant being measured); resolves when the response arrives.
function runtimeApi() {
  let waiter = null;
  let event = null;
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
    next: (body) => new Promise((done) => { event = body; waiter = { resolve: done, served: false }; }),
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

async function measure(api, variant) {
  const { command, args: commandArgs, cwd } = variant;
  const response = api.next(eventFor(variant.route));
  const start = process.hrtime.bigint();
  const child = spawn(command, commandArgs, {
    cwd,
    stdio: 'ignore',
    env: { ...process.env, AWS_LAMBDA_RUNTIME_API: api.address, ASPNETCORE_ENVIRONMENT: 'Production', DOTNET_ENVIRONMENT: 'Production',
      Sessions__EncryptionKey: 'coldstart-benchmark-key-0123456789abcdefghij', DOTNET_TieredPGO: process.env.DOTNET_TieredPGO ?? '1' },
  });
  const result = await response;
  const elapsedMs = Number(result.at - start) / 1e6;
  if (!result.url.endsWith('/response') || !variant.answered(result.body)) {
    throw new Error(`unexpected first post ${result.url}: ${result.body}`);
  }
  await new Promise((r) => setTimeout(r, 50)); // let the process settle before reading its peak memory
  const rss = peakRssKb(child.pid);
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  return { elapsedMs, rssMb: rss / 1024 };
}

const median = (values) => { const s = [...values].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
// Everything in the folder, subfolders included (what the deployment zip holds, before compression).
const sizeBytes = (dir) => readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => sum + (entry.isDirectory() ? sizeBytes(path.join(dir, entry.name)) : statSync(path.join(dir, entry.name)).size), 0);
const sizeMb = (dir) => sizeBytes(dir) / 1024 / 1024;

// The demo's GET /counter answers text; the generated app's GET / answers {"visits":1}. Both seal a new session cookie.
const demo = { route: '/counter', answered: (body) => body.includes('visited this page 1 times') };
const visitsInBody = (response) => { try { return JSON.parse(JSON.parse(response).body).visits; } catch { return undefined; } };
const generated = { route: '/', answered: (body) => visitsInBody(body) === 1 };
const bootstrapSize = (dir) => statSync(path.join(dir, 'bootstrap')).size / 1024 / 1024;
const api = await runtimeApi();
const variants = [
  ...(only === 'template' ? [] : [
    { ...demo, name: 'LoginDemo, JIT (dotnet10 managed runtime: dotnet LoginDemo.dll)', command: 'dotnet', args: [path.join(jitDir, 'LoginDemo.dll')], cwd: jitDir, size: () => sizeMb(jitDir) },
    { ...demo, name: 'LoginDemo, Native AOT (provided.al2023: ./bootstrap)', command: path.join(aotDir, 'bootstrap'), args: [], cwd: aotDir, size: () => bootstrapSize(aotDir) },
  ]),
  ...(only === 'demo' ? [] : [
    { ...generated, name: 'sessions-lambda, JIT (-p:PublishReadyToRun=false)', command: 'dotnet', args: [path.join(templateJitDir, `${appName}.dll`)], cwd: templateJitDir, size: () => sizeMb(templateJitDir) },
    { ...generated, name: 'sessions-lambda, JIT with ReadyToRun (the template\'s default publish)', command: 'dotnet', args: [path.join(templateR2rDir, `${appName}.dll`)], cwd: templateR2rDir, size: () => sizeMb(templateR2rDir) },
    { ...generated, name: 'sessions-lambda --aot true, Native AOT (its Makefile: ./bootstrap)', command: path.join(templateAotDir, 'bootstrap'), args: [], cwd: templateAotDir, size: () => sizeMb(templateAotDir) },
  ]),
];
const rows = [];
for (const variant of variants) {
  if (!existsSync(variant.cwd)) throw new Error(`${variant.cwd} is missing; run without --skip-publish`);
  if (!smoke) await measure(api, variant); // warm the OS file cache once
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await measure(api, variant));
  const times = samples.map((s) => s.elapsedMs);
  rows.push(`| ${variant.name} | ${median(times).toFixed(0)} | ${Math.min(...times).toFixed(0)} | ${Math.max(...times).toFixed(0)} | ${median(samples.map((s) => s.rssMb)).toFixed(1)} | ${variant.size().toFixed(1)} |`);
}
api.server.close();
api.server.closeAllConnections?.();

console.log(`Cold start to first response (HTTP API 2.0 event: LoginDemo GET /counter, sessions-lambda GET /), ${runs} runs each${smoke ? ' (smoke: no warm-up run, figures not meaningful)' : ''}, ${os.cpus().length} cores (${os.cpus()[0].model.trim()}), ${new Date().toISOString().slice(0, 10)}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('');
console.log('| Variant | Median (ms) | Min (ms) | Max (ms) | Peak RSS, median (MiB) | Deployed size (MiB) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(row);
process.exit(0);
