import {
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ListStacksCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  ListTasksCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  arrangeAccountStacks,
  arrangeHealthyDeployment,
  cloudFormationDenied,
  environmentService,
  environmentStack,
  mockAwsClients,
  PUBLIC_IP,
  registryStack,
  TAG,
} from '@hello-world/aws-ops/testing';
import { deploymentNames } from '@hello-world/shared';
import { opsHarness, type OpsHarness } from './ops-harness-for-test';
import { OpsDeps, runOps } from './run';

const aws = mockAwsClients();
const URL = `http://${PUBLIC_IP}:49000`;

/** The harness's clock: 2026-11-25T18:10Z. */
const daysAgo = (days: number) => new Date(Date.parse('2026-11-25T18:10:00Z') - days * 86_400_000);

/**
 * An account with hello-world's default, staging and two previews (pr-12 last deployed ten days
 * ago), a stack named like a preview but untagged, another service's staging, and the registry.
 */
function accountStacks(): Stack[] {
  return [
    registryStack(),
    environmentStack('default', { lastUpdated: daysAgo(1) }),
    environmentStack('pr-12', {
      lastUpdated: daysAgo(10),
      imageTag: 'sha-0c0ffee-ecr-ecs-fargate',
    }),
    environmentStack('staging', { lastUpdated: daysAgo(2) }),
    environmentStack('pr-3', { Tags: [], CreationTime: daysAgo(30) }),
    environmentStack('staging', { serviceName: 'greeter', lastUpdated: daysAgo(20) }),
    environmentStack('pr-15', { CreationTime: daysAgo(3) }),
  ];
}

function arrangeAccount(stacks: Stack[] = accountStacks(), pageSize = 100): void {
  arrangeAccountStacks(aws.cfn, stacks, { pageSize });
  aws.ecs.on(DescribeClustersCommand).resolves({
    clusters: [{ status: 'ACTIVE', settings: [{ name: 'containerInsights', value: 'disabled' }] }],
  });
  aws.logs.on(DescribeLogGroupsCommand).callsFake((input: { logGroupNamePrefix?: string }) => ({
    logGroups: [{ logGroupName: input.logGroupNamePrefix, retentionInDays: 7 }],
  }));
}

function harnessIn(environment: string, overrides: Partial<OpsDeps> = {}): OpsHarness {
  return opsHarness(aws.clients(), {
    deployment: {
      project: 'infra',
      names: deploymentNames('hello-world', environment),
      port: 49000,
    },
    ...overrides,
  });
}

beforeEach(() => {
  arrangeHealthyDeployment(aws);
  arrangeAccount();
});

