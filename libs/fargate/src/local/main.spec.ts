import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LOCAL_USAGE } from './local-args';

// The real entry point, as `npx nx run infra:<command>:local` runs it; only argument mistakes,
// which are refused before the engine or the template is touched.
const root = resolve(__dirname, '../../../..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

function runLocalCli(
  args: string[],
  cwd = join(root, 'apps', 'infra'),
  extraEnv: Record<string, string> = {},
) {
  const result = spawnSync(tsx, [join(__dirname, 'main.ts'), ...args], {
    // Where nx runs it: hello-world's deployment project, unless another is given.
    cwd,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...extraEnv },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('local CLI entry point', () => {
  it('GIVEN no command WHEN run THEN the usage on stderr and exit 2', () => {
    const { code, stdout, stderr } = runLocalCli([]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${LOCAL_USAGE}\n`);
  });

  it('GIVEN an unknown option WHEN run THEN one line prefixed with the nx target and exit 2', () => {
    const { code, stdout, stderr } = runLocalCli(['status', '--bogus']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'infra:status:local: unknown option --bogus: options are --json, --name, --env, --help\n',
    );
  });

  it("GIVEN --env=staging WHEN --help THEN the default container is staging's own", () => {
    const { code, stdout } = runLocalCli(['--help', '--env=staging']);
    expect(code).toBe(0);
    expect(stdout).toContain('container name (default hello-world-ecr-ecs-fargate-staging-local)');
  });

  it("GIVEN DEPLOY_ENV=pr-12 WHEN --help THEN the default container is the preview's", () => {
    const { stdout } = runLocalCli(['--help'], undefined, { DEPLOY_ENV: 'pr-12' });
    expect(stdout).toContain('container name (default hello-world-ecr-ecs-fargate-pr-12-local)');
  });

  it('GIVEN an invalid environment name WHEN run THEN one line and exit 2, before the engine', () => {
    const { code, stdout, stderr } = runLocalCli(['status', '--env=Staging']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^infra:status:local: invalid environment "Staging" \(from --env\): [^\n]+\n$/,
    );
  });

  describe('in another deployment project (greeter-infra: service greeter, port 49010)', () => {
    let greeterInfra: string;
    beforeAll(() => {
      greeterInfra = mkdtempSync(join(tmpdir(), 'greeter-infra-'));
      writeFileSync(
        join(greeterInfra, 'cdk.json'),
        JSON.stringify({ app: 'tsx infra.ts', context: { service: 'greeter', port: 49010 } }),
      );
      writeFileSync(join(greeterInfra, 'project.json'), JSON.stringify({ name: 'greeter-infra' }));
    });
    afterAll(() => rmSync(greeterInfra, { recursive: true, force: true }));

    it('GIVEN an unknown option WHEN run THEN the line is prefixed with greeter-infra:<command>:local', () => {
      const { code, stderr } = runLocalCli(['status', '--bogus'], greeterInfra);
      expect(code).toBe(2);
      expect(stderr).toBe(
        'greeter-infra:status:local: unknown option --bogus: options are --json, --name, --env, --help\n',
      );
    });
  });

  describe("with templates synthesized for the default environment (another's wanted)", () => {
    let project: string;
    beforeAll(() => {
      // GIVEN a deployment project whose assembly's manifest lists the default's stacks only
      project = mkdtempSync(join(tmpdir(), 'env-infra-'));
      writeFileSync(
        join(project, 'cdk.json'),
        JSON.stringify({ app: 'tsx infra.ts', output: 'out', context: { service: 'hello-world' } }),
      );
      writeFileSync(join(project, 'project.json'), JSON.stringify({ name: 'infra' }));
      mkdirSync(join(project, 'out'));
      const stack = {
        type: 'aws:cloudformation:stack',
        environment: 'aws://unknown-account/eu-west-1',
      };
      writeFileSync(
        join(project, 'out', 'manifest.json'),
        JSON.stringify({
          artifacts: {
            'hello-world-ecr-ecs-fargate-registry': stack,
            'hello-world-ecr-ecs-fargate': stack,
          },
        }),
      );
      // AND an older synth's staging template beside them, which must not be run
      writeFileSync(
        join(project, 'out', 'hello-world-ecr-ecs-fargate-staging.template.json'),
        '{}',
      );
    });
    afterAll(() => rmSync(project, { recursive: true, force: true }));

    it("GIVEN deploy --env=staging WHEN run THEN one line: synthesize staging's first, exit 2", () => {
      const { code, stdout, stderr } = runLocalCli(['deploy', '--env=staging'], project);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        "infra:deploy:local: The synthesized templates are not environment staging's (no stack hello-world-ecr-ecs-fargate-staging; they hold hello-world-ecr-ecs-fargate-registry, hello-world-ecr-ecs-fargate): run `npx nx run infra:synth -- --env=staging` first.\n",
      );
    });
  });
});
