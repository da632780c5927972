import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tsx = join(__dirname, '..', '..', '..', 'node_modules', '.bin', 'tsx');
/** hello-world's deployment project, where nx runs every infra target. */
const helloWorldDeployment = join(__dirname, '..', '..', '..', 'apps', 'infra');
const withoutAws = () =>
  Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith('AWS_') && !key.startsWith('CDK_'),
    ),
  );

describe('bin/infra.ts with a repository named', () => {
  it('adds the CI stack to the synthesized app, without AWS credentials', () => {
    // GIVEN CI_GITHUB_REPOSITORY  WHEN the CDK app runs  THEN the -ci template is written too
    const outdir = mkdtempSync(join(tmpdir(), 'infra-ci-synth-'));
    try {
      const run = spawnSync(tsx, [join(__dirname, 'infra.ts')], {
        env: { ...withoutAws(), CDK_OUTDIR: outdir, CI_GITHUB_REPOSITORY: 'octo-org/hello-world' },
        encoding: 'utf8',
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(existsSync(join(outdir, 'hello-world-ecr-ecs-fargate-ci.template.json'))).toBe(true);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('bin/deploy-ci.ts', () => {
  const deployCi = (...args: string[]) =>
    spawnSync(tsx, [join(__dirname, 'deploy-ci.ts'), ...args], {
      cwd: helloWorldDeployment,
      env: withoutAws(),
      encoding: 'utf8',
    });

  it('stops on a bad repository with one line naming --repo, before calling CDK', () => {
    const run = deployCi('--repo=not-a-repo');
    expect({ status: run.status, stderr: run.stderr.trim().split('\n') }).toEqual({
      status: 2,
      stderr: [
        'infra:deploy-ci: Invalid GitHub repository "not-a-repo" (from --repo): expected owner/name, e.g. --repo=octo-org/hello-world.',
      ],
    });
  }, 60_000);

  it('stops on a bad CI environment with one line naming --environments, before calling CDK', () => {
    // GIVEN one preview named where "preview" stands for all  WHEN run  THEN exit 2, one line
    const run = deployCi('--repo=octo-org/hello-world', '--environments=staging,pr-7');
    expect({ status: run.status, stderr: run.stderr.trim().split('\n') }).toEqual({
      status: 2,
      stderr: [
        'infra:deploy-ci: Invalid CI environments "staging,pr-7" (from --environments): "pr-7" is one preview; "preview" gives every preview\'s shared role; list deployment environments separated by commas, e.g. staging,production,preview.',
      ],
    });
  }, 60_000);

  it('stops without credentials with one line saying how to sign in, before calling CDK', () => {
    // GIVEN no AWS_* variables and a HOME with no ~/.aws  WHEN run for a valid repository
    const home = mkdtempSync(join(tmpdir(), 'deploy-ci-home-'));
    try {
      const run = spawnSync(tsx, [join(__dirname, 'deploy-ci.ts'), '--repo=octo-org/hello-world'], {
        cwd: helloWorldDeployment,
        env: { ...withoutAws(), HOME: home, AWS_EC2_METADATA_DISABLED: 'true' },
        encoding: 'utf8',
      });
      // THEN our one line and exit 2, not CDK's account error with the OIDC-provider hint
      expect({ status: run.status, stderr: run.stderr.trim().split('\n') }).toEqual({
        status: 2,
        stderr: [
          'infra:deploy-ci: no AWS credentials found: run `aws configure` or `aws sso login`, or name a profile with --profile NAME (infra:deploy passes it along its chain) or AWS_PROFILE=NAME',
        ],
      });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);

  it('stops on an unknown option with exit 2 and exactly one line', () => {
    // GIVEN a flag it does not know  WHEN run  THEN one line, the options included
    const run = deployCi('--bogus');
    expect({ status: run.status, lines: run.stderr.trim().split('\n').length }).toEqual({
      status: 2,
      lines: 1,
    });
  }, 60_000);

  it('prints its usage for --help and exits 0', () => {
    const run = deployCi('--help');
    expect({ status: run.status, stdout: run.stdout }).toMatchObject({
      status: 0,
      stdout: expect.stringMatching(/^Usage: npx nx run infra:deploy-ci/),
    });
    // AND it names the previews' stack it deploys for every preview, their own repository in it
    expect(run.stdout.replace(/\s+/g, ' ')).toContain(
      "the previews' stack hello-world-ecr-ecs-fargate-previews (their own ECR repository and task roles)",
    );
  }, 60_000);

  it('run outside a deployment project, stops with one line saying where to run it', () => {
    // GIVEN a working directory without cdk.json  WHEN run  THEN exit 2 and one line, no CDK call
    const elsewhere = mkdtempSync(join(tmpdir(), 'no-deployment-'));
    try {
      const run = spawnSync(tsx, [join(__dirname, 'deploy-ci.ts'), '--help'], {
        cwd: elsewhere,
        env: withoutAws(),
        encoding: 'utf8',
      });
      expect({ status: run.status, stderr: run.stderr.trim().split('\n') }).toEqual({
        status: 2,
        stderr: [
          expect.stringMatching(
            /^deploy-ci: no cdk\.json in .*no-deployment-.*: run this from a deployment project's directory/,
          ),
        ],
      });
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  }, 60_000);
});
