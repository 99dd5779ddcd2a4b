// The fuzz suite: malformed session cookies against the published demo on each store that runs without the cloud (the
// cookie and memory stores; DynamoDB on dynalite and Azure Table on Azurite, both from the repository's node_modules,
// started and stopped here), and malformed Lambda events through the Runtime API loop; then a forged-token flood against
// the cookie store with three keys. Reports status counts, 5xx, unanswered requests and invocations, and the demo's RSS
// before and after. Exits 1 on any 5xx, unanswered request or invocation, or a demo or emulator that dies.
//
//   node bench/fuzz/run.mjs             100,000 cookies per store, 100,000 forged tokens, 20,000 Lambda events
//   node bench/fuzz/run.mjs --smoke     a few seconds of each (CI); a few hundred cookies on each emulated store
//   options: --cookies N (cookie and memory stores) --server-cookies N (dynamodb and table) --forged N --events N
//   --only cookie,memory,dynamodb,table,forged,forged-salts,lambda --seed N --demo DIR (a published demo; skips publishing)
//
// Needs: the .NET SDK, Node.js 20+ and `npm ci` at the repository root (dynalite, azurite).
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forgedToken, malformedCookieHeader, malformedEvent, rng } from './mutate.mjs';
import { freePort } from '../lib/measure.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : fallback;
};
const cookieCount = Number(option('--cookies', smoke ? 1500 : 100_000));
const serverCookieCount = Number(option('--server-cookies', smoke ? 300 : 100_000));
const forgedCount = Number(option('--forged', smoke ? 1500 : 100_000));
const eventCount = Number(option('--events', smoke ? 300 : 20_000));
const only = option('--only', 'cookie,memory,dynamodb,table,forged,forged-salts,lambda').split(',');
const stores = ['cookie', 'memory', 'dynamodb', 'table'].filter((store) => only.includes(store));
const seed = Number(option('--seed', 20261201));
const concurrency = 16;
const keys = ['fuzz-current-key-k3Jq9VxL2mPz7RtY4wBn', 'fuzz-previous-key-one-Q8sD1fH6jK0lZ5xC', 'fuzz-previous-key-two-M2nB7vC4xZ9aS3dF'];
const demoDir = resolve(option('--demo', join(root, 'artifacts', 'fuzz', 'demo')));
let failed = false;

if (!args.includes('--demo')) {
  console.log('Publishing the demo (Release)...');
  execFileSync('dotnet', ['publish', 'samples/LoginDemo', '-c', 'Release', '-o', demoDir, '--nologo', '-v', 'q'], { stdio: 'inherit', cwd: root });
}
if (existsSync(join(demoDir, 'appsettings.Development.json'))) {
  throw new Error('The published demo carries appsettings.Development.json: its development key must not be published.');
}

function startDemo(port, store, env = {}, extraArgs = []) {
  const demoArgs = [join(demoDir, 'LoginDemo.dll'), `--Sessions:Store=${store}`, `--Sessions:EncryptionKey=${keys[0]}`,
    `--Sessions:PreviousEncryptionKeys:0=${keys[1]}`, `--Sessions:PreviousEncryptionKeys:1=${keys[2]}`,
    '--Logging:LogLevel:Default=Error', '--Logging:LogLevel:SessionsServerless=None', ...extraArgs];
  if (port) demoArgs.push(`--urls=http://127.0.0.1:${port}`);
  const child = spawn('dotnet', demoArgs, {
    cwd: demoDir,
    env: { ...process.env, ASPNETCORE_ENVIRONMENT: 'Production', DOTNET_ENVIRONMENT: 'Production', Sessions__EncryptionKey: undefined, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => { if (stderr.length < 20_000) stderr += chunk; });
  child.exitInfo = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })));
  child.stderrText = () => stderr;
  return child;
}

const memory = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)[1]);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
};
const mb = (value) => `${value.toFixed(1)} MB`;

const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

function get(port, path, cookie) {
  return new Promise((resolveRequest) => {
    const headers = cookie === undefined ? {} : { cookie };
    let request;
    try {
      request = http.request({ host: '127.0.0.1', port, path, method: 'GET', headers, agent, timeout: 30_000 }, (response) => {
        const setCookies = response.headers['set-cookie'] ?? [];
        response.resume();
        response.on('end', () => resolveRequest({ status: response.statusCode, setCookies }));
        response.on('error', () => resolveRequest({ status: 'no answer' }));
      });
    } catch (error) {
      resolveRequest({ status: `not sent (${error.code})` });
      return;
    }
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => resolveRequest({ status: 'no answer' }));
    request.end();
  });
}

async function waitForServer(port, child) {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`The demo exited: ${child.stderrText()}`);
    const { status } = await get(port, '/read');
    if (typeof status === 'number') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('The demo did not start.');
}

