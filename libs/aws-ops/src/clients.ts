import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { AwsTarget, clientConfig } from './client-config';

/** The SDK clients the operations need; functions take the subset they use. */
export interface AwsClients {
  cfn: CloudFormationClient;
  ecs: ECSClient;
  ec2: EC2Client;
  ecr: ECRClient;
  logs: CloudWatchLogsClient;
}

export function createAwsClients(
  target: AwsTarget,
  env: Record<string, string | undefined> = process.env,
): AwsClients {
  const config = clientConfig(target, env);
  return {
    cfn: new CloudFormationClient(config),
    ecs: new ECSClient(config),
    ec2: new EC2Client(config),
    ecr: new ECRClient(config),
    logs: new CloudWatchLogsClient(config),
  };
}
