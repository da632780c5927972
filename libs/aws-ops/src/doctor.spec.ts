import { DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import { DescribeStackEventsCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeNetworkInterfacesCommand } from '@aws-sdk/client-ec2';
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import {
  DoctorDeps,
  describeImageExists,
  diagnoseAfterFailure,
  diagnoseService,
  doctorDepsOf,
  isSetupFinding,
} from './doctor';
import {
  ERROR_LOGS_ALARM_REASON,
  INSUFFICIENT_DATA_REASON,
  MONITORING,
  TASKS_BELOW_DESIRED_ALARM_REASON,
  healthyAlarms,
  metricAlarm,
} from './testing/alarm-fixtures';
import { fakeClock } from './testing/fake-clock';
import {
  DOMAIN,
  aRecord,
  albStack,
  aliasRecord,
  dnsStack,
  hostedZone,
  ownerRecord,
  scalableTarget,
  targetHealth,
} from './testing/ingress-fixtures';
import { arrangeHealthyDeployment, mockAwsClients } from './testing/mock-aws';
import {
  EXEC_FORMAT_LOG,
  NAME,
  PUBLIC_IP,
  PULL_ERROR_NOT_FOUND,
  STOPPED_TASK_ARN,
  TAG,
  TASK_ARN,
  awsError,
  deployment,
  failedRolloutService,
  networkInterface,
  runningTask,
  service,
  stack,
  stackParameters,
  stackEvent,
  stackMissingError,
  stoppedTask,
} from './testing/fixtures';

const aws = mockAwsClients();
const { cfn: cfnMock, ecs: ecsMock, ec2: ec2Mock, ecr: ecrMock, logs: logsMock } = aws;
const options = { region: 'eu-west-1', stackName: NAME, registryStackName: `${NAME}-registry` };

function deps(overrides: Partial<DoctorDeps> = {}): DoctorDeps {
  const { cfn, ecs, ec2, ecr, logs } = aws.clients();
  return {
    cfn,
    ecs,
    ec2,
    logs,
    imageExists: describeImageExists(ecr),
    callerIp: async () => '203.0.113.7',
    probe: async () => ({ ok: true, status: 200 }),
    clock: fakeClock(Date.parse('2026-11-25T18:10:00Z')),
    ...overrides,
  };
}

beforeEach(() => arrangeHealthyDeployment(aws));

const codes = async (d = deps()) => (await diagnoseService(d, options)).findings.map((f) => f.code);

describe('diagnoseService', () => {
  it('GIVEN a healthy deployment THEN finds nothing and lists what passed, with the URL', async () => {
    const diagnosis = await diagnoseService(deps(), options);
    expect(diagnosis.findings).toEqual([]);
    expect(diagnosis.url).toBe(`http://${PUBLIC_IP}:49000`);
    expect(diagnosis.passed).toEqual(
      expect.arrayContaining([`image ${NAME}:${TAG} exists`, `http://${PUBLIC_IP}:49000 answers`]),
    );
  });

  it('GIVEN the service stack is missing THEN says which command deploys it and stops there', async () => {
    cfnMock.on(DescribeStacksCommand, { StackName: NAME }).rejects(stackMissingError());
    const { findings } = await diagnoseService(deps(), options);
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'service-stack-missing',
        fix: expect.stringContaining('npx nx run infra:deploy'),
      }),
    ]);
    expect(ecsMock.calls()).toHaveLength(0);
  });

  it('GIVEN a stack stuck in ROLLBACK_COMPLETE THEN names the resource that failed', async () => {
    cfnMock
      .on(DescribeStacksCommand, { StackName: NAME })
      .resolves({ Stacks: [stack({ StackStatus: 'ROLLBACK_COMPLETE' })] });
    cfnMock.on(DescribeStackEventsCommand).resolves({
      StackEvents: [
        stackEvent({
          LogicalResourceId: 'Service',
          ResourceType: 'AWS::ECS::Service',
          ResourceStatus: 'CREATE_FAILED',
          ResourceStatusReason: 'Resource handler returned message: "Invalid request"',
        }),
        stackEvent({
          LogicalResourceId: NAME,
          ResourceType: 'AWS::CloudFormation::Stack',
          ResourceStatus: 'CREATE_IN_PROGRESS',
          ResourceStatusReason: 'User Initiated',
        }),
      ],
    });
    const { findings } = await diagnoseService(deps(), options);
    expect(findings[0]).toMatchObject({
      code: 'service-stack-failed',
      evidence: [expect.stringContaining('Service (AWS::ECS::Service) CREATE_FAILED')],
      fix: expect.stringContaining('infra:destroy'),
    });
  });

  it('GIVEN the ImageTag is not in ECR THEN reports image-missing', async () => {
    ecrMock
      .on(DescribeImagesCommand)
      .rejects(
        awsError(
          'ImageNotFoundException',
          `The image with imageId {imageDigest:'null', imageTag:'${TAG}'} does not exist within the repository`,
        ),
      );
    expect(await codes()).toEqual(['image-missing']);
  });

  it("GIVEN another service's ImageTag is not in ECR THEN the fix pushes with that service's docker-push", async () => {
    ecrMock
      .on(DescribeImagesCommand)
      .rejects(awsError('ImageNotFoundException', `no image ${TAG} in the repository`));
    const { findings } = await diagnoseService(deps(), { ...options, service: 'greeter' });
    expect(findings.map((f) => f.fix)).toEqual([
      'push it with `npx nx run greeter:docker-push`, then `npx nx run infra:deploy`',
    ]);
  });

  it('GIVEN a task stopped with CannotPullContainerError THEN reports the pull failure and no running task', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service({ runningCount: 0 })] });
    ecsMock.on(ListTasksCommand, { desiredStatus: 'RUNNING' }).resolves({ taskArns: [] });
    ecsMock
      .on(ListTasksCommand, { desiredStatus: 'STOPPED' })
      .resolves({ taskArns: [STOPPED_TASK_ARN] });
    ecsMock.on(DescribeTasksCommand, { tasks: [STOPPED_TASK_ARN] }).resolves({
      tasks: [
        stoppedTask(
          PULL_ERROR_NOT_FOUND,
          { reason: 'CannotPullContainerError' },
          { stopCode: 'TaskFailedToStart', startedAt: undefined },
        ),
      ],
    });
    expect(await codes()).toEqual(['image-pull-failed', 'no-running-task']);
    // A task that never started has no log stream to read.
    expect(logsMock.calls()).toHaveLength(0);
  });

  it('GIVEN no task running and no stopped task yet (a rollout that timed out) THEN no-running-task does not point at other findings', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [service({ runningCount: 0, pendingCount: 1, events: [] })],
    });
    ecsMock.on(ListTasksCommand, { desiredStatus: 'RUNNING' }).resolves({ taskArns: [] });
    const { findings } = await diagnoseService(deps(), options);
    expect(findings.map((f) => f.code)).toEqual(['no-running-task']);
    expect(findings[0]?.fix).toBe(
      'no stopped task says why yet: `npx nx run infra:status` shows the service events, `npx nx run infra:logs` the container output',
    );
  });

  it('GIVEN a circuit-breaker rollback after exec format errors THEN names the architecture and the failed deployment', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [failedRolloutService()] });
    ecsMock
      .on(ListTasksCommand, { desiredStatus: 'STOPPED' })
      .resolves({ taskArns: [STOPPED_TASK_ARN] });
    ecsMock.on(DescribeTasksCommand, { tasks: [STOPPED_TASK_ARN] }).resolves({
      tasks: [stoppedTask('Essential container in task exited', { exitCode: 255 })],
    });
    logsMock
      .on(GetLogEventsCommand)
      .resolves({ events: [{ timestamp: 1, message: EXEC_FORMAT_LOG }] });
    const { findings } = await diagnoseService(deps(), options);
    expect(findings.map((f) => f.code)).toEqual(['cpu-architecture-mismatch', 'deployment-failed']);
    expect(findings[0].fix).toContain('linux/amd64');
    expect(findings[1].evidence[0]).toContain(
      'ECS deployment circuit breaker: tasks failed to start.',
    );
  });

  it("GIVEN another deployment's stacks without outputs THEN reads its own names, stream and port", async () => {
    // GIVEN greeter's stacks (no outputs yet) and a stopped greeter task
    const greeter = 'greeter-ecr-ecs-fargate';
    cfnMock
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [stack({ StackName: greeter, Outputs: [] })] });
    ecsMock
      .on(ListTasksCommand, { desiredStatus: 'STOPPED' })
      .resolves({ taskArns: [STOPPED_TASK_ARN] });
    const stopped = stoppedTask('Essential container in task exited', { exitCode: 1 });
    ecsMock.on(DescribeTasksCommand, { tasks: [STOPPED_TASK_ARN] }).resolves({
      tasks: [{ ...stopped, containers: [{ ...stopped.containers?.[0], name: 'greeter' }] }],
    });
    logsMock.on(GetLogEventsCommand).resolves({ events: [] });
    ecrMock
      .on(DescribeImagesCommand, { repositoryName: greeter })
      .resolves({ imageDetails: [{ imageDigest: `sha256:${'a'.repeat(64)}` }] });
    // WHEN diagnosed with its stack names and port
    const diagnosis = await diagnoseService(deps(), {
      region: 'eu-west-1',
      stackName: greeter,
      registryStackName: `${greeter}-registry`,
      port: 49010,
    });
    // THEN the cluster, log group, stream and URL are greeter's, none hello-world's
    expect({
      cluster: ecsMock.commandCalls(DescribeServicesCommand)[0].args[0].input.cluster,
      logs: logsMock
        .commandCalls(GetLogEventsCommand)
        .map(({ args: [{ input }] }) => [input.logGroupName, input.logStreamName?.split('/')[1]]),
      url: diagnosis.url,
      image: diagnosis.passed.find((line) => line.startsWith('image ')),
    }).toEqual({
      cluster: greeter,
      logs: [[`/ecs/${greeter}`, 'greeter']],
      url: `http://${PUBLIC_IP}:49010`,
      image: `image ${greeter}:${TAG} exists`,
    });
  });

  it('GIVEN a rollout in progress for 20 minutes THEN reports the service not stabilising with its events', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        service({
          deployments: [
            deployment({
              rolloutState: 'IN_PROGRESS',
              runningCount: 0,
              pendingCount: 1,
              createdAt: new Date('2026-11-25T17:50:00Z'),
            }),
          ],
        }),
      ],
    });
    const { findings } = await diagnoseService(deps(), options);
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'service-not-stabilising',
        what: expect.stringContaining('20 minutes'),
        evidence: expect.arrayContaining([`event: (service ${NAME}) has reached a steady state.`]),
        fix: expect.stringMatching(/^the service events above say what blocks it/),
      }),
    ]);
  });

  it('GIVEN a running task without a public IP THEN reports it with the service setting', async () => {
    ec2Mock.on(DescribeNetworkInterfacesCommand).resolves(networkInterface(null));
    const { findings } = await diagnoseService(deps(), options);
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'no-public-ip',
        evidence: expect.arrayContaining(['service assignPublicIp: ENABLED']),
      }),
    ]);
  });

  it('GIVEN your IP is outside AllowedIP and the URL does not answer THEN warns about both, naming your IP', async () => {
    cfnMock.on(DescribeStacksCommand, { StackName: NAME }).resolves({
      Stacks: [stack({ Parameters: stackParameters({ allowedIp: '198.51.100.0/24' }) })],
    });
    const d = deps({ probe: async () => ({ ok: false, error: 'UND_ERR_CONNECT_TIMEOUT' }) });
    const { findings } = await diagnoseService(d, options);
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'caller-ip-not-allowed',
        severity: 'warning',
        what: 'your public IP 203.0.113.7 is outside AllowedIP 198.51.100.0/24',
        fix: expect.stringContaining('203.0.113.7/32'),
      }),
      expect.objectContaining({ code: 'url-not-answering', severity: 'warning' }),
    ]);
  });

  it('GIVEN a deployed AllowedIP 8.8.8.8/0 (host bits set) THEN warns that it admits the whole internet', async () => {
    cfnMock.on(DescribeStacksCommand, { StackName: NAME }).resolves({
      Stacks: [stack({ Parameters: stackParameters({ allowedIp: '8.8.8.8/0' }) })],
    });
    const { findings } = await diagnoseService(deps(), options);
    expect(findings).toEqual([
      {
        severity: 'warning',
        code: 'allowed-ip-host-bits',
        what: 'AllowedIP 8.8.8.8/0 has host bits set: the security group admits all of 0.0.0.0/0, the whole internet',
        evidence: ["EC2 drops a rule's host bits: 8.8.8.8/0 is stored as 0.0.0.0/0"],
        fix: 'deploy the block you mean: `npx nx run infra:deploy --allowed-ip=8.8.8.8/32` for that one address, or --allowed-ip=0.0.0.0/0',
      },
    ]);
  });

  it("GIVEN the URL does not answer from an allowed IP THEN it is an error naming the stack's AllowedIP", async () => {
    cfnMock.on(DescribeStacksCommand, { StackName: NAME }).resolves({
      Stacks: [stack({ Parameters: stackParameters({ allowedIp: '203.0.113.0/24' }) })],
    });
    const d = deps({ probe: async () => ({ ok: false, status: 503 }) });
    const { findings } = await diagnoseService(d, options);
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'url-not-answering',
        severity: 'error',
        evidence: ['HTTP 503', "the stack's AllowedIP is 203.0.113.0/24"],
        fix: expect.stringContaining('that AllowedIP 203.0.113.0/24 admits you'),
      }),
    ]);
  });

  it('GIVEN your public IP cannot be found THEN says the AllowedIP check was skipped, as info', async () => {
    cfnMock.on(DescribeStacksCommand, { StackName: NAME }).resolves({
      Stacks: [stack({ Parameters: stackParameters({ allowedIp: '198.51.100.0/24' }) })],
    });
    const { findings } = await diagnoseService(deps({ callerIp: async () => undefined }), options);
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'info',
        code: 'caller-ip-unknown',
        what: 'could not find your public IP (checkip.amazonaws.com did not answer): AllowedIP 198.51.100.0/24 not checked',
      }),
    ]);
  });

  it('GIVEN your public IP cannot be found but AllowedIP is 0.0.0.0/0 THEN nothing was skipped', async () => {
    expect(await codes(deps({ callerIp: async () => undefined }))).toEqual([]);
  });

  it('GIVEN stuckAfterMs 0 (a redeploy that timed out) THEN a rollout of 45 s is reported', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        service({
          deployments: [
            deployment({
              rolloutState: 'IN_PROGRESS',
              runningCount: 0,
              pendingCount: 1,
              createdAt: new Date('2026-11-25T18:09:15Z'),
            }),
          ],
        }),
      ],
    });
    const { findings } = await diagnoseService(deps(), { ...options, stuckAfterMs: 0 });
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'service-not-stabilising',
        what: 'deployment ecs-svc/1234567890123456789 has been rolling out for 45 s',
      }),
    ]);
  });

  it('GIVEN a stuck rollout and no service event THEN the fix does not point at events', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        service({
          events: [],
          deployments: [deployment({ rolloutState: 'IN_PROGRESS', runningCount: 1 })],
        }),
      ],
    });
    const { findings } = await diagnoseService(deps(), { ...options, stuckAfterMs: 0 });
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'service-not-stabilising',
        evidence: ['1/1 running, 0 pending, 0 failed'],
        fix: 'ECS reported no service event about it yet: watch it with `npx nx run infra:status` and `npx nx run infra:logs -- --follow`',
      }),
    ]);
  });

  it('GIVEN a task reported UNHEALTHY THEN reports the failing health check', async () => {
    ecsMock
      .on(DescribeTasksCommand, { tasks: [TASK_ARN] })
      .resolves({ tasks: [runningTask({ healthStatus: 'UNHEALTHY' })] });
    expect(await codes()).toEqual(['task-unhealthy']);
  });
});