async function validTokens(port) {
  const tokens = [];
  for (let i = 0; i < 32; i++) {
    const { setCookies } = await get(port, '/counter');
    const session = setCookies.map((c) => c.split(';')[0]).find((c) => c.startsWith('session='));
    if (!session) throw new Error('/counter set no session cookie');
    tokens.push(session.slice('session='.length));
  }
  return tokens;
}

async function flood(port, count, makeCookie) {
  const statuses = new Map();
  const byKind = new Map();
  let next = 0;
  const started = Date.now();
  async function worker() {
    while (next < count) {
      next++;
      const { kind, header } = makeCookie();
      const path = ['/', '/counter', '/read'][next % 3];
      const { status } = await get(port, path, header);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (typeof status !== 'number' || status >= 500) byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { statuses, failingKinds: byKind, seconds: (Date.now() - started) / 1000 };
}

function report(title, result, before, after, extra = '', notes = []) {
  const counts = [...result.statuses].sort().map(([s, n]) => `${s}: ${n}`).join(', ');
  const fiveHundreds = [...result.statuses].filter(([s]) => typeof s === 'number' && s >= 500).reduce((sum, [, n]) => sum + n, 0);
  // An invocation error (Runtime.InvalidEvent, ...) is an answer; anything else that is not a status is not.
  const unanswered = [...result.statuses].filter(([s]) => typeof s !== 'number' && !String(s).startsWith('error ')).reduce((sum, [, n]) => sum + n, 0);
  console.log(`\n## ${title}`);
  console.log(`statuses: ${counts}`);
  console.log(`5xx: ${fiveHundreds}, unanswered: ${unanswered}, ${result.seconds.toFixed(1)} s${extra}`);
  console.log(`RSS before: ${mb(before.rss)}, after: ${mb(after.rss)} (growth ${mb(after.rss - before.rss)}), peak ${mb(after.peak)}`);
  for (const note of notes) console.log(note);
  if (result.failingKinds.size) console.log(`failing mutations: ${[...result.failingKinds].map(([k, n]) => `${k}: ${n}`).join(', ')}`);
  if (fiveHundreds || unanswered) failed = true;
}

// The local emulators of the server stores, each a child process on a free loopback port, in memory.
function startChild(command, childArgs, readyText, name, options = {}) {
  const child = spawn(command, childArgs, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let output = '';
  const collect = (chunk) => { if (output.length < 20_000) output += chunk; };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  child.exitInfo = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })));
  child.ready = new Promise((resolveReady, rejectReady) => {
    const timer = setTimeout(() => rejectReady(new Error(`${name} did not start within 60 s: ${output}`)), 60_000);
    child.stdout.on('data', () => { if (output.includes(readyText)) { clearTimeout(timer); resolveReady(); } });
    child.on('exit', (code, signal) => { clearTimeout(timer); rejectReady(new Error(`${name} exited (${code ?? signal}) before it was ready: ${output}`)); });
  });
  return child;
}

async function stopChild(child) {
  if (child.exitCode === null && child.signalCode === null) child.kill();
  await child.exitInfo;
}