describe('envs', () => {
  it("GIVEN this service's tagged stacks THEN the table lists each environment with its stack, status, URL, image, last deploy and cost, exit 0", async () => {
    // GIVEN
    const h = harnessIn('default');
    // WHEN
    const code = await runOps(['envs'], h.deps);
    // THEN
    expect(code).toBe(0);
    const text = h.out.join('\n');
    expect(text).toContain('Environments of hello-world in eu-west-1: 4');
    const rows = text.split('\n').filter((l) => /^ {2}(default|staging|pr-\d+) /.test(l));
    expect(rows.map((r) => r.trim().split(/\s+/)[0])).toEqual([
      'default',
      'pr-12',
      'pr-15',
      'staging',
    ]);
    expect(rows[3]).toMatch(
      new RegExp(
        `staging\\s+hello-world-ecr-ecs-fargate-staging\\s+UPDATE_COMPLETE\\s+${URL.replace(/\./g, '\\.')}\\s+${TAG}\\s+2026-11-23T18:10:00Z\\s+\\$\\d+\\.\\d\\d`,
      ),
    );
    // pr-12's stack asked for another image than its service runs: both are shown.
    expect(rows[1]).toContain(`${TAG} (stack: sha-0c0ffee-ecr-ecs-fargate)`);
    expect(text).toContain('it assumes');
    expect(text).toContain('shared registry');
  });

  it('GIVEN --json THEN prints one object whose environments carry the documented fields', async () => {
    // GIVEN
    const h = harnessIn('default');
    // WHEN
    expect(await runOps(['envs', '--json'], h.deps)).toBe(0);
    // THEN
    const report = JSON.parse(h.out.join('\n'));
    expect(report).toMatchObject({ service: 'hello-world', region: 'eu-west-1', currency: 'USD' });
    expect(report.costAssumptions.length).toBeGreaterThan(0);
    expect(report.skipped).toEqual([]);
    expect(report.environments).toHaveLength(4);
    expect(report.environments[0]).toEqual({
      environment: 'default',
      preview: false,
      stackName: 'hello-world-ecr-ecs-fargate',
      stackStatus: 'UPDATE_COMPLETE',
      lastDeployed: '2026-11-24T18:10:00.000Z',
      url: URL,
      imageTag: TAG,
      stackImageTag: TAG,
      desiredCount: 1,
      runningCount: 1,
      monthlyCost: expect.any(Number),
    });
    expect(report.environments[0].monthlyCost).toBeGreaterThan(5);
  });

  it('GIVEN the stacks come a page at a time THEN every page is read', async () => {
    // GIVEN
    arrangeAccount(accountStacks(), 2);
    const h = harnessIn('default');
    // WHEN
    await runOps(['envs', '--json'], h.deps);
    // THEN
    const names = JSON.parse(h.out.join('\n')).environments.map(
      (e: { environment: string }) => e.environment,
    );
    expect(names).toEqual(['default', 'pr-12', 'pr-15', 'staging']);
  });

  it('GIVEN --previews --older-than=7d THEN only the previews last deployed more than 7 days ago, and only they are described', async () => {
    // GIVEN
    const h = harnessIn('default');
    // WHEN
    expect(await runOps(['envs', '--previews', '--older-than=7d', '--json'], h.deps)).toBe(0);
    // THEN
    const report = JSON.parse(h.out.join('\n'));
    expect(report.environments.map((e: { environment: string }) => e.environment)).toEqual([
      'pr-12',
    ]);
    expect(report.environments[0]).toMatchObject({
      preview: true,
      stackName: 'hello-world-ecr-ecs-fargate-pr-12',
    });
    expect(aws.ecs.commandCalls(DescribeServicesCommand)).toHaveLength(1);
    // The preview role may describe the …-pr-* stacks only: nothing else is asked about.
    expect(
      aws.cfn
        .commandCalls(DescribeStacksCommand)
        .map((c) => c.args[0].input.StackName)
        .sort(),
    ).toEqual([
      'hello-world-ecr-ecs-fargate-pr-12',
      'hello-world-ecr-ecs-fargate-pr-15',
      'hello-world-ecr-ecs-fargate-pr-3',
    ]);
  });

  it('GIVEN DescribeStacks denied on some stacks THEN the others are listed, the table names the skipped, exit 0', async () => {
    // GIVEN: an identity that may describe every stack but staging's
    arrangeAccountStacks(aws.cfn, accountStacks(), {
      describable: (name) => name !== 'hello-world-ecr-ecs-fargate-staging',
    });
    const h = harnessIn('default');
    // WHEN
    const code = await runOps(['envs'], h.deps);
    // THEN
    expect(code).toBe(0);
    const text = h.out.join('\n');
    expect(text).toContain('Environments of hello-world in eu-west-1: 3');
    expect(text).toContain(
      '  skipped 1 stack(s): not read (your identity may not call cloudformation:DescribeStacks on them): hello-world-ecr-ecs-fargate-staging',
    );
  });

  it('GIVEN DescribeStacks denied on some stacks and --json THEN skipped names them', async () => {
    arrangeAccountStacks(aws.cfn, accountStacks(), {
      describable: (name) => name !== 'hello-world-ecr-ecs-fargate-staging',
    });
    const h = harnessIn('default');
    expect(await runOps(['envs', '--json'], h.deps)).toBe(0);
    const report = JSON.parse(h.out.join('\n'));
    expect(report.skipped).toEqual(['hello-world-ecr-ecs-fargate-staging']);
    expect(report.environments.map((e: { environment: string }) => e.environment)).toEqual([
      'default',
      'pr-12',
      'pr-15',
    ]);
  });

  it('GIVEN ListStacks denied THEN one line names the action, exit 2', async () => {
    // GIVEN
    aws.cfn.on(ListStacksCommand).rejects(cloudFormationDenied('ListStacks'));
    const h = harnessIn('default');
    // WHEN
    const code = await runOps(['envs', '--previews', '--json'], h.deps);
    // THEN
    expect(code).toBe(2);
    expect(h.out).toEqual([]);
    expect(h.err).toHaveLength(1);
    expect(h.err[0]).toMatch(/^infra:envs: access denied: .*cloudformation:ListStacks/);
  });

  it('GIVEN --previews alone THEN every preview, however recent', async () => {
    const h = harnessIn('default');
    await runOps(['envs', '--previews', '--json'], h.deps);
    const report = JSON.parse(h.out.join('\n'));
    expect(report.environments.map((e: { environment: string }) => e.environment)).toEqual([
      'pr-12',
      'pr-15',
    ]);
  });

  it('GIVEN no tagged stack of this service THEN says so, exit 0', async () => {
    // GIVEN: a stack named like one, untagged, and another service's
    arrangeAccount([
      registryStack(),
      environmentStack('pr-3', { Tags: [] }),
      environmentStack('staging', { serviceName: 'greeter' }),
    ]);
    const h = harnessIn('default');
    // WHEN
    const code = await runOps(['envs'], h.deps);
    // THEN
    expect(code).toBe(0);
    expect(h.out).toEqual([
      'hello-world has no deployed environment in eu-west-1 (found by the stack tag ecr-ecs-fargate:service=hello-world); pass --region if they live elsewhere',
    ]);
  });

  it('GIVEN no preview older than the filter THEN says which were looked for, exit 0', async () => {
    const h = harnessIn('default');
    expect(await runOps(['envs', '--previews', '--older-than', '30d'], h.deps)).toBe(0);
    expect(h.out[0]).toMatch(
      /^hello-world has no deployed preview environment last deployed more than 30d ago in eu-west-1/,
    );
  });

  it('GIVEN none with --json THEN an empty list, exit 0', async () => {
    arrangeAccount([registryStack()]);
    const h = harnessIn('default');
    expect(await runOps(['envs', '--json'], h.deps)).toBe(0);
    expect(JSON.parse(h.out.join('\n')).environments).toEqual([]);
  });

  it('GIVEN an environment whose ECS service is gone THEN it is listed without URL or cost, saying why', async () => {
    // GIVEN
    arrangeAccount([environmentStack('pr-15', { StackStatus: 'ROLLBACK_COMPLETE' })]);
    aws.ecs.on(DescribeServicesCommand).resolves({
      services: [],
      failures: [{ arn: 'arn:aws:ecs:eu-west-1:123456789012:service/x/x', reason: 'MISSING' }],
    });
    const h = harnessIn('default');
    // WHEN
    expect(await runOps(['envs', '--json'], h.deps)).toBe(0);
    // THEN
    expect(JSON.parse(h.out.join('\n')).environments[0]).toMatchObject({
      environment: 'pr-15',
      stackStatus: 'ROLLBACK_COMPLETE',
      url: null,
      imageTag: TAG,
      monthlyCost: null,
      costNote: 'no ECS service runs in this environment',
    });
  });
});

