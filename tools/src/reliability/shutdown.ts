// Shutdown under load: SIGTERM while 100 keep-alive clients send requests, then the same with a
// slow request in flight (headers dribbled across the signal) and a connection that never sends.
//   npx nx run tools:reliability-shutdown [-- --write]
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { DEFAULT_DRAIN_TIMEOUT_MS } from '@hello-world/shared';
import { LOOPBACK } from '../benchmark/server-process';
import { formatTally, renderChecks, tally } from './checks';
import {
  describeMachine,
  exitWithin,
  exchangeRaw,
  recordSection,
  sleep,
  stackTracesIn,
  startApp,
  type RunningApp,
} from './harness';
import { readCli, runCli } from '@hello-world/cli';
import { evaluateShutdown, type ShutdownFigures } from './verdicts';

const values = readCli({
  name: 'tools:reliability-shutdown',
  usage: `usage: nx run tools:reliability-shutdown [-- --connections N (default 100)] [--load-before S (default 3)] [--write]
SIGTERM to the built app under load, with a slow request and a silent connection in flight; --write also records the run in docs/reliability.md.
Exit codes: 0 every check met, 1 a check missed or the run failed, 2 bad usage or setup.`,
  options: {
    connections: { type: 'number', default: 100, min: 1, integer: true },
    'load-before': { type: 'number', default: 3 },
    write: { type: 'boolean' },
  },
});
const connections = values.connections;
const loadBeforeMs = values['load-before'] * 1000;
const budgetMs = DEFAULT_DRAIN_TIMEOUT_MS;

interface Sent {
  writtenAt?: number;
  outcome?: string;
}

/** One `GET /` on the agent; resolves with its record once it ended either way. */
function sendOne(port: number, agent: Agent): Promise<Sent> {
  return new Promise((resolve) => {
    const sent: Sent = {};
    const req = request({ host: LOOPBACK, port, path: '/', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ...sent, outcome: String(res.statusCode) }));
      res.on('error', (error: NodeJS.ErrnoException) =>
        resolve({ ...sent, outcome: error.code ?? 'error' }),
      );
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ ...sent, outcome: error.code ?? 'error' }),
    );
    req.end(() => (sent.writtenAt = performance.now()));
  });
}

/** Keep-alive clients in a loop until refused or `until`; every request is recorded. */
function runLoad(port: number, until: () => number): { done: Promise<void>; sent: Sent[] } {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const sent: Sent[] = [];
  const worker = async () => {
    while (performance.now() < until()) {
      const result = await sendOne(port, agent);
      sent.push(result);
      if (result.outcome !== '200') return;
    }
  };
  const done = Promise.all(Array.from({ length: connections }, worker)).then(() => agent.destroy());
  return { done, sent };
}

/** A request whose headers arrive in pieces: half before the signal, the rest over 1.5 s after. */
function startSlowRequest(port: number, signalled: Promise<number>) {
  return new Promise<NonNullable<ShutdownFigures['slow']> & { signalAt: number }>((resolve) => {
    const socket = connect(port, LOOPBACK);
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => undefined);
    socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n');
    void signalled.then(async (signalAt) => {
      for (let i = 0; i < 5; i++) {
        await sleep(300);
        socket.write(`X-Slow-${i}: ${i}\r\n`);
      }
      socket.write('\r\n');
      // Bounded: a server that never answers or closes is given up on after the drain budget.
      setTimeout(() => socket.destroy(), budgetMs + 5_000).unref();
      socket.on('close', () =>
        resolve({
          status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]) || undefined,
          connectionClose: /\r\nconnection: close\r\n/i.test(answer),
          finishedAfterSignalMs: performance.now() - signalAt,
          signalAt,
        }),
      );
    });
  });
}

/** New connections tried every 25 ms from 50 ms after the signal until the app is gone. */
async function probeNewConnections(app: RunningApp) {
  let refused = 0;
  let refusedWhileAlive = 0;
  let accepted = 0;
  const how: string[] = [];
  await sleep(50);
  for (let i = 0; i < 400; i++) {
    const alive = app.child.exitCode === null && app.child.signalCode === null;
    const result = await exchangeRaw(
      app.port,
      'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
      { end: false, deadlineMs: 2_000 },
    );
    how.push(result.statuses.length > 0 ? 'answered' : (result.errorCode ?? result.outcome));
    if (result.statuses.length > 0) accepted++;
    else {
      refused++;
      if (alive) refusedWhileAlive++;
    }
    if (!alive) break;
    await sleep(25);
  }
  return { refused, refusedWhileAlive, accepted, how: tally(how) };
}

