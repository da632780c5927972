// aws-sdk-client-mock stubs for every client in AwsClients, and the account a healthy deployment
// leaves behind, so each spec arranges only what its case changes.
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeNetworkInterfacesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  BatchGetImageCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  ECRClient,
  GetDownloadUrlForLayerCommand,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import type { AwsClients } from '../clients';
import { MONITORING, healthyAlarms } from './alarm-fixtures';
import { basicScanComplete } from './image-scan-fixtures';
import {
  CONFIG_DOWNLOAD,
  NAME,
  REPOSITORY_URI,
  TAG,
  batchGetImageResult,
  TASK_ARN,
  TASK_DEF_ARN,
  networkInterface,
  registryStack,
  runningTask,
  service,
  stack,
} from './fixtures';

/**
 * Stubs every CloudFormation, ECS, EC2, ECR, CloudWatch (Logs), SSM, Secrets Manager, Route 53,
 * Elastic Load Balancing v2, Application Auto Scaling and Lambda client, including those created
 * later; `clients()` gives a fresh AwsClients set they intercept. Call once per spec file.
 */
export function mockAwsClients() {
  const stubs = {
    cfn: mockClient(CloudFormationClient),
    ecs: mockClient(ECSClient),
    ec2: mockClient(EC2Client),
    ecr: mockClient(ECRClient),
    logs: mockClient(CloudWatchLogsClient),
    cloudwatch: mockClient(CloudWatchClient),
    ssm: mockClient(SSMClient),
    secretsManager: mockClient(SecretsManagerClient),
    route53: mockClient(Route53Client),
    elbv2: mockClient(ElasticLoadBalancingV2Client),
    autoScaling: mockClient(ApplicationAutoScalingClient),
    lambda: mockClient(LambdaClient),
  };
  return {
    ...stubs,
    reset: (): void => Object.values(stubs).forEach((stub) => stub.reset()),
    clients: (): AwsClients => ({
      cfn: new CloudFormationClient({}),
      ecs: new ECSClient({}),
      ec2: new EC2Client({}),
      ecr: new ECRClient({}),
      logs: new CloudWatchLogsClient({}),
      cloudwatch: new CloudWatchClient({}),
      ssm: new SSMClient({}),
      secretsManager: new SecretsManagerClient({}),
      route53: new Route53Client({}),
      elbv2: new ElasticLoadBalancingV2Client({}),
      autoScaling: new ApplicationAutoScalingClient({}),
      lambda: new LambdaClient({}),
    }),
  };
}

export type AwsMocks = ReturnType<typeof mockAwsClients>;

/**
 * Resets the stubs to a healthy deployment: both stacks complete, one running healthy task with a
 * public IP on its ENI, the deployed tag in ECR (an amd64 image, scanned without findings; its
 * marker tag can be put), no stopped tasks and no log lines; every alarm of the default environment
 * OK (another prefix has none).
 */
export function arrangeHealthyDeployment(mocks: AwsMocks): void {
  mocks.reset();
  mocks.cfn.on(DescribeStacksCommand, { StackName: NAME }).resolves({ Stacks: [stack()] });
  mocks.cfn
    .on(DescribeStacksCommand, { StackName: `${NAME}-registry` })
    .resolves({ Stacks: [registryStack()] });
  mocks.ecs.on(DescribeServicesCommand).resolves({ services: [service()] });
  mocks.ecs.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: {
      taskDefinitionArn: TASK_DEF_ARN,
      family: 'hello-world',
      revision: 7,
      // The deployed tag, as the service stack's ImageTag parameter puts it in the image.
      containerDefinitions: [
        { name: 'hello-world', image: `${REPOSITORY_URI}:${TAG}`, essential: true },
      ],
      memory: '512',
      cpu: '256',
      runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
    },
  });
  mocks.ecs.on(ListTasksCommand, { desiredStatus: 'RUNNING' }).resolves({ taskArns: [TASK_ARN] });
  mocks.ecs.on(ListTasksCommand, { desiredStatus: 'STOPPED' }).resolves({ taskArns: [] });
  mocks.ecs.on(DescribeTasksCommand, { tasks: [TASK_ARN] }).resolves({ tasks: [runningTask()] });
  mocks.ec2.on(DescribeNetworkInterfacesCommand).resolves(networkInterface());
  mocks.ecr
    .on(DescribeImagesCommand, { repositoryName: NAME, imageIds: [{ imageTag: TAG }] })
    .resolves({
      imageDetails: [{ repositoryName: NAME, imageDigest: 'sha256:abc', imageTags: [TAG] }],
    });
  // The deployed marker: any image read by digest, then put again under its new tag.
  mocks.ecr
    .on(BatchGetImageCommand)
    .callsFake((input: { imageIds?: { imageDigest?: string }[] }) =>
      batchGetImageResult(input.imageIds?.[0]?.imageDigest ?? 'sha256:abc'),
    );
  mocks.ecr.on(PutImageCommand).resolves({});
  // Its platform (the manifest's config blob, amd64) and a finished scan on push with no finding.
  mocks.ecr.on(GetDownloadUrlForLayerCommand).resolves(CONFIG_DOWNLOAD);
  mocks.ecr.on(DescribeImageScanFindingsCommand).resolves(basicScanComplete([]));
  mocks.logs.on(GetLogEventsCommand).resolves({ events: [] });
  mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] });
  mocks.cloudwatch
    .on(DescribeAlarmsCommand, { AlarmNamePrefix: MONITORING.alarmPrefix })
    .resolves({ MetricAlarms: healthyAlarms(), CompositeAlarms: [] });
}
