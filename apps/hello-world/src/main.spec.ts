import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { Agent, get } from 'node:http';
import { join } from 'node:path';
import { findFreePort } from './testing/net';

// The real entry point in a child process: flags, exit codes and signals as a user sees them.
const MAIN = join(__dirname, 'main.ts');

interface Child {
  proc: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function runMain(args: string[], env: Record<string, string> = {}): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
  });
  let out = '';
  let err = '';
  proc.stdout.on('data', (chunk) => (out += chunk));
  proc.stderr.on('data', (chunk) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, stdout: () => out, stderr: () => err, exited };
}

async function untilListening(child: Child): Promise<void> {
  for (let i = 0; i < 200 && !child.stdout().includes('"msg":"listening"'); i++) {
    if (child.proc.exitCode !== null) throw new Error(`exited early: ${child.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function getText(port: number, agent?: Agent): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe('main (child process)', () => {
  it('exits 2 with one line on stderr for an invalid port flag', async () => {
    const child = runMain(['--port', 'abc']);
    expect(await child.exited).toBe(2);
    expect(child.stderr()).toBe(
      'hello-world: invalid port "abc" from --port: use a whole number from 1 to 65535\n',
    );
  });

  it('GIVEN a two-line GREETING WHEN started THEN exits 2 with one line, before listening', async () => {
    const child = runMain(['--port', String(await findFreePort())], { GREETING: 'a\nb' });
    const code = await Promise.race([child.exited, untilListening(child).then(() => 'listening')]);
    child.proc.kill('SIGTERM');
    expect(code).toBe(2);
    expect(child.stderr()).toBe(
      'hello-world: invalid GREETING (it holds a line break or another control character): set one line of 1 to 200 characters, or unset it for "hello-world"\n',
    );
    expect(child.stdout()).toBe('');
  });

  it('GIVEN -p -1 WHEN started THEN exits 2 with the valid range in one line', async () => {
    const child = runMain(['-p', '-1']);
    expect(await child.exited).toBe(2);
    expect(child.stderr()).toBe(
      'hello-world: invalid port "-1" from --port: use a whole number from 1 to 65535\n',
    );
  });

  it('GIVEN APP_VERSION WHEN asked --version THEN prints the version GET /health reports', async () => {
    // GIVEN the image build's APP_VERSION
    const env = { APP_VERSION: '9.8.7-spec' };
    // WHEN the CLI prints its version and the running service reports its own
    const printed = runMain(['--version'], env);
    expect(await printed.exited).toBe(0);
    const port = await findFreePort();
    const served = runMain(['-b', '127.0.0.1', '-p', String(port)], env);
    await untilListening(served);
    const health = (await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.json())) as {
      version: string;
    };
    served.proc.kill('SIGTERM');
    await served.exited;
    // THEN both say the same
    expect(printed.stdout()).toBe(`${health.version}\n`);
  });

  it('exits 2 for an unknown flag without a stack trace', async () => {
    const child = runMain(['--frobnicate']);
    expect(await child.exited).toBe(2);
    expect(child.stderr().trim().split('\n')).toHaveLength(1);
    expect(child.stderr()).not.toMatch(/\n\s+at /);
  });

  it('serves hello-world on the address and port given by -b and -p, then exits 0 on SIGTERM', async () => {
    const port = await findFreePort();
    const child = runMain(['-b', '127.0.0.1', '-p', String(port)]);
    await untilListening(child);
    expect(await getText(port)).toBe('hello-world');
    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    const lines = child
      .stdout()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.msg)).toEqual([
      'listening',
      'request',
      'shutting down',
      'drained, exiting',
    ]);
  });

  it('GIVEN KEEP_ALIVE_TIMEOUT_MS=65000 (behind an ALB) THEN answers advertise a 65 s keep-alive', async () => {
    const port = await findFreePort();
    const child = runMain(['-b', '127.0.0.1', '-p', String(port)], {
      KEEP_ALIVE_TIMEOUT_MS: '65000',
    });
    await untilListening(child);
    const agent = new Agent({ keepAlive: true });
    const keepAlive = await new Promise<string>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(String(res.headers['keep-alive'])));
      }).on('error', reject);
    });
    agent.destroy();
    child.proc.kill('SIGTERM');
    await child.exited;
    expect(keepAlive).toBe('timeout=65');
  });

  it('exits 0 on SIGTERM while a keep-alive client sits idle', async () => {
    const port = await findFreePort();
    const child = runMain(['-b', '127.0.0.1'], { PORT: String(port) });
    await untilListening(child);
    const agent = new Agent({ keepAlive: true });
    await getText(port, agent);
    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    expect(child.stdout()).not.toContain('closing remaining connections');
    agent.destroy();
  });

  it('answers a request still arriving at SIGTERM with Connection: close', async () => {
    // GIVEN a client that sent half its headers WHEN SIGTERM arrives and it sends the rest
    const port = await findFreePort();
    const child = runMain(['-b', '127.0.0.1', '-p', String(port)]);
    await untilListening(child);
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await new Promise((resolve) => socket.write('GET / HTTP/1.1\r\nHost: x\r\n', resolve));
    child.proc.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.write('\r\n');
    await closed;
    // THEN it is served, and told not to reuse the connection
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
    expect(await child.exited).toBe(0);
  });

  it('exits 2 (bad environment) with one line when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const child = runMain(['-b', '127.0.0.1', '-p', String(port)]);
    expect(await child.exited).toBe(2);
    expect(child.stderr()).toBe(
      `hello-world: port 127.0.0.1:${port} is already in use; pick another with -p/--port\n`,
    );
    blocker.close();
  });

  it('exits 2 (bad usage) with one line when -b names an address this machine does not have', async () => {
    // GIVEN 192.0.2.1, a documentation address (RFC 5737) no machine here holds
    const port = await findFreePort();
    // WHEN the service is asked to bind it
    const child = runMain(['-b', '192.0.2.1', '-p', String(port)]);
    // THEN it refuses in one line with the next step
    expect(await child.exited).toBe(2);
    expect(child.stderr()).toBe(
      `hello-world: cannot bind 192.0.2.1:${port}: no such local address; use 0.0.0.0 or an address of this machine\n`,
    );
  });
});