const dynamoTable = 'sessions';
const azuriteAccount = 'devstoreaccount1';
// Azurite's published development account key (the same for every Azurite install), not a secret.
const azuriteKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** Starts the emulator a store needs; returns the demo's extra settings, a call counter (or null) and a stop function. */
async function startEmulator(store) {
  if (store === 'dynamodb') {
    const script = join(root, 'bench', 'stores', 'counting-dynalite.cjs');
    if (!existsSync(join(root, 'node_modules', 'dynalite'))) throw new Error('dynalite is missing: run `npm ci` at the repository root.');
    const [port, statsPort] = [await freePort(), await freePort()];
    // counting-dynalite creates the table (partition key id) and counts DynamoDB calls by operation.
    const child = startChild(process.execPath, [script, String(port), String(statsPort), dynamoTable], 'ready', 'dynalite', { cwd: root });
    await child.ready;
    return {
      child,
      args: [`--Sessions:DynamoDb:ServiceUrl=http://127.0.0.1:${port}`, `--Sessions:DynamoDb:TableName=${dynamoTable}`],
      env: { AWS_ACCESS_KEY_ID: 'fuzz', AWS_SECRET_ACCESS_KEY: 'fuzz', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' },
      calls: () => new Promise((resolveCalls) => {
        http.get({ host: '127.0.0.1', port: statsPort, path: '/' }, (response) => {
          let text = '';
          response.on('data', (c) => { text += c; });
          response.on('end', () => { try { resolveCalls(JSON.parse(text)); } catch { resolveCalls(null); } });
        }).on('error', () => resolveCalls(null));
      }),
      stop: () => stopChild(child),
    };
  }
  if (store === 'table') {
    const command = join(root, 'node_modules', '.bin', 'azurite-table');
    if (!existsSync(command)) throw new Error('Azurite is missing: run `npm ci` at the repository root.');
    const port = await freePort();
    const workspace = mkdtempSync(join(tmpdir(), 'fuzz-azurite-'));
    const child = startChild(command, ['--tableHost', '127.0.0.1', '--tablePort', String(port), '--inMemoryPersistence', '--disableTelemetry', '--silent'],
      'successfully started', 'Azurite', { cwd: workspace });
    await child.ready;
    return {
      child,
      args: ['--Sessions:AzureTables:TableName=sessions', '--Sessions:AzureTables:CreateTableIfNotExists=true'],
      env: { Sessions__AzureTables__ConnectionString:
        `DefaultEndpointsProtocol=http;AccountName=${azuriteAccount};AccountKey=${azuriteKey};TableEndpoint=http://127.0.0.1:${port}/${azuriteAccount};` },
      calls: async () => null,
      stop: async () => { await stopChild(child); rmSync(workspace, { recursive: true, force: true }); },
    };
  }
  return { child: null, args: [], env: {}, calls: async () => null, stop: async () => {} };
}

async function httpRun(store, title, count, makeCookie, warmup) {
  const emulator = await startEmulator(store);
  const port = await freePort();
  const demo = startDemo(port, store, emulator.env, emulator.args);
  try {
    await waitForServer(port, demo);
    const tokens = await validTokens(port);
    const r = rng(seed + store.length);
    await flood(port, warmup, () => makeCookie(r, tokens));
    const before = memory(demo.pid);
    const callsBefore = await emulator.calls();
    const result = await flood(port, count, () => makeCookie(r, tokens));
    await new Promise((res) => setTimeout(res, 500));
    if (demo.exitCode !== null) throw new Error(`The demo died: ${demo.stderrText()}`);
    if (emulator.child && emulator.child.exitCode !== null) throw new Error(`The ${store} emulator died.`);
    const after = memory(demo.pid);
    const callsAfter = await emulator.calls();
    const notes = [];
    if (callsBefore && callsAfter) {
      const calls = Object.keys(callsAfter).sort().map((op) => `${op} ${callsAfter[op] - (callsBefore[op] ?? 0)}`).join(', ');
      notes.push(`DynamoDB calls during the run: ${calls || 'none'}`);
    }
    if (emulator.child) notes.push(`emulator RSS after: ${mb(memory(emulator.child.pid).rss)}`);
    report(title, result, before, after, ` (${warmup} warm-up requests first; ${concurrency} connections)`, notes);
  } finally {
    demo.kill();
    await demo.exitInfo;
    await emulator.stop();
  }
}

// A Lambda Runtime API (2018-06-01) stand-in: GET next hands out queued events one at a time; response and error posts
// settle them.
async function lambdaRun(count) {
  const queue = [];
  const waiting = [];
  const pending = new Map();
  let nextId = 0;
  const server = http.createServer((request, response) => {
    const url = request.url ?? '';
    if (request.method === 'GET' && url === '/2018-06-01/runtime/invocation/next') {
      const hand = (invocation) => {
        response.writeHead(200, {
          'content-type': 'application/json',
          'lambda-runtime-aws-request-id': invocation.id,
          'lambda-runtime-deadline-ms': String(Date.now() + 300_000),
          'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:us-east-1:123456789012:function:fuzz',
          'lambda-runtime-trace-id': 'Root=1-5f84c7a9-0b3c5c6a1e0f4b7d8e9a0b1c;Parent=3a2b1c0d9e8f7a6b;Sampled=1',
        });
        response.end(invocation.bytes);
      };
      if (queue.length) hand(queue.shift()); else waiting.push(hand);
      return;
    }
    const chunks = [];
    request.on('data', (c) => chunks.push(c));
    request.on('end', () => {
      const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
      const body = Buffer.concat(chunks).toString('utf8');
      if (url === '/2018-06-01/runtime/init/error') {
        console.log(`init error: ${body.slice(0, 500)}`);
        failed = true;
      } else if (match && pending.has(match[1])) {
        pending.get(match[1])({ outcome: match[2], errorType: request.headers['lambda-runtime-function-error-type'], body });
        pending.delete(match[1]);
      }
      response.writeHead(202, { 'content-type': 'application/json' });
      response.end('{"status":"OK"}');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const api = `127.0.0.1:${server.address().port}`;
  const demo = startDemo(null, 'cookie', { AWS_LAMBDA_RUNTIME_API: api, AWS_LAMBDA_FUNCTION_NAME: 'fuzz' });
  const invoke = (bytes) => new Promise((resolveInvocation) => {
    const id = `fuzz-${++nextId}`;
    const timer = setTimeout(() => { pending.delete(id); resolveInvocation({ outcome: 'unanswered' }); }, 30_000);
    pending.set(id, (result) => { clearTimeout(timer); resolveInvocation(result); });
    const invocation = { id, bytes };
    if (waiting.length) waiting.shift()(invocation); else queue.push(invocation);
  });
  const validEvent = (cookie) => Buffer.from(JSON.stringify({
    version: '2.0', routeKey: '$default', rawPath: '/counter', rawQueryString: '', cookies: cookie ? [cookie] : undefined,
    headers: { host: 'r3pmxmplak.execute-api.us-east-1.amazonaws.com', 'x-forwarded-proto': 'https' },
    requestContext: { domainName: 'r3pmxmplak.execute-api.us-east-1.amazonaws.com', http: { method: 'GET', path: '/counter', protocol: 'HTTP/1.1', sourceIp: '198.51.100.20' }, requestId: 'fuzz', stage: '$default' },
    isBase64Encoded: false,
  }));
  try {
    const tokens = [];
    for (let i = 0; i < 16; i++) {
      const result = await invoke(validEvent(tokens.length ? `session=${tokens.at(-1)}` : undefined));
      if (result.outcome !== 'response') throw new Error(`A valid event failed: ${JSON.stringify(result).slice(0, 500)} ${demo.stderrText()}`);
      const payload = JSON.parse(result.body);
      const session = (payload.cookies ?? []).map((c) => c.split(';')[0]).find((c) => c.startsWith('session='));
      if (!session) throw new Error(`A valid event set no session cookie: ${result.body.slice(0, 300)}`);
      tokens.push(session.slice('session='.length));
    }
    const r = rng(seed + 7);
    const statuses = new Map();
    const failingKinds = new Map();
    const count1 = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
    const one = async () => {
      const { kind, bytes } = malformedEvent(r, tokens);
      const result = await invoke(bytes);
      let label = result.outcome;
      if (result.outcome === 'response') {
        let status;
        try { status = JSON.parse(result.body).statusCode; } catch { status = 'unparsable response'; }
        label = typeof status === 'number' ? status : String(status);
        if (typeof status !== 'number' || status >= 500) count1(failingKinds, kind);
      } else if (result.outcome === 'error') {
        label = `error ${result.errorType ?? '(no type)'}`;
      } else {
        count1(failingKinds, kind);
      }
      count1(statuses, label);
    };
    for (let i = 0; i < Math.min(500, count); i++) await one(); // warm-up
    const before = memory(demo.pid);
    const started = Date.now();
    statuses.clear();
    failingKinds.clear();
    for (let i = 0; i < count; i++) {
      await one();
      if (demo.exitCode !== null) throw new Error(`The function died: ${demo.stderrText()}`);
    }
    const after = memory(demo.pid);
    const result = { statuses, failingKinds, seconds: (Date.now() - started) / 1000 };
    report(`Lambda: ${count} malformed events through the Runtime API loop`, result, before, after, ' (sequential, as Lambda invokes; 500 warm-up events first)');
    const hostFailures = [...statuses].filter(([k]) => String(k).includes('HostFailure')).reduce((s, [, n]) => s + n, 0);
    if (hostFailures) console.log(`note: ${hostFailures} invocations answered Runtime.HostFailure (an event the adapter could not map)`);
  } finally {
    demo.kill();
    await demo.exitInfo;
    server.close();
    server.closeAllConnections?.();
  }
}

const malformed = (r, tokens) => malformedCookieHeader(r, tokens);
for (const store of stores) {
  const server = store === 'dynamodb' || store === 'table';
  const count = server ? serverCookieCount : cookieCount;
  const name = { dynamodb: 'DynamoDB store (dynalite)', table: 'Azure Table store (Azurite)' }[store] ?? `${store} store`;
  await httpRun(store, `${name}: ${count} malformed cookies`, count, malformed, smoke ? 200 : server ? 2000 : 5000);
}
if (only.includes('forged')) await httpRun('cookie', `cookie store, three keys: ${forgedCount} forged tokens (well-formed salts, bad MAC)`, forgedCount,
  (r) => ({ kind: 'forged', header: `session=${forgedToken(r)}` }), smoke ? 200 : 5000);
if (only.includes('forged-salts')) await httpRun('cookie', `cookie store, three keys: ${forgedCount} forged tokens with salts of 65 to 8,000 hex characters`, forgedCount,
  (r) => ({ kind: 'forged-salts', header: `session=Fe26.2**${r.hex(65 + r.int(8000))}*${r.b64(22)}*${r.b64(43)}**${r.hex(65 + r.int(8000))}*${r.b64(43)}` }), smoke ? 200 : 5000);
if (only.includes('lambda')) await lambdaRun(eventCount);
agent.destroy();

console.log(failed ? '\nFAILED: a 5xx, an unanswered request or invocation, or an init error (above).' : '\nOK: no 5xx, every request and invocation answered.');
process.exit(failed ? 1 : 0);
