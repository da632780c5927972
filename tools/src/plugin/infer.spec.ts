import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_EXECUTOR, inferProjects, type WorkspaceFacts } from './plugin';

const TABLES = {
  ops: ['status', 'url', 'outputs', 'logs', 'redeploy', 'doctor', 'destroy'],
  local: ['deploy', 'status', 'logs', 'destroy'],
};

/** hello-world deployed by infra, greeter deployed by greeter-infra, as the generator lays out. */
const TWO_SERVICES: WorkspaceFacts = {
  images: [
    { root: 'apps/hello-world', name: 'hello-world' },
    { root: 'apps/greeter', name: 'greeter' },
  ],
  deployments: [
    {
      root: 'apps/infra',
      name: 'infra',
      service: undefined,
      output: '../../dist/apps/infra/cdk.out',
    },
    {
      root: 'apps/greeter-infra',
      name: 'greeter-infra',
      service: 'greeter',
      output: '../../dist/apps/greeter-infra/cdk.out',
    },
  ],
  tables: TABLES,
};

describe('inferProjects: a project with a Dockerfile', () => {
  it('GIVEN greeter with a Dockerfile THEN it gets docker-build, docker-push and container-test, as an application', () => {
    const { images } = inferProjects(TWO_SERVICES);
    expect(images['apps/greeter']?.projectType).toBe('application');
    expect(Object.keys(images['apps/greeter']?.targets ?? {})).toEqual([
      'docker-build',
      'docker-push',
      'container-test',
    ]);
  });

  it('GIVEN greeter THEN its image commands name it with --project; hello-world keeps its plain commands', () => {
    const { images } = inferProjects(TWO_SERVICES);
    // docker-build runs through nx:run-commands (command), docker-push through the CLI executor (cliCommand).
    const build = (root: string) => images[root]?.targets['docker-build']?.options?.command;
    const push = (root: string) => images[root]?.targets['docker-push']?.options?.cliCommand;
    expect({
      greeterBuild: build('apps/greeter'),
      greeterPush: push('apps/greeter'),
      helloBuild: build('apps/hello-world'),
      helloPush: push('apps/hello-world'),
    }).toEqual({
      greeterBuild: 'tsx libs/image/src/docker-build.ts --project=greeter',
      greeterPush: 'tsx libs/image/src/docker-push.ts --project=greeter',
      helloBuild: 'tsx libs/image/src/docker-build.ts',
      helloPush: 'tsx libs/image/src/docker-push.ts',
    });
  });

  it('GIVEN greeter THEN its image is described under its own name, not hello-world', () => {
    const { images } = inferProjects(TWO_SERVICES);
    expect(images['apps/greeter']?.targets['docker-build']?.metadata?.description).toMatch(
      /^Build the image locally as greeter-ecr-ecs-fargate:sha-/,
    );
  });

  it("GIVEN greeter THEN container-test runs the every-service image suite on greeter's own image", () => {
    // WHEN inferred for the second service
    const test = inferProjects(TWO_SERVICES).images['apps/greeter']?.targets['container-test'];
    // THEN only the service-image spec runs, pointed at greeter, not hello-world's whole suite
    expect(test?.options).toEqual({
      command:
        'jest --config libs/image/src/jest.container.config.cjs libs/image/src/service-image.container-spec.ts',
      cwd: '{workspaceRoot}',
      env: { CONTAINER_TEST_PROJECT: 'greeter' },
    });
  });

  it('GIVEN a Dockerfile project no deployment names THEN docker-push depends only on build and says why', () => {
    const { images } = inferProjects({ ...TWO_SERVICES, deployments: [] });
    const push = images['apps/greeter']?.targets['docker-push'];
    expect(push?.dependsOn).toEqual(['build']);
    expect(push?.metadata?.description).toContain(
      'no deployment project names greeter as its service',
    );
  });
});

