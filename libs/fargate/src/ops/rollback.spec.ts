import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type DescribeChangeSetOutput,
} from '@aws-sdk/client-cloudformation';
import { DescribeImagesCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, ListServiceDeploymentsCommand } from '@aws-sdk/client-ecs';
import {
  ACCOUNT,
  NAME,
  PUBLIC_IP,
  REGION,
  REPOSITORY_URI,
  TAG,
  arrangeHealthyDeployment,
  arrangeReleaseHistory,
  awsError,
  deployment,
  digestOf,
  dnsStack,
  DOMAIN,
  mockAwsClients,
  releaseFixture,
  service,
  stack,
  stackEvent,
} from '@hello-world/aws-ops/testing';
import { parseOpsArgs } from './args';
import {
  changeSetNameFor,
  rollbackCommand,
  unsettledStackMessage,
  type RollbackReceipt,
} from './rollback';
import { opsHarness, type OpsHarness } from './ops-harness-for-test';
import { runOps } from './run';

const aws = mockAwsClients();
const STACK_ID = stack().StackId as string;
const PREVIOUS_TAG = 'sha-0f1e2d3-ecr-ecs-fargate';
const PREVIOUS = releaseFixture({ n: 6, tag: PREVIOUS_TAG });
const CURRENT = releaseFixture({ n: 7, tag: TAG });
const NEW_DEPLOYMENT_ID = 'ecs-svc/5555555555555555555';
const NEW_TASK_DEF = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/hello-world:8`;
const URL = `http://${PUBLIC_IP}:49000`;
const CHANGES: DescribeChangeSetOutput['Changes'] = [
  {
    Type: 'Resource',
    ResourceChange: {
      Action: 'Modify',
      LogicalResourceId: 'TaskDefinitionB36D86D9',
      ResourceType: 'AWS::ECS::TaskDefinition',
      Replacement: 'True',
    },
  },
  {
    Type: 'Resource',
    ResourceChange: {
      Action: 'Modify',
      LogicalResourceId: 'ServiceD69D759B',
      ResourceType: 'AWS::ECS::Service',
      Replacement: 'False',
    },
  },
];

function harness(): OpsHarness {
  return opsHarness(aws.clients());
}

function changeSetAnswers(...answers: Partial<DescribeChangeSetOutput>[]): void {
  let call = 0;
  aws.cfn.on(DescribeChangeSetCommand).callsFake(() => ({
    ChangeSetName: 'rollback',
    StackId: STACK_ID,
    StackName: NAME,
    ...answers[Math.min(call++, answers.length - 1)],
  }));
}

/** DescribeStacks by the stack's id (the waiter's) answers each status in turn. */
function stackUpdate(...statuses: string[]): void {
  let call = 0;
  aws.cfn.on(DescribeStacksCommand, { StackName: STACK_ID }).callsFake(() => ({
    Stacks: [
      stack({
        StackStatus: statuses[Math.min(call++, statuses.length - 1)] as never,
        LastUpdatedTime: new Date('2026-11-25T18:10:05Z'),
      }),
    ],
  }));
}

/** What ECS answers once the stack has updated the service: the rollback's deployment. */
function afterUpdate(
  rolledBack = deployment({ id: NEW_DEPLOYMENT_ID, taskDefinition: NEW_TASK_DEF }),
) {
  let call = 0;
  const before = service({
    taskDefinition: CURRENT.revision.taskDefinition,
    currentServiceRevisions: [{ arn: CURRENT.revision.serviceRevisionArn, runningTaskCount: 1 }],
  });
  const after = service({ taskDefinition: NEW_TASK_DEF, deployments: [rolledBack] });
  aws.ecs
    .on(DescribeServicesCommand)
    .callsFake(() => ({ services: [call++ === 0 ? before : after] }));
}

function registryHas(tag: string, digest: string): void {
  aws.ecr
    .on(DescribeImagesCommand, { repositoryName: NAME, imageIds: [{ imageTag: tag }] })
    .resolves({
      imageDetails: [
        {
          registryId: ACCOUNT,
          repositoryName: NAME,
          imageDigest: digest,
          imageTags: [tag],
          imageSizeInBytes: 52_428_800,
          imagePushedAt: new Date('2026-11-20T09:00:00Z'),
          imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        },
      ],
    });
}