describe('a named environment', () => {
  it("GIVEN --env=staging deployed THEN status reads staging's service stack and service", async () => {
    // GIVEN
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [environmentService('staging')] });
    const h = harnessIn('staging');
    // WHEN
    expect(await runOps(['status', '--env', 'staging'], h.deps)).toBe(0);
    // THEN
    expect(aws.cfn.commandCalls(DescribeStacksCommand)[0].args[0].input).toEqual({
      StackName: 'hello-world-ecr-ecs-fargate-staging',
    });
    expect(aws.ecs.commandCalls(DescribeServicesCommand)[0].args[0].input).toEqual({
      cluster: 'hello-world-ecr-ecs-fargate-staging',
      services: ['hello-world-ecr-ecs-fargate-staging'],
    });
  });

  it('GIVEN --env=staging THEN outputs shows its service stack and the shared registry stack', async () => {
    const h = harnessIn('staging');
    expect(await runOps(['outputs', '--env=staging'], h.deps)).toBe(0);
    const text = h.out.join('\n');
    expect(text).toMatch(/hello-world-ecr-ecs-fargate-staging +ECSServiceName/);
    expect(text).toMatch(/hello-world-ecr-ecs-fargate-registry +ECRRepositoryName/);
  });

  it('GIVEN --env and --stack THEN the stack given wins', async () => {
    const h = harnessIn('staging');
    expect(
      await runOps(
        ['outputs', '--env=staging', '--stack', 'hello-world-ecr-ecs-fargate-pr-12'],
        h.deps,
      ),
    ).toBe(0);
    expect(h.out.join('\n')).toMatch(/hello-world-ecr-ecs-fargate-pr-12 +ECSServiceName/);
  });
});

