import { formatReceipt, type DeployReceipt } from './receipt';

const receipt: DeployReceipt = {
  stackName: 'hello-world-ecr-ecs-fargate',
  region: 'eu-west-1',
  gitSha: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
  image: {
    repository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello-world-ecr-ecs-fargate',
    tag: 'v1.2.3-ecr-ecs-fargate',
    digest: 'sha256:' + 'ab'.repeat(32),
    pushed: false,
    markerTag: 'deployed-hello-world-ecr-ecs-fargate',
    platforms: ['linux/amd64'],
  },
  scan: {
    tag: 'v1.2.3-ecr-ecs-fargate',
    digest: 'sha256:' + 'ab'.repeat(32),
    state: 'COMPLETE',
    scanStatus: 'COMPLETE',
    scanType: 'basic',
    maxSeverity: 'CRITICAL',
    allowVulnerable: false,
    counts: { HIGH: 1, MEDIUM: 2 },
    atOrAbove: 0,
    blocking: [],
    waitedMs: 0,
  },
  deploymentId: 'ecs-svc/1234567890123456789',
  nothingChanged: false,
  url: 'http://54.170.12.34:49000',
  answersFromHere: true,
  allowedIp: '0.0.0.0/0',
  openToInternet: true,
  warnings: ['hello-world-ecr-ecs-fargate admits the whole internet on port 49000 (…)'],
  phases: [
    {
      phase: 'registry',
      ms: 800,
      result: 'skipped',
      note: 'service only: not deployed, outputs read',
    },
    { phase: 'image', ms: 300, result: 'skipped', note: 'tag already in the registry' },
    { phase: 'service', ms: 150_000, result: 'done' },
    { phase: 'wait', ms: 60_000, result: 'done' },
    { phase: 'url', ms: 2_000, result: 'done' },
  ],
  startedAt: '2026-11-25T18:00:00.000Z',
  finishedAt: '2026-11-25T18:03:33.100Z',
  totalMs: 213_100,
};

describe('formatReceipt', () => {
  it('GIVEN AllowedIP 0.0.0.0/0 THEN says it is the whole internet, with the warning', () => {
    const text = formatReceipt(receipt);
    expect(text).toContain('  allowed IP       0.0.0.0/0 (the whole internet)');
    expect(text).toContain(
      '  WARN             hello-world-ecr-ecs-fargate admits the whole internet',
    );
  });

  it('GIVEN the marker was put THEN names it; GIVEN it was not THEN points at the warning', () => {
    expect(formatReceipt(receipt)).toContain(
      '  marker tag       deployed-hello-world-ecr-ecs-fargate',
    );
    const image = { ...receipt.image };
    delete image.markerTag;
    expect(formatReceipt({ ...receipt, image })).toContain(
      '  marker tag       - (not put, see WARN)',
    );
  });

  it("GIVEN the image checks THEN the receipt names the image's platform and its scan's verdict", () => {
    const text = formatReceipt(receipt);
    expect(text).toContain('  platform         linux/amd64');
    expect(text).toContain(
      '  scan             COMPLETE: 1 HIGH, 2 MEDIUM; nothing at or above CRITICAL',
    );
  });

  it('GIVEN findings deployed with --allow-vulnerable THEN the scan line says so', () => {
    const scan = { ...receipt.scan, counts: { CRITICAL: 1 }, atOrAbove: 1, allowVulnerable: true };
    expect(formatReceipt({ ...receipt, scan })).toContain(
      '  scan             COMPLETE: 1 CRITICAL; 1 at or above CRITICAL, deployed with --allow-vulnerable',
    );
  });

  it('GIVEN --service-only THEN the phases show the registry step as skipped', () => {
    expect(formatReceipt(receipt)).toContain(
      '  phases           registry 1s skipped (service only: not deployed, outputs read),',
    );
  });

  it('GIVEN a deploy that changed nothing THEN says so instead of Deployed, naming the deployment it kept', () => {
    const text = formatReceipt({ ...receipt, nothingChanged: true, totalMs: 3_000 });
    expect(text.split('\n')[0]).toBe(
      'Nothing changed: hello-world-ecr-ecs-fargate in eu-west-1 already runs v1.2.3-ecr-ecs-fargate (deployment ecs-svc/1234567890123456789); checked in 3s',
    );
    expect(text).toContain('  deployment       ecs-svc/1234567890123456789 (unchanged)');
    expect(text).not.toMatch(/^Deployed/m);
  });

  it('GIVEN a deploy that rolled out THEN the first line says Deployed', () => {
    expect(formatReceipt(receipt).split('\n')[0]).toBe(
      'Deployed hello-world-ecr-ecs-fargate in eu-west-1 in 3m33s',
    );
  });
});
