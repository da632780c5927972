// infra:exec through runOps, against mocked ECS: each check's one line, and the plugin run with
// the AWS CLI's arguments.
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ExecuteCommandCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import {
  NAME,
  TASK_ARN,
  TASK_ID,
  arrangeHealthyDeployment,
  awsError,
  executeCommandAnswer,
  execTask,
  mockAwsClients,
  service,
  stack,
} from '@hello-world/aws-ops/testing';
import { deploymentNames } from '@hello-world/shared';
import { PLUGIN_INSTALL_URL } from './exec';
import { opsHarness, type OpsHarness } from './ops-harness-for-test';
import { type OpsDeps, runOps } from './run';

const aws = mockAwsClients();
const PLUGIN = '/usr/local/bin/session-manager-plugin';
const STAGING = deploymentNames('hello-world', 'staging');

interface PluginRun {
  file: string;
  args: readonly string[];
}

function harness(overrides: Partial<OpsDeps> = {}): OpsHarness & { runs: PluginRun[] } {
  const runs: PluginRun[] = [];
  const h = opsHarness(aws.clients(), {
    findExecutable: (name) => (name === 'session-manager-plugin' ? PLUGIN : undefined),
    runInteractive: async (file, args) => {
      runs.push({ file, args });
      return 0;
    },
    ...overrides,
  });
  return { ...h, runs };
}

beforeEach(() => {
  arrangeHealthyDeployment(aws);
  aws.ecs
    .on(DescribeServicesCommand)
    .resolves({ services: [service({ enableExecuteCommand: true })] });
  aws.ecs.on(DescribeTasksCommand, { tasks: [TASK_ARN] }).resolves({ tasks: [execTask()] });
  aws.ecs.on(ExecuteCommandCommand).resolves(executeCommandAnswer());
});

