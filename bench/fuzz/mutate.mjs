// Malformed session cookies and Lambda events, from a seeded generator (the same seed gives the same run).

export function rng(seed) {
  let state = seed >>> 0 || 1;
  const next = () => {
    // xorshift32
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state / 0x100000000;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (items) => items[int(items.length)];
  const hex = (n) => { let s = ''; for (let i = 0; i < n; i++) s += '0123456789abcdef'[int(16)]; return s; };
  const b64 = (n) => { const a = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'; let s = ''; for (let i = 0; i < n; i++) s += a[int(64)]; return s; };
  return { next, int, pick, hex, b64 };
}

// Non-ASCII as the bytes a client would send: UTF-8 carried in a latin1 string (what node:http writes byte for byte).
const utf8Bytes = (text) => Buffer.from(text, 'utf8').toString('latin1');

/** A forged token in iron's exact shape: well-formed salts of the sender's choosing, a MAC that cannot verify. */
export function forgedToken(r) {
  return `Fe26.2**${r.hex(64)}*${r.b64(22)}*${r.b64(43 * (1 + r.int(4)))}**${r.hex(64)}*${r.b64(43)}`;
}

const cookieMutations = {
  truncate: (r, t) => t.slice(0, r.int(t.length)),
  bitflip: (r, t) => {
    const chars = t.split('');
    for (let n = 1 + r.int(3); n > 0; n--) {
      const i = r.int(chars.length);
      chars[i] = String.fromCharCode((chars[i].charCodeAt(0) ^ (1 << r.int(7))) & 0x7f || 0x41);
    }
    return chars.join('').replace(/[;\s,\x00-\x1f\x7f]/g, 'A');
  },
  partCount: (r, t) => {
    const parts = t.split('*');
    if (r.next() < 0.5) parts.splice(r.int(parts.length), 1 + r.int(2));
    else parts.splice(r.int(parts.length), 0, ...Array.from({ length: 1 + r.int(3) }, () => r.b64(r.int(20))));
    return parts.join('*');
  },
  hugePart: (r, t) => {
    const parts = t.split('*');
    parts[r.int(parts.length)] = r.pick([r.hex, r.b64])(2000 + r.int(28000));
    return parts.join('*');
  },
  forgedSalts: (r) => forgedToken(r),
  saltLength: (r, t) => {
    const parts = t.split('*');
    const length = r.pick([0, 1, 63, 65, 128, 1000, 8000]);
    parts[r.pick([2, 6])] = r.hex(length);
    return parts.join('*');
  },
  badBase64: (r, t) => {
    const parts = t.split('*');
    parts[r.pick([3, 4, 7])] = r.pick(['====', '!!!!', 'A', 'AB=C', '%%%', r.b64(21) + '+/', '\\u0000']);
    return parts.join('*');
  },
  nonAscii: (r, t) => {
    const i = r.int(t.length);
    return t.slice(0, i) + utf8Bytes(r.pick(['é', '日本語', '🔐', '\u2028', 'ÿ'])) + t.slice(i);
  },
  expiration: (r, t) => {
    const parts = t.split('*');
    parts[5] = r.pick(['-1', '1', '99999999999999999999999999', 'NaN', '1e3', ' 5', '0x10']);
    return parts.join('*');
  },
  notIron: (r) => r.pick(['', 'null', 'Fe26.2', '********', 'Fe26.2*******', 'Fe26.1' + '*'.repeat(7), '%zz', r.b64(r.int(5000))]),
  urlEncoded: (r, t) => encodeURIComponent(t).replace(/%2A/g, r.pick(['%2A', '%2a', '*'])),
};

export const cookieMutationNames = Object.keys(cookieMutations);

/** A Cookie header value with one or more malformed session cookies (duplicates included). */
export function malformedCookieHeader(r, validTokens, name = 'session') {
  const kind = r.pick([...cookieMutationNames, 'duplicate']);
  if (kind === 'duplicate') {
    const count = 2 + r.int(6);
    const values = Array.from({ length: count }, () => mutateToken(r, r.pick(validTokens)));
    if (r.next() < 0.3) values.splice(r.int(count), 0, r.pick(validTokens));
    return { kind, header: values.map((v) => `${name}=${v}`).join('; ') };
  }
  return { kind, header: `${name}=${cookieMutations[kind](r, r.pick(validTokens))}` };
}

function mutateToken(r, token) {
  return cookieMutations[r.pick(cookieMutationNames)](r, token);
}

/** A malformed Lambda event: raw bytes, from a valid HTTP API, REST or ALB event, or not JSON at all. */
export function malformedEvent(r, validTokens) {
  const base = r.pick([httpApi, restApi, alb])(r, validTokens);
  const kind = r.pick(['cookie', 'dropField', 'wrongType', 'hugeString', 'badBase64Body', 'truncatedJson', 'notJson',
    'loneSurrogate', 'invalidUtf8', 'deepNesting', 'nullEverywhere', 'headerInjection', 'strangeMethod', 'strangePath']);
  const json = (value) => Buffer.from(JSON.stringify(value), 'utf8');
  switch (kind) {
    case 'cookie': {
      const header = malformedCookieHeader(r, validTokens).header;
      if (base.version === '2.0') base.cookies = header.split('; ');
      else if (base.multiValueHeaders) base.multiValueHeaders.Cookie = [header];
      else base.headers.cookie = header;
      return { kind, bytes: json(base) };
    }
    case 'dropField': {
      const keys = Object.keys(base);
      delete base[r.pick(keys)];
      if (base.requestContext && r.next() < 0.5) delete base.requestContext[r.pick(Object.keys(base.requestContext))];
      return { kind, bytes: json(base) };
    }
    case 'wrongType': {
      const key = r.pick(Object.keys(base));
      base[key] = r.pick([42, true, [], {}, 'text', -1.5, [1, 'a', null]]);
      return { kind, bytes: json(base) };
    }
    case 'hugeString': {
      const big = 'x'.repeat(100_000 + r.int(900_000));
      if (r.next() < 0.5) base.body = big; else (base.headers ??= {})['x-big'] = big;
      return { kind, bytes: json(base) };
    }
    case 'badBase64Body':
      base.isBase64Encoded = true;
      base.body = r.pick(['@@@@', 'A', '====', 'QUJD\nREVG', '日本']);
      return { kind, bytes: json(base) };
    case 'truncatedJson': {
      const bytes = json(base);
      return { kind, bytes: bytes.subarray(0, r.int(bytes.length)) };
    }
    case 'notJson':
      return { kind, bytes: Buffer.from(r.pick(['', 'null', '[]', '"text"', '42', 'true', '{', '\u0000\u0001', 'GET / HTTP/1.1'])) };
    case 'loneSurrogate': {
      const text = JSON.stringify(base);
      const at = text.indexOf(r.pick(['"rawPath":"', '"path":"', '"body":"', '"user-agent":"', '"method":"', '"httpMethod":"']));
      const insert = r.pick(['\\ud800', '\\udfff', '\\ud83d', '\\udc00x']);
      const out = at >= 0 ? text.replace(/("(?:rawPath|path|body|user-agent|method|httpMethod)":")/, `$1${insert}`) : text.replace('{', `{"x":"${insert}",`);
      return { kind, bytes: Buffer.from(out, 'utf8') };
    }
    case 'invalidUtf8': {
      const bytes = json(base);
      const i = 1 + r.int(bytes.length - 2);
      return { kind, bytes: Buffer.concat([bytes.subarray(0, i), Buffer.from([r.pick([0xff, 0xc3, 0xed, 0x80, 0xf8])]), bytes.subarray(i)]) };
    }
    case 'deepNesting': {
      const depth = 100 + r.int(5000);
      base.body = undefined;
      const text = JSON.stringify(base).replace(/}$/, `,"deep":${'['.repeat(depth)}${']'.repeat(depth)}}`);
      return { kind, bytes: Buffer.from(text) };
    }
    case 'nullEverywhere':
      for (const key of Object.keys(base)) if (r.next() < 0.5) base[key] = null;
      return { kind, bytes: json(base) };
    case 'headerInjection':
      (base.headers ??= {})[r.pick(['x-a', 'cookie', 'host', 'content-type'])] = r.pick(['a\r\nb: c', 'x\n', '\u0000', 'é\r']);
      return { kind, bytes: json(base) };
    case 'strangeMethod':
      if (base.requestContext?.http) base.requestContext.http.method = r.pick(['', 'G ET', 'get', 'CONNECT', 'X'.repeat(1000)]);
      else base.httpMethod = r.pick(['', 'G ET', 'PROPFIND', 'X'.repeat(1000)]);
      return { kind, bytes: json(base) };
    case 'strangePath': {
      const path = r.pick(['', 'no-slash', '//', '/%zz', '/../../etc/passwd', '/' + 'a'.repeat(10000), '/\u0000', '/?x=1#frag']);
      if (base.version === '2.0') base.rawPath = path; else base.path = path;
      return { kind, bytes: json(base) };
    }
    default:
      throw new Error(kind);
  }
}

function httpApi(r, tokens) {
  return {
    version: '2.0', routeKey: '$default', rawPath: r.pick(['/', '/counter', '/read']), rawQueryString: '',
    cookies: [`session=${r.pick(tokens)}`],
    headers: { host: 'r3pmxmplak.execute-api.us-east-1.amazonaws.com', 'x-forwarded-proto': 'https', 'user-agent': 'fuzz' },
    requestContext: {
      accountId: '123456789012', apiId: 'r3pmxmplak', domainName: 'r3pmxmplak.execute-api.us-east-1.amazonaws.com',
      http: { method: 'GET', path: '/counter', protocol: 'HTTP/1.1', sourceIp: '198.51.100.20', userAgent: 'fuzz' },
      requestId: 'fuzz', routeKey: '$default', stage: '$default', timeEpoch: 1_700_000_000_000,
    },
    isBase64Encoded: false,
  };
}

function restApi(r, tokens) {
  return {
    resource: '/{proxy+}', path: r.pick(['/', '/counter', '/read']), httpMethod: 'GET',
    headers: { Host: 'abcdef1234.execute-api.us-east-1.amazonaws.com', Cookie: `session=${r.pick(tokens)}` },
    multiValueHeaders: { Host: ['abcdef1234.execute-api.us-east-1.amazonaws.com'], Cookie: [`session=${r.pick(tokens)}`] },
    queryStringParameters: null, multiValueQueryStringParameters: null, pathParameters: { proxy: 'counter' },
    requestContext: { resourcePath: '/{proxy+}', httpMethod: 'GET', stage: 'Prod', requestId: 'fuzz', identity: { sourceIp: '203.0.113.10' } },
    body: null, isBase64Encoded: false,
  };
}

function alb(r, tokens) {
  return {
    requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/fuzz/0123456789abcdef' } },
    httpMethod: 'GET', path: r.pick(['/', '/counter', '/read']), queryStringParameters: {},
    headers: { host: 'fuzz-alb.example.com', cookie: `session=${r.pick(tokens)}` },
    body: '', isBase64Encoded: false,
  };
}