describe("diagnoseService for another deployment's project (greeter-infra, service greeter)", () => {
  const greeter = { ...options, service: 'greeter', project: 'greeter-infra', port: 49010 };

  it('GIVEN its ImageTag is not in ECR THEN the fix pushes with greeter:docker-push and deploys with greeter-infra:deploy', async () => {
    ecrMock
      .on(DescribeImagesCommand)
      .rejects(awsError('ImageNotFoundException', `no image ${TAG} in the repository`));
    const { findings } = await diagnoseService(deps(), greeter);
    expect(findings.map((f) => f.fix)).toEqual([
      'push it with `npx nx run greeter:docker-push`, then `npx nx run greeter-infra:deploy`',
    ]);
  });

  it('GIVEN the rollout failed and no task runs THEN every fix names greeter-infra, none infra', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [{ ...failedRolloutService(), runningCount: 0 }],
    });
    cfnMock
      .on(DescribeStacksCommand, { StackName: NAME })
      .resolves({ Stacks: [stack({ StackStatus: 'ROLLBACK_COMPLETE' })] });
    cfnMock.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
    const { findings } = await diagnoseService(deps(), greeter);
    const fixes = findings.map((f) => f.fix).join('\n');
    expect(fixes).toContain('`npx nx run greeter-infra:destroy`');
    expect(fixes).toContain('`npx nx run greeter-infra:logs`');
    expect(fixes).not.toMatch(/(^|[^-])infra:/m);
  });

  it('GIVEN the URL does not answer THEN the fix reads greeter-infra:logs, on port 49010', async () => {
    const diagnosis = await diagnoseService(
      deps({ probe: async () => ({ ok: false, error: 'ECONNREFUSED' }) }),
      greeter,
    );
    expect(diagnosis.url).toBe(`http://${PUBLIC_IP}:49010`);
    expect(diagnosis.findings).toContainEqual(
      expect.objectContaining({
        code: 'url-not-answering',
        fix: 'check the task is healthy and the security group admits you; `npx nx run greeter-infra:logs` shows the container output',
      }),
    );
  });
});

