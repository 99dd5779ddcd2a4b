// What the benchmark scripts share: a free loopback port, a process's CPU time from /proc, wrk's latency figures in
// µs, and the median of a round's samples.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that nothing listens on. */
export async function freePort() {
  return new Promise((resolvePort) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** The process's utime + stime in clock ticks (0 for no process). */
export function cpuTicks(pid) {
  if (pid === null) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime, after the state field
}

/** Clock ticks per second, the unit of cpuTicks. */
export const clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

/** A wrk latency ("812.00us", "1.20ms", "2.00s") in µs. */
export function toMicroseconds(text) {
  const match = /([\d.]+)(us|ms|s)/.exec(text);
  const value = Number(match[1]);
  return match[2] === 'us' ? value : match[2] === 'ms' ? value * 1000 : value * 1e6;
}

/** The middle sample (the upper one of the two middles for an even count), as the published tables use. */
export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
