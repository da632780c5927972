import { HEALTH_PATH } from '@hello-world/shared';
import { readEnvPort } from './config';
import { probeHealth } from './health-probe';

// The container health check: `node healthcheck.js` exits 0 when GET /health answers 200 within
// 2 s. Node itself does the check, so the image needs no curl or wget. Kept apart from main.js so
// each check loads a few KB, not Koa. Any failure is one line on stderr (Docker keeps it in the
// container's health log) and exit 1: Docker and ECS only tell 0 from non-zero.
function fail(message: string): never {
  process.stderr.write(`healthcheck: ${message}\n`);
  process.exit(1);
}

let port: number;
try {
  port = readEnvPort(process.env);
} catch (error) {
  fail((error as Error).message);
}
void probeHealth({ port, path: HEALTH_PATH, timeoutMs: 2_000 }).then((problem) =>
  problem === undefined ? process.exit(0) : fail(problem),
);
