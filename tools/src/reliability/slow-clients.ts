// Slow clients must not pin the server: connections that never finish their headers (stalled,
// dribbling, silent), a body that never finishes, and idle keep-alive connections are each
// closed by the server's own timeouts, while valid requests are still served at normal speed.
//   npx nx run tools:reliability-slow-clients [-- --per-kind 20 --write]
import { openFds } from '../benchmark/server-process';
import { renderChecks } from './checks';
import {
  SERVER_LIMITS,
  describeMachine,
  exitWithin,
  holdConnection,
  medianLatencyMs,
  recordSection,
  sleep,
  stackTracesIn,
  startApp,
  type HeldConnection,
} from './harness';
import { readCli, runCli } from '@hello-world/cli';
import { evaluateSlowClients, type SlowClientGroup } from './verdicts';

const values = readCli({
  name: 'tools:reliability-slow-clients',
  usage: `usage: nx run tools:reliability-slow-clients [-- --per-kind N (default 20)] [--write]
Slow and idle clients must be closed by the server's own timeouts while valid requests are served; --write also records the run in docs/reliability.md.
Exit codes: 0 every check met, 1 a check missed or the run failed, 2 bad usage or setup.`,
  options: {
    'per-kind': { type: 'number', default: 20, min: 1, integer: true },
    write: { type: 'boolean' },
  },
});
const perKind = values['per-kind'];

// How late the server may close after its limit: Node checks the timeouts once per interval.
const GRACE_MS = SERVER_LIMITS.checkIntervalMs + 500;
const REQUEST_HEAD = 'GET / HTTP/1.1\r\nHost: localhost\r\n';

interface Kind {
  kind: string;
  limitMs: number;
  /** When the server's clock for this kind starts, ms after connecting. */
  from: (held: HeldConnection) => number;
  open: (port: number) => Promise<HeldConnection>;
}

const KINDS: Kind[] = [
  {
    kind: 'headers stalled half-way',
    limitMs: SERVER_LIMITS.headersTimeoutMs,
    from: () => 0,
    open: (port) =>
      holdConnection(port, {
        initial: REQUEST_HEAD,
        deadlineMs: SERVER_LIMITS.headersTimeoutMs + 5_000,
      }),
  },
  {
    kind: 'slowloris: a header byte every 500 ms',
    limitMs: SERVER_LIMITS.headersTimeoutMs,
    from: () => 0,
    open: (port) =>
      holdConnection(port, {
        initial: REQUEST_HEAD,
        dribble: { text: 'X-Slowloris: dribble\r\n', everyMs: 500 },
        deadlineMs: SERVER_LIMITS.headersTimeoutMs + 5_000,
      }),
  },
  {
    kind: 'silent: connected, never a byte',
    limitMs: SERVER_LIMITS.headersTimeoutMs,
    from: () => 0,
    open: (port) => holdConnection(port, { deadlineMs: SERVER_LIMITS.headersTimeoutMs + 5_000 }),
  },
  {
    kind: 'body never finished: a byte every 500 ms',
    limitMs: SERVER_LIMITS.requestTimeoutMs,
    from: () => 0,
    open: (port) =>
      holdConnection(port, {
        initial: 'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000\r\n\r\n',
        dribble: { text: 'x', everyMs: 500 },
        deadlineMs: SERVER_LIMITS.requestTimeoutMs + 5_000,
      }),
  },
  {
    kind: 'idle keep-alive after one answered request',
    limitMs: SERVER_LIMITS.keepAliveTimeoutMs,
    // The keep-alive clock starts when the answer went out.
    from: (held) => held.firstReadAtMs ?? Number.NaN,
    open: (port) =>
      holdConnection(port, {
        initial: `${REQUEST_HEAD}\r\n`,
        deadlineMs: SERVER_LIMITS.keepAliveTimeoutMs + 5_000,
      }),
  },
];

async function main(): Promise<boolean> {
  const machine = describeMachine();
  const app = await startApp('slow-clients');
  const latencyBeforeMs = await medianLatencyMs(app.port, 50);
  await sleep(500);
  const fdsBefore = openFds(app.pid);

  let fdsPeak = fdsBefore;
  const sampler = setInterval(() => (fdsPeak = Math.max(fdsPeak, openFds(app.pid))), 250);
  const groups = KINDS.map((kind) => ({
    kind,
    held: Promise.all(Array.from({ length: perKind }, () => kind.open(app.port))),
  }));
  await sleep(3_000);
  const latencyDuringMs = await medianLatencyMs(app.port, 50);
  const results: SlowClientGroup[] = [];
  for (const group of groups) {
    const held = await group.held;
    const byServer = held.filter((h) => h.closedByServer);
    const after = byServer.map((h) => h.closedAtMs - group.kind.from(h));
    results.push({
      kind: group.kind.kind,
      opened: held.length,
      closedByServer: byServer.length,
      minClosedAfterMs: after.length > 0 ? Math.min(...after) : Number.NaN,
      maxClosedAfterMs: after.length > 0 ? Math.max(...after) : Number.NaN,
      limitMs: group.kind.limitMs,
      graceMs: GRACE_MS,
    });
  }
  clearInterval(sampler);
  await sleep(600); // let the server finish closing, and flush its buffered log
  const fdsAfter = openFds(app.pid);
  const stackTraces = stackTracesIn(app).length;
  app.child.kill('SIGTERM');
  await exitWithin(app, 10_000);

  const checks = evaluateSlowClients({
    groups: results,
    fds: { before: fdsBefore, peak: fdsPeak, after: fdsAfter },
    latencyDuringMs,
    latencyBeforeMs,
    stackTraces,
  });
  const table = renderChecks(checks);
  console.log(table);
  if (values.write) {
    await recordSection(
      'slow-clients',
      [
        '## Slow clients',
        '',
        machine,
        '',
        `${perKind} connections of each kind at once against the built app with its default limits (headers ${SERVER_LIMITS.headersTimeoutMs / 1000} s, whole request ${SERVER_LIMITS.requestTimeoutMs / 1000} s, keep-alive ${SERVER_LIMITS.keepAliveTimeoutMs / 1000} s, enforced every ${SERVER_LIMITS.checkIntervalMs / 1000} s). Times are from connecting (from the answer for keep-alive) to the server's close; a client gives up 5 s past the limit, which would count as not closed. Latency: median of 50 \`GET /\` on fresh connections, before and 3 s into the run. File descriptors from \`/proc/PID/fd\`.`,
        '',
        table,
        '',
        'Command: `npx nx run tools:reliability-slow-clients -- --write`',
      ].join('\n'),
    );
  }
  return checks.every((c) => c.met);
}

runCli('tools:reliability-slow-clients', main);
