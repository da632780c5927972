import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '../workspace';

// Nx's own code for the report it prints after a run (nx 23); not in its package exports.
const nxDist = join(workspaceRoot, 'node_modules', 'nx', 'dist', 'src');
const { isNxCloudDisabled } = require(join(nxDist, 'utils', 'nx-cloud-utils.js'));
const { buildRecommendations } = require(
  join(nxDist, 'tasks-runner', 'life-cycles', 'performance-report.js'),
);

const nxJson = JSON.parse(readFileSync(join(workspaceRoot, 'nx.json'), 'utf8'));

describe('the report at the end of an nx run', () => {
  const noCloudEnv = process.env['NX_NO_CLOUD'];
  beforeAll(() => delete process.env['NX_NO_CLOUD']);
  afterAll(() => {
    if (noCloudEnv !== undefined) process.env['NX_NO_CLOUD'] = noCloudEnv;
  });

  it('advertises no Nx Cloud remote cache after a long run with no cache hit', () => {
    // GIVEN this workspace's nx.json and a run like test:containers: 3 minutes, nothing cached
    const cloudOptedOut = !!isNxCloudDisabled(nxJson);
    const run = {
      runDuration: 180_000,
      recoverableByParallel: 0,
      recoverableByMachines: 0,
      coordinatorDominated: false,
      canDistribute: false,
      distributing: false,
      criticalPathTop: [],
      cacheHits: 0,
      cacheableCount: 3,
      cacheSkipped: false,
      remoteCacheEnabled: false,
      cloudOptedOut,
    };
    // WHEN nx builds the report's recommendations
    const text = JSON.stringify(buildRecommendations(run));
    // THEN none of them points at Nx Cloud
    expect(text).not.toMatch(/nx\.app|sharing a cache|Nx Agents/);
  });
});
