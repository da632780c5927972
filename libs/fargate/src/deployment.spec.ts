import { join, resolve } from 'node:path';
import { ConfigError } from './config';
import { environmentFlag, readDeployment, type ReadText } from './deployment';

const DIR = '/work/apps/greeter-infra';

/** A file system holding only the given files. */
const files =
  (contents: Record<string, string>): ReadText =>
  (path) =>
    contents[path];

const cdkJson = (json: unknown) => ({ [join(DIR, 'cdk.json')]: JSON.stringify(json) });

function errorOf(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('readDeployment', () => {
  it("GIVEN a generated service's cdk.json THEN gives its names, port and assembly directory", () => {
    const read = files(
      cdkJson({
        output: '../../dist/apps/greeter-infra/cdk.out',
        context: { service: 'greeter', port: 49010 },
      }),
    );
    const deployment = readDeployment(DIR, read);
    expect({
      ...deployment,
      names: { deployment: deployment.names.deployment, registry: deployment.names.registryStack },
    }).toEqual({
      dir: DIR,
      project: 'greeter-infra',
      names: {
        deployment: 'greeter-ecr-ecs-fargate',
        registry: 'greeter-ecr-ecs-fargate-registry',
      },
      port: 49010,
      assemblyDir: '/work/dist/apps/greeter-infra/cdk.out',
      outputsDir: '/work/dist/apps/greeter-infra',
    });
  });

  it('GIVEN a cdk.json without service, port or output THEN it is hello-world on 49000 in cdk.out', () => {
    const deployment = readDeployment(DIR, files(cdkJson({ app: 'x' })));
    expect([deployment.names.service, deployment.port, deployment.assemblyDir]).toEqual([
      'hello-world',
      49000,
      join(DIR, 'cdk.out'),
    ]);
  });

  it('GIVEN a project.json THEN takes the Nx project name from it', () => {
    const read = files({
      ...cdkJson({}),
      [join(DIR, 'project.json')]: JSON.stringify({ name: 'infra' }),
    });
    expect(readDeployment(DIR, read).project).toBe('infra');
  });

  it("GIVEN the repository's apps/infra THEN it is hello-world's deployment, exactly today's", () => {
    const deployment = readDeployment(join(__dirname, '..', '..', '..', 'apps', 'infra'));
    expect({
      project: deployment.project,
      deployment: deployment.names.deployment,
      port: deployment.port,
      assemblyDir: deployment.assemblyDir,
    }).toEqual({
      project: 'infra',
      deployment: 'hello-world-ecr-ecs-fargate',
      port: 49000,
      assemblyDir: resolve(__dirname, '..', '..', '..', 'dist', 'apps', 'infra', 'cdk.out'),
    });
  });

  it('GIVEN a directory without cdk.json THEN one line says to run from a deployment project', () => {
    expect(errorOf(() => readDeployment(DIR, files({})))).toBe(
      `no cdk.json in ${DIR}: run this from a deployment project's directory (apps/infra, apps/<service>-infra), as \`npx nx run <project>:<target>\` does`,
    );
  });

  it('GIVEN a cdk.json that is not JSON THEN one line names the file', () => {
    const message = errorOf(() => readDeployment(DIR, files({ [join(DIR, 'cdk.json')]: '{' })));
    expect(message).toMatch(new RegExp(`^${join(DIR, 'cdk.json')} is not JSON \\(.+\\)$`));
  });

  it('GIVEN a service name AWS would refuse THEN one line names the file, the value and the rule', () => {
    expect(
      errorOf(() => readDeployment(DIR, files(cdkJson({ context: { service: 'Greeter' } })))),
    ).toBe(
      `${join(DIR, 'cdk.json')}: Invalid service "Greeter" (from context "service"): use lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or digit, e.g. greeter. Set context "service" in the deployment's cdk.json, or unset it for "hello-world".`,
    );
  });

  it('GIVEN a privileged port THEN one line says which ports the unprivileged container can use', () => {
    expect(errorOf(() => readDeployment(DIR, files(cdkJson({ context: { port: 80 } }))))).toBe(
      `${join(DIR, 'cdk.json')}: Invalid port 80 (from context "port"): the service's port must be 1024–65535 (it runs as an unprivileged user). Set context "port" in the deployment's cdk.json, or unset it for 49000.`,
    );
  });

  it('GIVEN an output that is not a path THEN one line shows what one looks like', () => {
    expect(errorOf(() => readDeployment(DIR, files(cdkJson({ output: 7 }))))).toMatch(
      /: "output" 7 is not a directory: expected a path such as /,
    );
  });
});

describe('environments', () => {
  const cdkJson = JSON.stringify({ context: { service: 'hello-world', port: 49000 } });
  const readText: ReadText = (path) => (path.endsWith('cdk.json') ? cdkJson : undefined);

  it('GIVEN staging THEN the names are staging’s and the registry shared', () => {
    const { names } = readDeployment('/repo/apps/infra', readText, 'staging');
    expect([names.deployment, names.registryStack]).toEqual([
      'hello-world-ecr-ecs-fargate-staging',
      'hello-world-ecr-ecs-fargate-registry',
    ]);
  });

  it('GIVEN an environment too long for the service THEN a ConfigError naming the limit', () => {
    expect(() => readDeployment('/repo/apps/infra', readText, 'abcdefghijklmno')).toThrow(
      /^invalid environment "abcdefghijklmno": .*at most 14 characters$/,
    );
  });

  it.each([
    [['status', '--env=staging'], 'staging'],
    [['status', '--env', 'pr-7', '--json'], 'pr-7'],
    [['status', '--env=a', '--env=b'], 'b'],
    [['status'], undefined],
  ])('GIVEN argv %j THEN --env is %j', (argv, expected) => {
    expect(environmentFlag(argv)).toBe(expected);
  });
});