describe('an environment that is not deployed', () => {
  const refusal =
    'no environment "stagin" is deployed in eu-west-1 (deployed: default, pr-12, pr-15, staging); pass --env with one of them, or deploy it with `npx nx run infra:deploy -- --env=stagin`';

  it.each([
    ['status'],
    ['url'],
    ['outputs'],
    ['logs'],
    ['doctor'],
    ['scan'],
    ['redeploy'],
    ['rollback'],
    ['abort'],
    ['destroy', '--yes'],
  ])(
    'GIVEN %s in it THEN one line lists the deployed ones, exit 2, nothing else is read',
    async (...argv) => {
      // GIVEN
      const h = harnessIn('stagin');
      // WHEN
      const code = await runOps([...argv, '--env', 'stagin'], h.deps);
      // THEN
      expect(code).toBe(2);
      expect(h.err).toEqual([`infra:${argv[0]}: ${refusal}`]);
      expect(aws.ecs.calls()).toHaveLength(0);
      expect(aws.cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
    },
  );

  it('GIVEN nothing is deployed in the region THEN says so and how to deploy it', async () => {
    arrangeAccount([]);
    const h = harnessIn('stagin');
    expect(await runOps(['status'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'infra:status: no environment "stagin" is deployed in eu-west-1 (no environment is deployed there): deploy it with `npx nx run infra:deploy -- --env=stagin`, or pass --region if it lives elsewhere',
    ]);
  });

  it('GIVEN the stacks cannot be listed (ListStacks denied) THEN names envs instead, exit 2', async () => {
    // GIVEN
    aws.cfn.on(ListStacksCommand).rejects(cloudFormationDenied('ListStacks'));
    const h = harnessIn('stagin');
    // WHEN / THEN
    expect(await runOps(['url'], h.deps)).toBe(2);
    expect(h.err[0]).toBe(
      'infra:url: no environment "stagin" is deployed in eu-west-1: `npx nx run infra:envs` lists the deployed ones; pass --env with one of them, or deploy it with `npx nx run infra:deploy -- --env=stagin`',
    );
  });

  it('GIVEN a preview not deployed, for the preview role THEN lists the deployed previews only, asking nothing about other stacks', async () => {
    // GIVEN: the preview role may describe the …-pr-* stacks only
    arrangeAccountStacks(aws.cfn, accountStacks(), {
      describable: (name) => name.startsWith('hello-world-ecr-ecs-fargate-pr-'),
    });
    const h = harnessIn('pr-7');
    // WHEN
    expect(await runOps(['status'], h.deps)).toBe(2);
    // THEN
    expect(h.err).toEqual([
      'infra:status: no environment "pr-7" is deployed in eu-west-1 (deployed previews: pr-12, pr-15); pass --env with one of them, or deploy it with `npx nx run infra:deploy -- --env=pr-7`',
    ]);
  });

  it('GIVEN DescribeStacks denied on some stacks THEN the refusal names them after the deployed ones', async () => {
    arrangeAccountStacks(aws.cfn, accountStacks(), {
      describable: (name) => name !== 'hello-world-ecr-ecs-fargate-staging',
    });
    const h = harnessIn('stagin');
    expect(await runOps(['url'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'infra:url: no environment "stagin" is deployed in eu-west-1 (deployed: default, pr-12, pr-15; not read (your identity may not call cloudformation:DescribeStacks on them): hello-world-ecr-ecs-fargate-staging); pass --env with one of them, or deploy it with `npx nx run infra:deploy -- --env=stagin`',
    ]);
  });

  it('GIVEN the default environment not deployed THEN its own "not deployed" message, as before', async () => {
    arrangeAccount([environmentStack('staging')]);
    const h = harnessIn('default');
    expect(await runOps(['url'], h.deps)).toBe(2);
    expect(h.err[0]).toMatch(
      /^infra:url: stack hello-world-ecr-ecs-fargate is not deployed in eu-west-1/,
    );
  });
});

describe('destroy of an environment', () => {
  function deletable(environment: string) {
    const stack = environmentStack(environment);
    arrangeAccount([
      ...accountStacks(),
      ...(environment === 'production' ? [environmentStack('production')] : []),
    ]);
    aws.cfn
      .on(DescribeStacksCommand, { StackName: stack.StackId })
      .resolves({ Stacks: [{ ...stack, StackStatus: 'DELETE_COMPLETE' }] });
    aws.cfn.on(DeleteStackCommand).resolves({});
    aws.cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
  }

  it('GIVEN production and --yes alone THEN one line says to add --confirm-env=production, exit 2, nothing read', async () => {
    // GIVEN
    deletable('production');
    const h = harnessIn('production');
    // WHEN
    const code = await runOps(['destroy', '--yes', '--env=production'], h.deps);
    // THEN
    expect(code).toBe(2);
    expect(h.err).toEqual([
      'infra:destroy: destroying production needs its name typed as well as --yes: add --confirm-env=production',
    ]);
    expect(aws.cfn.calls()).toHaveLength(0);
  });

  it('GIVEN production with --yes --confirm-env=production THEN deletes its service stack', async () => {
    // GIVEN
    deletable('production');
    const h = harnessIn('production');
    // WHEN
    const code = await runOps(
      ['destroy', '--yes', '--confirm-env=production', '--env=production'],
      h.deps,
    );
    // THEN
    expect(code).toBe(0);
    expect(aws.cfn.commandCalls(DeleteStackCommand)[0].args[0].input.StackName).toMatch(
      /stack\/hello-world-ecr-ecs-fargate-production\//,
    );
    expect(h.out[0]).toMatch(
      /^deleted stack hello-world-ecr-ecs-fargate-production; kept stack hello-world-ecr-ecs-fargate-registry/,
    );
  });

  it('GIVEN production, no terminal and no --yes THEN says to pass both, exit 2', async () => {
    deletable('production');
    const h = harnessIn('production', { interactive: false });
    expect(await runOps(['destroy'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'infra:destroy: destroy asks before deleting stack hello-world-ecr-ecs-fargate-production: run it in a terminal, or pass --yes --confirm-env=production',
    ]);
  });

  it('GIVEN production in a terminal THEN the question asks for its name, and the name typed deletes', async () => {
    // GIVEN
    deletable('production');
    const questions: string[] = [];
    const confirm = jest.fn(async () => true);
    const h = harnessIn('production', {
      interactive: true,
      confirm,
      ask: async (q) => (questions.push(q), 'production\n'),
    });
    // WHEN
    expect(await runOps(['destroy'], h.deps)).toBe(0);
    // THEN
    expect(questions).toEqual([
      'Delete stack hello-world-ecr-ecs-fargate-production (images in hello-world-ecr-ecs-fargate are kept) in eu-west-1? This is the production environment: type its name (production) to delete it: ',
    ]);
    expect(confirm).not.toHaveBeenCalled();
    expect(aws.cfn.commandCalls(DeleteStackCommand)).toHaveLength(1);
  });

  it('GIVEN production in a terminal and "y" typed THEN nothing is deleted, exit 1', async () => {
    deletable('production');
    const h = harnessIn('production', { interactive: true, ask: async () => 'y' });
    expect(await runOps(['destroy'], h.deps)).toBe(1);
    expect(h.err).toEqual(['nothing deleted']);
    expect(aws.cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('GIVEN --confirm-env naming another environment THEN refused before AWS, exit 2', async () => {
    deletable('production');
    const h = harnessIn('production');
    expect(await runOps(['destroy', '--yes', '--confirm-env=staging'], h.deps)).toBe(2);
    expect(h.err[0]).toMatch(
      /^infra:destroy: --confirm-env "staging" is not the environment being destroyed \(production\)/,
    );
    expect(aws.cfn.calls()).toHaveLength(0);
  });

  it('GIVEN a preview with --yes THEN deletes it as before, without its name typed', async () => {
    // GIVEN
    deletable('pr-12');
    const h = harnessIn('pr-12');
    // WHEN
    expect(await runOps(['destroy', '--yes', '--env=pr-12'], h.deps)).toBe(0);
    // THEN
    expect(aws.cfn.commandCalls(DeleteStackCommand)).toHaveLength(1);
    expect(aws.ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it('GIVEN --delete-images in a named environment THEN refused: the registry is shared, exit 2', async () => {
    deletable('pr-12');
    const h = harnessIn('pr-12');
    expect(await runOps(['destroy', '--yes', '--delete-images'], h.deps)).toBe(2);
    expect(h.err[0]).toMatch(
      /^infra:destroy: --delete-images empties the repository and deletes the registry every environment shares/,
    );
    expect(aws.cfn.calls()).toHaveLength(0);
  });

  it('GIVEN --delete-images in the default environment while others are deployed THEN refused, naming them, exit 2', async () => {
    deletable('default');
    const h = harnessIn('default');
    expect(await runOps(['destroy', '--yes', '--delete-images'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'infra:destroy: --delete-images would delete the images environments pr-12, pr-15, staging still run: destroy them first (`npx nx run infra:destroy -- --env=NAME`), or leave out --delete-images',
    ]);
    expect(aws.cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
    expect(aws.ecs.commandCalls(ListTasksCommand)).toHaveLength(0);
  });

  it('GIVEN --delete-images in the default environment and a stack it may not read THEN refused, naming it, exit 2', async () => {
    // GIVEN: only the default environment and the registry readable; pr-9 may be running the images
    const stacks = [registryStack(), environmentStack('default'), environmentStack('pr-9')];
    arrangeAccountStacks(aws.cfn, stacks, {
      describable: (name) => name !== 'hello-world-ecr-ecs-fargate-pr-9',
    });
    aws.cfn.on(DeleteStackCommand).resolves({});
    const h = harnessIn('default');
    // WHEN
    expect(await runOps(['destroy', '--yes', '--delete-images'], h.deps)).toBe(2);
    // THEN
    expect(h.err).toEqual([
      'infra:destroy: --delete-images cannot tell whether stacks hello-world-ecr-ecs-fargate-pr-9 run the images: your identity may not call cloudformation:DescribeStacks on them; use an identity that may, or leave out --delete-images',
    ]);
    expect(aws.cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });
});
