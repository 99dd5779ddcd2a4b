// Seals and unseals with iron-webcrypto itself (the library hono-sessions uses), one JSON request per line:
//   {"op":"seal","value":<any JSON value>,"password":"...","ttl":0}  -> {"ok":true,"result":"Fe26.2*..."}
//   {"op":"unseal","sealed":"Fe26.2*...","password":"..."}           -> {"ok":true,"result":<the value>} or {"ok":false,"error":"..."}
import * as Iron from 'iron-webcrypto';
import { createInterface } from 'node:readline';

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const request = JSON.parse(line);
  let response;
  try {
    if (request.op === 'seal') {
      const options = { ...Iron.defaults, ttl: request.ttl ?? 0 };
      response = { ok: true, result: await Iron.seal(globalThis.crypto, request.value, request.password, options) };
    } else if (request.op === 'unseal') {
      const result = await Iron.unseal(globalThis.crypto, request.sealed, { default: request.password }, Iron.defaults);
      response = { ok: true, result };
    } else {
      response = { ok: false, error: `unknown op ${request.op}` };
    }
  } catch (error) {
    response = { ok: false, error: String(error?.message ?? error) };
  }
  process.stdout.write(JSON.stringify(response) + '\n');
}