describe('isSetupFinding', () => {
  it.each(['service-stack-missing', 'registry-stack-missing', 'service-missing'])(
    'GIVEN %s THEN it is the caller setup (exit 2)',
    (code) => expect(isSetupFinding({ code })).toBe(true),
  );

  it('GIVEN a failed rollout THEN it is not setup', () => {
    expect(isSetupFinding({ code: 'deployment-failed' })).toBe(false);
  });
});

describe('diagnoseAfterFailure', () => {
  it("GIVEN an operation's clients THEN the doctor built from them finds a healthy deployment healthy", async () => {
    const diagnosis = await diagnoseAfterFailure(
      doctorDepsOf(aws.clients(), {
        callerIp: async () => '203.0.113.7',
        probe: async () => ({ ok: true, status: 200 }),
        clock: fakeClock(Date.parse('2026-11-25T18:10:00Z')),
      }),
      options,
    );
    expect(diagnosis?.findings).toEqual([]);
  });

  it('GIVEN the doctor itself cannot look (the connection drops) THEN undefined, never a second failure', async () => {
    // GIVEN CloudFormation's connection fails under the doctor
    cfnMock
      .on(DescribeStacksCommand)
      .rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    // WHEN diagnosing after a failed deploy
    await expect(diagnoseService(deps(), options)).rejects.toThrow('socket hang up');
    // THEN the failure being diagnosed is what the caller reports
    await expect(diagnoseAfterFailure(deps(), options)).resolves.toBeUndefined();
  });
});

