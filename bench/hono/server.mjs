// hono-sessions 0.8.1 with the routes and options the .NET demo uses in the benchmark:
//   GET /bare     no session middleware
//   GET /counter  increments "counter" (CookieStore, expireAfterSeconds 3600)
//   GET /read     returns {"counter": N}
// Usage: node server.mjs <port> <encryptionKey>
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { sessionMiddleware, CookieStore } from 'hono-sessions';

const [port, encryptionKey] = process.argv.slice(2);
const app = new Hono();
app.get('/bare', (c) => c.text('You have visited this page 1 times'));

const sessions = sessionMiddleware({
  store: new CookieStore(),
  encryptionKey,
  expireAfterSeconds: 3600,
  cookieOptions: { sameSite: 'Lax', path: '/', httpOnly: true },
});
app.use('/counter', sessions);
app.use('/read', sessions);
app.get('/counter', (c) => {
  const session = c.get('session');
  const counter = (session.get('counter') || 0) + 1;
  session.set('counter', counter);
  return c.text(`You have visited this page ${counter} times`);
});
app.get('/read', (c) => c.json({ counter: c.get('session').get('counter') ?? 0 }));

serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(port) }, () => console.log('listening'));