describe('inferProjects: a generated second service and its deployment', () => {
  it('GIVEN apps/greeter/Dockerfile and apps/greeter-infra/cdk.json (service greeter) THEN greeter:docker-push waits for greeter-infra:deploy-registry', () => {
    const { images } = inferProjects(TWO_SERVICES);
    expect(images['apps/greeter']?.targets['docker-push']?.dependsOn).toEqual([
      'build',
      { projects: ['greeter-infra'], target: 'deploy-registry', params: 'forward' },
    ]);
  });

  it('GIVEN the same THEN greeter-infra:deploy waits for greeter:docker-push, not hello-world', () => {
    const { deployments } = inferProjects(TWO_SERVICES);
    expect(deployments['apps/greeter-infra']?.targets['deploy']?.dependsOn).toEqual([
      { target: 'synth', params: 'forward' },
      { projects: ['greeter'], target: 'docker-push', params: 'forward' },
    ]);
    expect(deployments['apps/greeter-infra']?.implicitDependencies).toEqual(['greeter']);
  });

  it('GIVEN the same THEN greeter-infra runs CDK from its own directory and writes its own cdk.out', () => {
    const { deployments } = inferProjects(TWO_SERVICES);
    const synth = deployments['apps/greeter-infra']?.targets['synth'];
    expect({ options: synth?.options, outputs: synth?.outputs }).toEqual({
      options: { cliCwd: 'apps/greeter-infra', cliCommand: 'tsx ../../libs/fargate/bin/synth.ts' },
      outputs: ['{workspaceRoot}/dist/apps/greeter-infra/cdk.out'],
    });
  });

  it('GIVEN the same THEN greeter-infra:status runs the ops CLI in apps/greeter-infra, so it operates greeter', () => {
    const { deployments } = inferProjects(TWO_SERVICES);
    const status = deployments['apps/greeter-infra']?.targets['status'];
    expect({ options: status?.options, local: status?.configurations?.['local'] }).toEqual({
      options: {
        cliCwd: 'apps/greeter-infra',
        cliCommand: 'tsx ../../libs/fargate/src/ops/main.ts status',
      },
      local: { cliCommand: 'tsx ../../libs/fargate/src/local/main.ts status' },
    });
  });

  it('GIVEN a cdk.json with no service THEN the deployment serves hello-world, as the CDK app reads it', () => {
    const { deployments, images } = inferProjects(TWO_SERVICES);
    expect(deployments['apps/infra']?.implicitDependencies).toEqual(['hello-world']);
    expect(images['apps/hello-world']?.targets['docker-push']?.dependsOn).toEqual([
      'build',
      { projects: ['infra'], target: 'deploy-registry', params: 'forward' },
    ]);
  });

  it('GIVEN a cdk.json with no output THEN synth caches CDK default cdk.out in the project', () => {
    const { deployments } = inferProjects({
      ...TWO_SERVICES,
      deployments: [
        {
          root: 'apps/greeter-infra',
          name: 'greeter-infra',
          service: 'greeter',
          output: undefined,
        },
      ],
    });
    expect(deployments['apps/greeter-infra']?.targets['synth']?.outputs).toEqual([
      '{workspaceRoot}/apps/greeter-infra/cdk.out',
    ]);
  });
});

describe('inferProjects: a deployment project', () => {
  it('GIVEN the command tables THEN every ops command is a target and the local ones have a :local configuration', () => {
    const { deployments } = inferProjects(TWO_SERVICES);
    const targets = deployments['apps/greeter-infra']?.targets ?? {};
    const withLocal = Object.keys(targets).filter(
      (name) => targets[name]?.configurations?.['local'],
    );
    expect({ names: Object.keys(targets), withLocal }).toEqual({
      names: [
        'synth',
        'diff',
        'deploy',
        'deploy-registry',
        'deploy-ci',
        'promote',
        'status',
        'url',
        'outputs',
        'logs',
        'redeploy',
        'doctor',
        'destroy',
        'diagram',
        'cost',
      ],
      withLocal: ['deploy', 'deploy-registry', 'status', 'logs', 'destroy'],
    });
  });

  it('GIVEN a deployment THEN promote runs its own script in the project, never cached and after no build or push', () => {
    const { deployments } = inferProjects(TWO_SERVICES);
    const promote = deployments['apps/greeter-infra']?.targets['promote'];
    expect({
      cache: promote?.cache,
      dependsOn: promote?.dependsOn,
      cwd: promote?.options?.cliCwd,
      command: promote?.options?.cliCommand,
    }).toEqual({
      cache: false,
      dependsOn: undefined,
      cwd: 'apps/greeter-infra',
      command: 'tsx ../../libs/fargate/bin/promote.ts',
    });
  });

  it('GIVEN a command the ops CLI gains THEN it becomes a target with a description pointing at the CLI', () => {
    const { deployments } = inferProjects({
      ...TWO_SERVICES,
      tables: { ops: [...TABLES.ops, 'scale'], local: TABLES.local },
    });
    const scale = deployments['apps/infra']?.targets['scale'];
    expect({
      command: scale?.options?.cliCommand,
      description: scale?.metadata?.description,
    }).toEqual({
      command: 'tsx ../../libs/fargate/src/ops/main.ts scale',
      description:
        "The ops CLI's scale command (libs/fargate/src/ops/main.ts; -- --help lists its options)",
    });
  });

  it('GIVEN a command dropped from LOCAL_COMMANDS THEN its target loses the :local configuration', () => {
    const { deployments } = inferProjects({
      ...TWO_SERVICES,
      tables: { ops: TABLES.ops, local: ['deploy', 'status', 'destroy'] },
    });
    expect(deployments['apps/infra']?.targets['logs']?.configurations).toBeUndefined();
  });

  it('GIVEN every target inferred THEN each says it comes from this plugin, with a technology and a description', () => {
    const { deployments, images } = inferProjects(TWO_SERVICES);
    const all = [...Object.values(deployments), ...Object.values(images)].flatMap((project) =>
      Object.entries(project.targets),
    );
    const unmarked = all
      .filter(
        ([, target]) =>
          (target.metadata?.['technologies'] ?? []).length === 0 ||
          !target.metadata?.description ||
          target.metadata?.['inferredBy'] !== 'tools/src/plugin/plugin.ts',
      )
      .map(([name]) => name);
    expect(unmarked).toEqual([]);
  });
});