async function scenario(name: string, withSlowClients: boolean) {
  const app = await startApp(`shutdown-${withSlowClients ? 'slow' : 'load'}`, {
    env: { DRAIN_TIMEOUT_MS: String(budgetMs) },
  });
  let signalAt = Number.POSITIVE_INFINITY;
  let onSignal!: (at: number) => void;
  const signalled = new Promise<number>((resolve) => (onSignal = resolve));
  // Clients stop at most 2 s after the signal, or 30 s after the start if it never comes.
  const started = performance.now();
  const load = runLoad(app.port, () => Math.min(signalAt + 2_000, started + 30_000));

  const slow = withSlowClients ? startSlowRequest(app.port, signalled) : undefined;
  const silent = withSlowClients
    ? connect(app.port, LOOPBACK).on('error', () => undefined)
    : undefined;

  await sleep(loadBeforeMs);
  signalAt = performance.now();
  app.child.kill('SIGTERM');
  onSignal(signalAt);
  const probes = probeNewConnections(app);
  // Past the budget the app should have forced its own exit; later still, it is killed (SIGKILL).
  const exit = await exitWithin(app, budgetMs + 5_000);
  const [slowResult, probeResult] = await Promise.all([slow, probes, load.done]).then(
    ([s, p]) => [s, p] as const,
  );
  silent?.destroy();

  const before = load.sent.filter((s) => s.writtenAt !== undefined && s.writtenAt < signalAt);
  const after = load.sent.filter((s) => !(s.writtenAt !== undefined && s.writtenAt < signalAt));
  const figures: ShutdownFigures = {
    scenario: name,
    drainBudgetMs: budgetMs,
    beforeSignal: tally(before.map((s) => s.outcome ?? 'none')),
    afterSignal: tally(after.map((s) => s.outcome ?? 'none')),
    exitCode: exit.code,
    exitAfterMs: exit.atMs - signalAt,
    probes: { refused: probeResult.refused, accepted: probeResult.accepted },
    slow: slowResult && {
      status: slowResult.status,
      connectionClose: slowResult.connectionClose,
      finishedAfterSignalMs: slowResult.finishedAfterSignalMs,
    },
    stackTraces: stackTracesIn(app).length,
  };
  const checks = evaluateShutdown(figures);
  return { name, checks, probeResult, app };
}

async function main(): Promise<boolean> {
  const machine = describeMachine();
  const runs = [
    await scenario(`SIGTERM under load (${connections} keep-alive clients)`, false),
    await scenario(
      `SIGTERM under load, with a slow request in flight and a silent connection open`,
      true,
    ),
  ];
  const sections: string[] = [];
  for (const run of runs) {
    const table = renderChecks(run.checks);
    console.log(`${run.name}\n${table}\n`);
    sections.push(
      `### ${run.name}`,
      '',
      table,
      '',
      `New connections: ${formatTally(run.probeResult.how)}; ${run.probeResult.refusedWhileAlive} of the refusals came while the process was still draining.`,
      '',
    );
  }
  const passed = runs.every((run) => run.checks.every((c) => c.met));
  if (values.write) {
    await recordSection(
      'shutdown',
      [
        '## Shutdown under load',
        '',
        machine,
        '',
        `Each run: the built app with \`DRAIN_TIMEOUT_MS=${budgetMs}\` (the default), ${connections} keep-alive clients (node:http Agent) sending \`GET /\` in a loop; after ${loadBeforeMs / 1000} s the script sends SIGTERM. A request counts as sent before the signal when its bytes were handed to the kernel before \`kill()\` was called. From 50 ms after the signal a new connection is tried every 25 ms until the process is gone. The slow request sends its request line and Host header before the signal, then one more header line every 300 ms and the blank line 1.5 s after it; the silent connection connects before the signal and never sends a byte.`,
        '',
        ...sections,
        'Command: `npx nx run tools:reliability-shutdown -- --write`',
      ].join('\n'),
    );
  }
  return passed;
}

runCli('tools:reliability-shutdown', main);