describe('exec', () => {
  it('GIVEN exec on and the agent running THEN opens /bin/sh and runs the plugin as the AWS CLI does, exit its code', async () => {
    const runs: PluginRun[] = [];
    const h = harness({
      runInteractive: async (file, args) => {
        runs.push({ file, args });
        return 130;
      },
    });
    expect(await runOps(['exec', '--profile', 'dev'], h.deps)).toBe(130);
    expect(aws.ecs.commandCalls(ExecuteCommandCommand)[0].args[0].input).toEqual({
      cluster: NAME,
      task: TASK_ARN,
      container: 'hello-world',
      command: '/bin/sh',
      interactive: true,
    });
    expect(runs).toHaveLength(1);
    expect(runs[0].file).toBe(PLUGIN);
    expect(runs[0].args).toEqual([
      JSON.stringify(executeCommandAnswer().session),
      'eu-west-1',
      'StartSession',
      'dev',
      JSON.stringify({ Target: `ecs:${NAME}_${TASK_ID}_${TASK_ID}-1234567890` }),
      'https://ecs.eu-west-1.amazonaws.com',
    ]);
    expect(h.err).toEqual([
      `/bin/sh in container hello-world of task ${TASK_ID} (default); the session ends when it exits`,
    ]);
    // The session token goes to the plugin only.
    expect([...h.out, ...h.err].join('\n')).not.toContain(
      executeCommandAnswer().session?.tokenValue,
    );
  });

  it('GIVEN --command, --task and --container THEN asks for exactly that', async () => {
    const h = harness();
    expect(
      await runOps(
        [
          'exec',
          '--task',
          TASK_ID.slice(0, 8),
          '--command',
          'ls -la /app',
          '--container',
          'hello-world',
        ],
        h.deps,
      ),
    ).toBe(0);
    expect(aws.ecs.commandCalls(ExecuteCommandCommand)[0].args[0].input).toMatchObject({
      task: TASK_ARN,
      container: 'hello-world',
      command: 'ls -la /app',
    });
  });

  it('GIVEN ECS Exec off in a named environment THEN one line naming the setting, the deploy and the redeploy note, exit 2', async () => {
    aws.cfn
      .on(DescribeStacksCommand, { StackName: STAGING.deployment })
      .resolves({ Stacks: [stack({ StackName: STAGING.deployment })] });
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [service()] });
    const h = harness({ deployment: { project: 'infra', names: STAGING, port: 49000 } });
    expect(await runOps(['exec', '--env=staging'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'infra:exec: ECS Exec is off for staging: set "exec": true in apps/infra/cdk.json environments.staging, and redeploy (`npx nx run infra:deploy -- --env=staging`); running tasks get it only after the redeploy',
    ]);
    expect(h.runs).toEqual([]);
    expect(aws.ecs.commandCalls(ExecuteCommandCommand)).toHaveLength(0);
  });

  it('GIVEN ECS Exec off in the default environment THEN points at the context of cdk.json', async () => {
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [service()] });
    const h = harness();
    expect(await runOps(['exec'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'infra:exec: ECS Exec is off for default: set "exec": true in the context of apps/infra/cdk.json, or its environments.default, and redeploy (`npx nx run infra:deploy`); running tasks get it only after the redeploy',
    ]);
  });

  it('GIVEN session-manager-plugin is not on PATH THEN one line with the install page, exit 2, no session opened', async () => {
    const h = harness({ findExecutable: () => undefined });
    expect(await runOps(['exec'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      `infra:exec: session-manager-plugin is not on your PATH: ECS Exec sessions need it; install it (${PLUGIN_INSTALL_URL}) and retry`,
    ]);
    expect(aws.ecs.commandCalls(ExecuteCommandCommand)).toHaveLength(0);
  });

  it('GIVEN the agent is still PENDING THEN says to retry, exit 1', async () => {
    aws.ecs
      .on(DescribeTasksCommand, { tasks: [TASK_ARN] })
      .resolves({ tasks: [execTask({}, 'PENDING')] });
    const h = harness();
    expect(await runOps(['exec'], h.deps)).toBe(1);
    expect(h.err).toEqual([
      `infra:exec: the ECS Exec agent in container hello-world of task ${TASK_ID} is still starting (PENDING): retry in a few seconds`,
    ]);
  });

  it('GIVEN a task started before exec was on THEN says to redeploy, exit 2', async () => {
    aws.ecs
      .on(DescribeTasksCommand, { tasks: [TASK_ARN] })
      .resolves({ tasks: [execTask({ enableExecuteCommand: false })] });
    const h = harness();
    expect(await runOps(['exec'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      `infra:exec: task ${TASK_ID} was started before ECS Exec was turned on: new tasks get it, so run \`npx nx run infra:redeploy\` and retry`,
    ]);
  });

  it('GIVEN --task matching no running task THEN lists the running ids, exit 2', async () => {
    const h = harness();
    expect(await runOps(['exec', '--task', 'ffff0000'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      `infra:exec: no running task's id starts with ffff0000 (running: ${TASK_ID}): see the task ids with \`npx nx run infra:status\``,
    ]);
  });

  it('GIVEN no task running THEN points at doctor, exit 1', async () => {
    aws.ecs.on(ListTasksCommand, { desiredStatus: 'RUNNING' }).resolves({ taskArns: [] });
    const h = harness();
    expect(await runOps(['exec'], h.deps)).toBe(1);
    expect(h.err).toEqual([
      `infra:exec: no task of ${NAME} is running to open a session in: \`npx nx run infra:doctor\` finds why`,
    ]);
  });

  it('GIVEN ECS cannot reach the agent THEN names the task role permissions, exit 2', async () => {
    aws.ecs
      .on(ExecuteCommandCommand)
      .rejects(
        awsError(
          'TargetNotConnectedException',
          'The execute command failed due to an internal error. Try again later.',
        ),
      );
    const h = harness();
    expect(await runOps(['exec'], h.deps)).toBe(2);
    expect(h.err[0]).toMatch(
      /^infra:exec: ECS could not reach the ECS Exec agent of task \S+ \(TargetNotConnectedException\): the task role needs ssmmessages:CreateControlChannel/,
    );
    expect(h.runs).toEqual([]);
  });

  it('GIVEN ExecuteCommand is denied THEN names the action, exit 2', async () => {
    aws.ecs
      .on(ExecuteCommandCommand)
      .rejects(
        awsError(
          'AccessDeniedException',
          `User: arn:aws:iam::123456789012:user/dev is not authorized to perform: ecs:ExecuteCommand on resource: ${TASK_ARN} because no identity-based policy allows the ecs:ExecuteCommand action`,
        ),
      );
    const h = harness();
    expect(await runOps(['exec'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'infra:exec: access denied: your AWS identity may not call ecs:ExecuteCommand; add it to your IAM policy or use another --profile',
    ]);
  });
});
