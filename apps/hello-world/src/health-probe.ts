import { request } from 'node:http';

export interface HealthProbe {
  port: number;
  path: string;
  timeoutMs: number;
}

/**
 * Asks the service on 127.0.0.1 for its health. Resolves with undefined when it answers 200,
 * else with one line saying what went wrong (never rejects), for the health check to print.
 */
export function probeHealth({ port, path, timeoutMs }: HealthProbe): Promise<string | undefined> {
  const url = `http://127.0.0.1:${port}${path}`;
  return new Promise((resolve) => {
    // agent: false, so no keep-alive socket outlives the answer and holds the process open.
    const req = request(
      { host: '127.0.0.1', port, path, timeout: timeoutMs, agent: false },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200 ? undefined : `${url} answered ${res.statusCode}`);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => resolve(`${url} did not answer: ${error.message}`));
    req.end();
  });
}
