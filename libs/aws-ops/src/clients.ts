import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AwsTarget, clientConfig } from './client-config';

/** The SDK clients the operations need; functions take the subset they use. */
export interface AwsClients {
  cfn: CloudFormationClient;
  ecs: ECSClient;
  ec2: EC2Client;
  ecr: ECRClient;
  logs: CloudWatchLogsClient;
  /** Alarm states (status, doctor). */
  cloudwatch: CloudWatchClient;
  /** The environment's SecureStrings (infra:secrets, the deploy's secret check). */
  ssm: SSMClient;
  /** Secrets Manager secrets an environment references (the deploy's secret check). */
  secretsManager: SecretsManagerClient;
  /** The dns and alb modes' records (status, doctor, destroy of a dns-mode record). */
  route53: Route53Client;
  /** The alb mode's target health. */
  elbv2: ElasticLoadBalancingV2Client;
  /** The alb mode's scaling bounds. */
  autoScaling: ApplicationAutoScalingClient;
  /** The dns mode's record updater, which the deploy runs once after its rollout. */
  lambda: LambdaClient;
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
    cloudwatch: new CloudWatchClient(config),
    ssm: new SSMClient(config),
    secretsManager: new SecretsManagerClient(config),
    route53: new Route53Client(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    autoScaling: new ApplicationAutoScalingClient(config),
    lambda: new LambdaClient(config),
  };
}
