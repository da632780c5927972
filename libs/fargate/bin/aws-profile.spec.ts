// The real deploy and diff entry points in their own processes, as Nx runs them (from the
// deployment's directory), with a profile that exists nowhere: every step of the deploy chain
// must name the profile it was given, never ask for the option the user already passed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const workspaceRoot = join(__dirname, '..', '..', '..');
const TSX_CLI = join(workspaceRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const assembly = join(workspaceRoot, 'dist', 'apps', 'infra', 'cdk.out', 'manifest.json');

let awsDir: string;

beforeAll(() => {
  // An AWS configuration that knows no profile at all.
  awsDir = mkdtempSync(join(tmpdir(), 'aws-empty-'));
  writeFileSync(join(awsDir, 'config'), '');
  writeFileSync(join(awsDir, 'credentials'), '');
});
afterAll(() => rmSync(awsDir, { recursive: true, force: true }));

function run(entry: 'deploy.ts' | 'diff.ts', args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [TSX_CLI, join(__dirname, entry), ...args], {
    cwd: join(workspaceRoot, 'apps', 'infra'),
    env: {
      ...Object.fromEntries(
        Object.entries(process.env).filter(
          ([name]) => !name.startsWith('AWS_') && name !== 'IMAGE_REGISTRY',
        ),
      ),
      AWS_CONFIG_FILE: join(awsDir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(awsDir, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      ...env,
    },
    encoding: 'utf8',
  });
  return { status: result.status, stderr: result.stderr };
}

const notFound = (label: string) =>
  `${label}: AWS profile "nosuch" not found or has no credentials: run \`aws configure --profile nosuch\` (or \`aws sso login --profile nosuch\`)\n`;

// The stacks must have been synthesized (the fargate test target depends on infra:synth).
const withAssembly = existsSync(assembly) ? describe : describe.skip;

withAssembly('a profile that does not exist, through each entry point of the chain', () => {
  jest.setTimeout(60_000);

  it.each([
    ['infra:deploy-registry', 'deploy.ts', ['--registry-only']],
    // What deploy-registry gets from `nx run infra:deploy -- …` (forwarded along the chain)
    [
      'infra:deploy-registry',
      'deploy.ts',
      ['--registry-only', '--allowed-ip=203.0.113.7/32', '--timeout=5m', '--json'],
    ],
    ['infra:deploy', 'deploy.ts', ['--image-tag=sha-1a2b3c4-ecr-ecs-fargate']],
    ['infra:diff', 'diff.ts', []],
  ] as const)(
    'GIVEN %s (%s %j) with --profile=nosuch THEN one line names that profile, exit 2',
    (label, entry, args) => {
      const result = run(entry, [...args, '--profile=nosuch']);
      expect(result.stderr.split('\n').filter((line) => line.startsWith(`${label}:`))).toEqual([
        notFound(label).trimEnd(),
      ]);
      expect(result.status).toBe(2);
    },
  );

  it.each([
    ['infra:deploy-registry', 'deploy.ts', ['--registry-only']],
    ['infra:diff', 'diff.ts', []],
  ] as const)(
    'GIVEN %s with AWS_PROFILE=nosuch THEN one line names that profile, exit 2',
    (label, entry, args) => {
      const result = run(entry, [...args], { AWS_PROFILE: 'nosuch' });
      expect(result).toEqual({ status: 2, stderr: notFound(label) });
    },
  );
});
