import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { findFreePort } from './testing/net';

// The real health check in a child process, as Docker and ECS run it: only the exit code and
// stderr matter to them.
const HEALTHCHECK = join(__dirname, 'healthcheck.ts');

function runHealthcheck(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', HEALTHCHECK], {
    env: { ...process.env, ...env },
  });
  let stderr = '';
  proc.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => proc.on('close', (code) => resolve({ code, stderr })));
}

describe('healthcheck (child process)', () => {
  it('GIVEN the service answers 200 WHEN checked THEN it exits 0 silently', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;

    const run = await runHealthcheck({ PORT: String(port) });

    server.close();
    expect(run).toEqual({ code: 0, stderr: '' });
  });

  it('GIVEN nothing listens WHEN checked THEN it exits 1 with one line naming the URL', async () => {
    const port = await findFreePort();

    const run = await runHealthcheck({ PORT: String(port) });

    expect(run).toEqual({
      code: 1,
      stderr: `healthcheck: http://127.0.0.1:${port}/health did not answer: connect ECONNREFUSED 127.0.0.1:${port}\n`,
    });
  });

  it('GIVEN PORT out of range WHEN checked THEN it exits 1 with the service own one-line refusal, no stack trace', async () => {
    const run = await runHealthcheck({ PORT: '70000' });

    expect(run).toEqual({
      code: 1,
      stderr: 'healthcheck: invalid port "70000" from PORT: use a whole number from 1 to 65535\n',
    });
  });

  it('GIVEN PORT empty WHEN checked THEN it exits 1 with one line instead of probing a default', async () => {
    const run = await runHealthcheck({ PORT: '' });

    expect(run).toEqual({
      code: 1,
      stderr: 'healthcheck: invalid port "" from PORT: use a whole number from 1 to 65535\n',
    });
  });
});
