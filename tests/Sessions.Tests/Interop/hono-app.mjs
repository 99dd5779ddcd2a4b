// A Hono app with hono-sessions 0.8.1 and its CookieStore, for live wire-compatibility tests.
// Usage: node hono-app.mjs <encryptionKey>; prints {"port":N} once listening.
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { sessionMiddleware, CookieStore } from 'hono-sessions';

const encryptionKey = process.argv[2];
const app = new Hono();
app.use('*', sessionMiddleware({
  store: new CookieStore(),
  encryptionKey,
  expireAfterSeconds: 900,
  cookieOptions: { sameSite: 'Lax', path: '/', httpOnly: true },
}));

app.get('/counter', (c) => {
  const session = c.get('session');
  const counter = (session.get('counter') || 0) + 1;
  session.set('counter', counter);
  return c.json({ counter });
});

app.get('/read', (c) => c.json({ counter: c.get('session').get('counter') ?? null, email: c.get('session').get('email') ?? null }));

app.get('/flash', (c) => {
  c.get('session').flash('message', 'Hello from Hono');
  return c.text('flashed');
});

app.get('/get/:key', (c) => c.json({ value: c.get('session').get(c.req.param('key')) ?? null }));

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  process.stdout.write(JSON.stringify({ port: info.port }) + '\n');
});
process.stdin.on('end', () => server.close(() => process.exit(0)));
process.stdin.resume();