describe("diagnoseService and the environment's alarms", () => {
  const withAlarms = { ...options, alarms: MONITORING };
  const alarmDeps = () => deps({ cloudwatch: aws.clients().cloudwatch });

  it('GIVEN every alarm OK THEN finds nothing and says the alarms passed', async () => {
    const diagnosis = await diagnoseService(alarmDeps(), withAlarms);

    expect(diagnosis.findings).toEqual([]);
    expect(diagnosis.passed).toContain('alarms: none in ALARM (5 OK)');
  });

  it('GIVEN the error-logs alarm in ALARM THEN a warning with its reason and how to read the lines', async () => {
    aws.cloudwatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: healthyAlarms().map((a) =>
        a.AlarmName === MONITORING.alarms.errorLogs
          ? metricAlarm(MONITORING.alarms.errorLogs, {
              StateValue: 'ALARM',
              StateReason: ERROR_LOGS_ALARM_REASON,
            })
          : a,
      ),
    });

    const { findings } = await diagnoseService(alarmDeps(), withAlarms);

    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'alarm-error-logs',
        evidence: [`alarm: ${ERROR_LOGS_ALARM_REASON}`],
        fix: expect.stringContaining("--filter '{ $.level >= 50 }'"),
      }),
    ]);
  });

  it('GIVEN tasks below desired in ALARM THEN an error finding, after what the service itself shows', async () => {
    aws.cloudwatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        metricAlarm(MONITORING.alarms.tasksBelowDesired, {
          StateValue: 'ALARM',
          StateReason: TASKS_BELOW_DESIRED_ALARM_REASON,
        }),
        metricAlarm(MONITORING.alarms.errorLogs, {
          StateValue: 'INSUFFICIENT_DATA',
          StateReason: INSUFFICIENT_DATA_REASON,
        }),
      ],
    });

    const { findings } = await diagnoseService(alarmDeps(), withAlarms);

    expect(findings.map((f) => [f.severity, f.code])).toEqual([
      ['error', 'alarm-tasks-below-desired'],
    ]);
    expect(findings[0].fix).toContain(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/hello-world-ecr-ecs-fargate',
    );
  });

  it('GIVEN DescribeAlarms is denied THEN doctor goes on and says, as info, that alarms were not read', async () => {
    aws.cloudwatch
      .on(DescribeAlarmsCommand)
      .rejects(
        awsError(
          'AccessDenied',
          'User: arn:aws:sts::123456789012:assumed-role/dev/me is not authorized to perform: cloudwatch:DescribeAlarms on resource: arn:aws:cloudwatch:eu-west-1:123456789012:alarm:hello-world-ecr-ecs-fargate-cpu-high',
        ),
      );

    const diagnosis = await diagnoseService(alarmDeps(), withAlarms);

    expect(diagnosis.findings).toEqual([
      expect.objectContaining({ severity: 'info', code: 'alarms-unreadable' }),
    ]);
    expect(diagnosis.url).toBe(`http://${PUBLIC_IP}:49000`);
  });

  it('GIVEN a stack deployed before alarms existed THEN says to redeploy, as info', async () => {
    aws.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });

    const { findings } = await diagnoseService(alarmDeps(), withAlarms);

    expect(findings).toEqual([
      expect.objectContaining({ severity: 'info', code: 'alarms-missing' }),
    ]);
  });

  it("GIVEN an operation's clients THEN doctorDepsOf passes the CloudWatch client along", async () => {
    const built = doctorDepsOf(aws.clients(), {
      callerIp: async () => '203.0.113.7',
      probe: async () => ({ ok: true, status: 200 }),
    });

    const diagnosis = await diagnoseService(built, withAlarms);

    expect(diagnosis.alarms).toEqual(expect.objectContaining({ readable: true }));
  });

  it('GIVEN no alarm names THEN alarms are not checked at all', async () => {
    await diagnoseService(alarmDeps(), options);

    expect(aws.cloudwatch.commandCalls(DescribeAlarmsCommand)).toHaveLength(0);
  });
});