beforeEach(() => {
  arrangeHealthyDeployment(aws);
  arrangeReleaseHistory(aws, [PREVIOUS, CURRENT], CURRENT);
  afterUpdate();
  aws.ecr
    .on(DescribeImagesCommand)
    .rejects(
      awsError(
        'ImageNotFoundException',
        "The image with imageId {imageDigest:'null', imageTag:'v9.9.9'} does not exist within the repository with name 'hello-world-ecr-ecs-fargate' in the registry with id '123456789012'",
      ),
    );
  registryHas(PREVIOUS_TAG, digestOf(6));
  registryHas(TAG, digestOf(7));
  aws.cfn.on(CreateChangeSetCommand).resolves({
    Id: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:changeSet/rollback/0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f`,
    StackId: STACK_ID,
  });
  changeSetAnswers({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE', Changes: CHANGES });
  aws.cfn.on(ExecuteChangeSetCommand).resolves({});
  aws.cfn.on(DeleteChangeSetCommand).resolves({});
  aws.cfn.on(DescribeStackEventsCommand).resolves({ StackEvents: [] });
  stackUpdate('UPDATE_COMPLETE');
});

describe('rollback to the previous image', () => {
  it('GIVEN two releases THEN updates the stack with the previous tag and prints from → to, exit 0', async () => {
    const h = harness();
    expect(await runOps(['rollback'], h.deps)).toBe(0);
    const receipt = h.out.join('\n');
    expect(receipt).toContain(`Rolled back ${NAME} in ${REGION}`);
    expect(receipt).toContain(`  URL              ${URL} (answers from here)`);
    expect(receipt).toContain(`  from             ${REPOSITORY_URI}:${TAG} (${digestOf(7)})`);
    expect(receipt).toContain(
      `  to               ${REPOSITORY_URI}:${PREVIOUS_TAG} (${digestOf(6)}), the previous image that served, until ${PREVIOUS.brief.finishedAt?.toISOString()}`,
    );
    expect(receipt).toContain('  task definition  hello-world:8');
    expect(receipt).toContain(`  deployment       ${NEW_DEPLOYMENT_ID}`);
    expect(receipt).toMatch(
      / {2}phases {11}target \d+s .*, change-set .*, stack .*, rollout .*, url/,
    );
    expect(aws.cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input).toMatchObject({
      StackName: NAME,
      UsePreviousTemplate: true,
      Parameters: [
        { ParameterKey: 'ImageTag', ParameterValue: PREVIOUS_TAG },
        { ParameterKey: 'AllowedIP', UsePreviousValue: true },
      ],
    });
    expect(aws.cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(1);
  });

  it("GIVEN a dns stack THEN the receipt's URL is the record's name", async () => {
    aws.cfn.on(DescribeStacksCommand, { StackName: NAME }).resolves({ Stacks: [dnsStack()] });
    const h = harness();
    expect(await runOps(['rollback'], h.deps)).toBe(0);
    expect(h.out.join('\n')).toContain(
      `  URL              http://${DOMAIN}:49000/ (answers from here)`,
    );
  });

  it('GIVEN the rollback succeeded THEN the deployed marker moves onto the rolled-back digest', async () => {
    const h = harness();
    expect(await runOps(['rollback'], h.deps)).toBe(0);
    expect(aws.ecr.commandCalls(PutImageCommand)[0]?.args[0].input).toMatchObject({
      repositoryName: NAME,
      imageTag: `deployed-${NAME}`,
      imageDigest: digestOf(6),
    });
    expect(h.out.join('\n')).toContain(`  marker tag       deployed-${NAME}`);
  });

  it('GIVEN the rollback runs THEN progress goes to stderr: phases and planned changes', async () => {
    const h = harness();
    await runOps(['rollback'], h.deps);
    expect(h.err).toEqual(
      expect.arrayContaining([
        '==> target',
        '==> change-set',
        '  Modify TaskDefinitionB36D86D9 (AWS::ECS::TaskDefinition), replaced',
        '  Modify ServiceD69D759B (AWS::ECS::Service)',
        '==> stack',
        '==> rollout',
        '==> url',
      ]),
    );
  });

  it('GIVEN only one release in the history THEN says so and suggests --to with how to list tags, exit 2', async () => {
    arrangeReleaseHistory(aws, [CURRENT], CURRENT);
    const h = harness();
    expect(await runOps(['rollback'], h.deps)).toBe(2);
    expect(h.err.at(-1)).toBe(
      `infra:rollback: nothing to roll back to: none of the 1 successful deployment(s) in ECS's history of ${NAME} ran another image than the one running now; pass --to=TAG, list its tags with \`aws ecr describe-images --repository-name ${NAME} --region ${REGION} --query 'reverse(sort_by(imageDetails,&imagePushedAt))[].[imageTags[0],imagePushedAt]' --output text\``,
    );
    expect(aws.cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });

  it('GIVEN the previous image expired from the registry THEN says so and suggests --to, exit 2', async () => {
    aws.ecr
      .on(DescribeImagesCommand, { repositoryName: NAME, imageIds: [{ imageTag: PREVIOUS_TAG }] })
      .rejects(awsError('ImageNotFoundException', 'The image does not exist'));
    const h = harness();
    expect(await runOps(['rollback'], h.deps)).toBe(2);
    expect(h.err.at(-1)).toMatch(
      new RegExp(
        `^infra:rollback: the previous image ${PREVIOUS_TAG} \\(served until .*\\) is no longer in ${REPOSITORY_URI}, e\\.g\\. expired by its lifecycle policy: pass --to=TAG, list its tags with`,
      ),
    );
    expect(aws.cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });

  it('GIVEN the previous tag now names another digest THEN refuses to deploy it silently, exit 2', async () => {
    registryHas(PREVIOUS_TAG, digestOf(9));
    const h = harness();
    expect(await runOps(['rollback'], h.deps)).toBe(2);
    expect(h.err.at(-1)).toContain(
      `infra:rollback: tag ${PREVIOUS_TAG} now names ${digestOf(9)} in ${REPOSITORY_URI}, not the ${digestOf(6)} that served: pass --to=${PREVIOUS_TAG}`,
    );
  });
});

describe('rollback --to', () => {
  it('GIVEN a tag in the registry THEN rolls back to it without reading the history, exit 0', async () => {
    const older = 'v1.4.0';
    registryHas(older, digestOf(3));
    const h = harness();
    expect(await runOps(['rollback', `--to=${older}`], h.deps)).toBe(0);
    expect(h.out.join('\n')).toContain(
      `  to               ${REPOSITORY_URI}:${older} (${digestOf(3)}), chosen with --to`,
    );
    expect(aws.cfn.commandCalls(CreateChangeSetCommand)[0]?.args[0].input.Parameters?.[0]).toEqual({
      ParameterKey: 'ImageTag',
      ParameterValue: older,
    });
    expect(aws.ecs.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(0);
  });

  it('GIVEN a tag not in the registry THEN one line with how to list tags, exit 2', async () => {
    const h = harness();
    expect(await runOps(['rollback', '--to', 'v9.9.9'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      '==> target',
      `infra:rollback: --to v9.9.9 is not a tag in ${REPOSITORY_URI}: list its tags with \`aws ecr describe-images --repository-name ${NAME} --region ${REGION} --query 'reverse(sort_by(imageDetails,&imagePushedAt))[].[imageTags[0],imagePushedAt]' --output text\``,
    ]);
    expect(aws.cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });

  it('GIVEN the tag the stack already runs THEN the empty change set is deleted and it says so, exit 0', async () => {
    changeSetAnswers({
      Status: 'FAILED',
      ExecutionStatus: 'UNAVAILABLE',
      StatusReason:
        "The submitted information didn't contain changes. Submit different information to create a change set.",
    });
    const h = harness();
    expect(await runOps(['rollback', `--to=${TAG}`], h.deps)).toBe(0);
    expect(h.out).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${NAME} already runs ${TAG}: nothing to roll back \\(change set rollback-${TAG}-\\d+ had no changes and was deleted\\)$`,
        ),
      ),
    ]);
    expect(aws.cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
    expect(aws.cfn.commandCalls(ExecuteChangeSetCommand)).toHaveLength(0);
  });

  it('GIVEN a --to that is no image tag THEN the usage error names the option, exit 2', async () => {
    const h = harness();
    expect(await runOps(['rollback', '--to=.latest'], h.deps)).toBe(2);
    expect(h.err).toEqual([
      'infra:rollback: invalid --to ".latest": use an image tag: 1-128 of A-Z a-z 0-9 _ . - not starting with . or -, e.g. sha-1a2b3c4-ecr-ecs-fargate',
    ]);
  });

  it('GIVEN --to on another command THEN it is refused before any AWS call', () => {
    expect(() => parseOpsArgs(['status', '--to', TAG], 0, {})).toThrow(/--to/);
    expect(parseOpsArgs(['rollback', '--to', TAG], 0, {})).toMatchObject({
      name: 'rollback',
      to: TAG,
      common: { timeoutMs: 20 * 60_000 },
    });
  });
});

describe('rollback refusals and failures', () => {
  it('GIVEN the stack is being updated THEN refuses and points at abort, exit 2', async () => {
    aws.cfn
      .on(DescribeStacksCommand, { StackName: NAME })
      .resolves({ Stacks: [stack({ StackStatus: 'UPDATE_IN_PROGRESS' })] });
    const h = harness();
    expect(await runOps(['rollback'], h.deps)).toBe(2);
    expect(h.err.at(-1)).toBe(
      `infra:rollback: stack ${NAME} is UPDATE_IN_PROGRESS (a deploy is under way): wait for it to finish, or stop it with \`npx nx run infra:abort\`, then roll back`,
    );
    expect(aws.cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  });

  it('GIVEN the stack update rolls back THEN names the failed resource with the diagnosis, exit 1', async () => {
    stackUpdate('UPDATE_ROLLBACK_COMPLETE');
    // Read by name before the update, and by the doctor after it rolled back.
    let reads = 0;
    aws.cfn.on(DescribeStacksCommand, { StackName: NAME }).callsFake(() => ({
      Stacks: [stack(reads++ === 0 ? {} : { StackStatus: 'UPDATE_ROLLBACK_COMPLETE' })],
    }));
    aws.cfn.on(DescribeStackEventsCommand).resolves({
      StackEvents: [
        stackEvent({
          LogicalResourceId: 'ServiceD69D759B',
          ResourceType: 'AWS::ECS::Service',
          ResourceStatus: 'UPDATE_FAILED',
          ResourceStatusReason:
            'Resource handler returned message: "Error occurred during operation \'ECS Deployment Circuit Breaker was triggered\'."',
        }),
        stackEvent({
          LogicalResourceId: NAME,
          ResourceType: 'AWS::CloudFormation::Stack',
          ResourceStatus: 'UPDATE_IN_PROGRESS',
          ResourceStatusReason: 'User Initiated',
        }),
      ],
    });
    const h = harness();
    expect(await runOps(['rollback'], h.deps)).toBe(1);
    const err = h.err.join('\n');
    expect(h.err.at(-1)).toBe(
      `infra:rollback: stack failed: updating stack ${NAME} failed, it is UPDATE_ROLLBACK_COMPLETE: ServiceD69D759B (AWS::ECS::Service): Resource handler returned message: "Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'."`,
    );
    // The doctor ran and saw the rolled-back stack.
    expect(err).toMatch(/UPDATE_ROLLBACK_COMPLETE[\s\S]*problem\(s\)/);
    expect(h.out).toEqual([]);
  });

  it('GIVEN the rollout fails THEN the failure carries the doctor diagnosis, exit 1', async () => {
    afterUpdate(
      deployment({
        id: NEW_DEPLOYMENT_ID,
        taskDefinition: NEW_TASK_DEF,
        runningCount: 0,
        failedTasks: 3,
        rolloutState: 'FAILED',
        rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
      }),
    );
    const h = harness();
    expect(await runOps(['rollback'], h.deps)).toBe(1);
    expect(h.err.at(-1)).toBe(
      'infra:rollback: rollout failed: the rollout failed: ECS deployment circuit breaker: tasks failed to start.; 3 task(s) failed',
    );
    const err = h.err.join('\n');
    expect(err).toContain('ERROR');
    expect(err).toMatch(/phases: target \d+s .*rollout \d+s failed/);
  });

  it('GIVEN --json THEN stdout is one JSON receipt with from, to, deployment and phases', async () => {
    const h = harness();
    expect(await runOps(['rollback', '--json'], h.deps)).toBe(0);
    const receipt = JSON.parse(h.out.join('\n')) as RollbackReceipt;
    expect(receipt).toMatchObject({
      outcome: 'rolled-back',
      stackName: NAME,
      from: { repository: REPOSITORY_URI, tag: TAG, digest: digestOf(7) },
      to: { repository: REPOSITORY_URI, tag: PREVIOUS_TAG, digest: digestOf(6) },
      chosenBy: 'history',
      servedBy: { serviceDeploymentArn: PREVIOUS.brief.serviceDeploymentArn },
      taskDefinition: { family: 'hello-world', revision: 8 },
      deploymentId: NEW_DEPLOYMENT_ID,
      url: URL,
      answersFromHere: true,
      markerTag: `deployed-${NAME}`,
    });
    expect(receipt.phases.map((p) => `${p.phase} ${p.result}`)).toEqual([
      'target done',
      'change-set done',
      'stack done',
      'rollout done',
      'url done',
    ]);
  });

  it('GIVEN --json and a failed rollout THEN stdout is the failure as JSON with the diagnosis', async () => {
    afterUpdate(
      deployment({
        id: NEW_DEPLOYMENT_ID,
        taskDefinition: NEW_TASK_DEF,
        rolloutState: 'FAILED',
        rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
      }),
    );
    const h = harness();
    expect(await runOps(['rollback', '--json'], h.deps)).toBe(1);
    expect(JSON.parse(h.out.join('\n'))).toMatchObject({
      outcome: 'failed',
      phase: 'rollout',
      problem: { kind: 'unknown' },
      diagnosis: { findings: expect.any(Array), passed: expect.any(Array) },
    });
  });
});

describe('rollback waits', () => {
  it('GIVEN the change set and the stack take several polls THEN waits through them, exit 0', async () => {
    changeSetAnswers(
      { Status: 'CREATE_PENDING', ExecutionStatus: 'UNAVAILABLE' },
      { Status: 'CREATE_IN_PROGRESS', ExecutionStatus: 'UNAVAILABLE' },
      { Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE', Changes: CHANGES },
    );
    stackUpdate('UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_COMPLETE');
    const h = harness();
    const code = await rollbackCommand(
      {
        common: {
          region: REGION,
          stackName: NAME,
          registryStackName: `${NAME}-registry`,
          timeoutMs: 20 * 60_000,
          json: false,
        },
      },
      {
        deps: h.deps,
        clients: h.deps.createClients({ region: REGION }),
        region: REGION,
        json: false,
        print: (_data, human) => h.out.push(human()),
      },
      { waiterDelays: { minDelay: 0.001, maxDelay: 0.002 } },
    );
    expect(code).toBe(0);
    expect(aws.cfn.commandCalls(DescribeChangeSetCommand).length).toBeGreaterThanOrEqual(3);
    expect(aws.cfn.commandCalls(DescribeStacksCommand, { StackName: STACK_ID }).length).toBe(3);
  });
});

describe('unsettledStackMessage', () => {
  it.each(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE'])(
    'GIVEN %s THEN the stack may be rolled back',
    (status) => expect(unsettledStackMessage(NAME, status, 'infra')).toBeUndefined(),
  );

  it.each([
    [
      'UPDATE_ROLLBACK_FAILED',
      /cannot be updated until it is settled: see `npx nx run infra:doctor`/,
    ],
    ['ROLLBACK_COMPLETE', /its creation failed.*`npx nx run infra:deploy`/],
    ['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', /a deploy is under way.*`npx nx run infra:abort`/],
  ])('GIVEN %s THEN refuses with the next step', (status, says) =>
    expect(unsettledStackMessage(NAME, status, 'infra')).toMatch(says),
  );
});

describe('changeSetNameFor', () => {
  it('GIVEN a tag with dots and underscores THEN a name CloudFormation accepts', () => {
    const name = changeSetNameFor('v1.4.0_rc', Date.parse('2026-11-25T18:10:00Z'));
    expect(name).toBe('rollback-v1-4-0-rc-1795630200');
    expect(name).toMatch(/^[a-zA-Z][-a-zA-Z0-9]{0,127}$/);
  });
});