describe('inferProjects: --env=NAME on every deployment target', () => {
  it('GIVEN a deployment THEN every target runs through the workspace CLI executor, whose env is the environment, not nx:run-commands', () => {
    const { deployments } = inferProjects(TWO_SERVICES);
    const targets = deployments['apps/infra']?.targets ?? {};
    const executors = Object.entries(targets).filter(
      ([, target]) => target.executor !== CLI_EXECUTOR,
    );
    expect({ executor: CLI_EXECUTOR, others: executors.map(([name]) => name) }).toEqual({
      executor: '@hello-world/tools:cli',
      others: [],
    });
  });

  it("GIVEN every target through the CLI executor THEN its options and configurations name only the executor's own options (cliCommand, …), which no CLI option after -- replaces", () => {
    // GIVEN the executor's schema: the option names Nx keeps for the executor
    const schema = JSON.parse(
      readFileSync(join(__dirname, '..', 'executors', 'cli', 'schema.json'), 'utf8'),
    ) as { properties: Record<string, unknown> };
    const known = new Set(Object.keys(schema.properties));
    // WHEN the plugin infers both services' projects
    const { images, deployments } = inferProjects(TWO_SERVICES);
    const targets = [...Object.values(images), ...Object.values(deployments)].flatMap((project) =>
      Object.entries(project.targets).filter(([, target]) => target.executor === CLI_EXECUTOR),
    );
    // THEN no options object (a :local configuration included) sets a name the executor ignores
    const unknown = targets.flatMap(([name, target]) =>
      [target.options ?? {}, ...Object.values(target.configurations ?? {})].flatMap((options) =>
        Object.keys(options)
          .filter((key) => !known.has(key))
          .map((key) => `${name}: ${key}`),
      ),
    );
    expect({ targets: targets.length > 0, unknown }).toEqual({ targets: true, unknown: [] });
  });

  it("GIVEN a service's image THEN docker-push runs through the CLI executor too: deploy forwards --env to it", () => {
    const { images } = inferProjects(TWO_SERVICES);
    expect(images['apps/hello-world']?.targets['docker-push']?.executor).toBe(CLI_EXECUTOR);
  });

  it('GIVEN the targets that read the synthesized templates THEN each runs synth first with its own options, so --env synthesizes that environment', () => {
    const { deployments } = inferProjects(TWO_SERVICES);
    const targets = deployments['apps/infra']?.targets ?? {};
    const forwarding = Object.keys(targets).filter((name) =>
      targets[name]?.dependsOn?.some(
        (dependency) =>
          typeof dependency === 'object' &&
          dependency.target === 'synth' &&
          dependency.params === 'forward',
      ),
    );
    expect(forwarding).toEqual(['diff', 'deploy', 'deploy-registry', 'diagram', 'cost']);
  });

  it('GIVEN synth THEN its cache inputs include DEPLOY_ENV and LOG_RETENTION_DAYS, so each environment gets its own templates', () => {
    const { deployments } = inferProjects(TWO_SERVICES);
    expect(deployments['apps/infra']?.targets['synth']?.inputs).toEqual(
      expect.arrayContaining([{ env: 'DEPLOY_ENV' }, { env: 'LOG_RETENTION_DAYS' }]),
    );
  });
});

describe('inferProjects: a deployment whose service has no Dockerfile', () => {
  const ORPHAN: WorkspaceFacts = {
    images: [{ root: 'apps/hello-world', name: 'hello-world' }],
    deployments: [
      { root: 'apps/greeter-infra', name: 'greeter-infra', service: 'greeter', output: undefined },
    ],
    tables: TABLES,
  };

  it('GIVEN greeter-infra naming greeter, which has no Dockerfile THEN it keeps every target, so it can still be destroyed', () => {
    const { deployments } = inferProjects(ORPHAN);
    expect(Object.keys(deployments['apps/greeter-infra']?.targets ?? {})).toContain('destroy');
  });

  it('GIVEN the same THEN deploy waits for no image target and names no unknown project', () => {
    const { deployments } = inferProjects(ORPHAN);
    const project = deployments['apps/greeter-infra'];
    expect({
      dependsOn: project?.targets['deploy']?.dependsOn,
      implicitDependencies: project?.implicitDependencies,
    }).toEqual({
      dependsOn: [{ target: 'synth', params: 'forward' }],
      implicitDependencies: undefined,
    });
  });

  it('GIVEN the same THEN deploy says what is missing and the next step', () => {
    const { deployments } = inferProjects(ORPHAN);
    expect(deployments['apps/greeter-infra']?.targets['deploy']?.metadata?.description).toContain(
      'No project named greeter has a Dockerfile (cdk.json context "service"), so no image target runs first: add apps/greeter/Dockerfile or name another service',
    );
  });
});