describe('diagnoseService of a dns or alb stack', () => {
  const withIngress = () => {
    const { route53, elbv2, autoScaling } = aws.clients();
    return deps({ ingress: { route53, elbv2, autoScaling } });
  };
  const probed: string[] = [];
  const probing = () =>
    deps({
      ...withIngress(),
      probe: async (url) => {
        probed.push(url);
        return { ok: true, status: 200 };
      },
    });

  beforeEach(() => {
    probed.length = 0;
    aws.route53.on(ListResourceRecordSetsCommand).callsFake(hostedZone([aliasRecord()]));
    aws.elbv2.on(DescribeTargetHealthCommand).resolves({
      TargetHealthDescriptions: [targetHealth('10.0.1.23', 'healthy')],
    });
    aws.autoScaling
      .on(DescribeScalableTargetsCommand)
      .resolves({ ScalableTargets: [scalableTarget()] });
  });

  it('GIVEN a dns stack THEN its record name is the URL probed, not the task IP', async () => {
    aws.cfn.on(DescribeStacksCommand, { StackName: NAME }).resolves({ Stacks: [dnsStack()] });
    aws.route53
      .on(ListResourceRecordSetsCommand)
      .callsFake(hostedZone([aRecord([PUBLIC_IP]), ownerRecord()]));
    const diagnosis = await diagnoseService(probing(), options);
    expect(probed).toEqual([`http://${DOMAIN}:49000/`]);
    expect(diagnosis.url).toBe(`http://${DOMAIN}:49000/`);
    expect(diagnosis.findings).toEqual([]);
  });

  it('GIVEN a dns record still holding the previous task IP THEN a stale-record error', async () => {
    aws.cfn.on(DescribeStacksCommand, { StackName: NAME }).resolves({ Stacks: [dnsStack()] });
    aws.route53
      .on(ListResourceRecordSetsCommand)
      .callsFake(hostedZone([aRecord(['34.240.1.2']), ownerRecord()]));
    expect(await codes(withIngress())).toEqual(['dns-record-stale']);
  });

  it('GIVEN an alb stack with a target failing its health check THEN a finding with its reason', async () => {
    aws.cfn.on(DescribeStacksCommand, { StackName: NAME }).resolves({ Stacks: [albStack()] });
    aws.elbv2.on(DescribeTargetHealthCommand).resolves({
      TargetHealthDescriptions: [
        targetHealth('10.0.1.23', 'unhealthy', 'Target.Timeout', 'Request timed out'),
      ],
    });
    const diagnosis = await diagnoseService(withIngress(), options);
    expect(diagnosis.findings).toEqual([
      expect.objectContaining({
        code: 'alb-target-unhealthy',
        evidence: ['Target.Timeout: Request timed out', 'availability zone eu-west-1a'],
      }),
    ]);
  });

  it('GIVEN an alb stack THEN the HTTPS name is probed, and its targets and alias pass', async () => {
    aws.cfn.on(DescribeStacksCommand, { StackName: NAME }).resolves({ Stacks: [albStack()] });
    const diagnosis = await diagnoseService(probing(), options);
    expect(probed).toEqual([`https://${DOMAIN}/`]);
    expect(diagnosis.passed).toEqual(
      expect.arrayContaining([
        'load balancer targets: 1 of 1 healthy',
        `${DOMAIN} is an alias to the load balancer`,
      ]),
    );
  });

  it('GIVEN a public-ip stack THEN no Route 53, load balancer or scaling call', async () => {
    await diagnoseService(withIngress(), options);
    expect([...aws.route53.calls(), ...aws.elbv2.calls(), ...aws.autoScaling.calls()]).toEqual([]);
  });
});
