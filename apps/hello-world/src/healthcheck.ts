import { request } from 'node:http';
import { APP_PORT, HEALTH_PATH } from '@hello-world/shared';

// The container health check: `node healthcheck.js` exits 0 when GET /health answers 200 within
// 2 s. Node itself does the check, so the image needs no curl or wget. Kept apart from main.js so
// each check loads a few KB, not Koa.
const port = Number(process.env['PORT'] ?? APP_PORT);
const req = request({ host: '127.0.0.1', port, path: HEALTH_PATH, timeout: 2_000 }, (res) => {
  res.resume();
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', () => process.exit(1));
req.end();
