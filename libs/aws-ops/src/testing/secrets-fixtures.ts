// SSM Parameter Store, Secrets Manager and ECS Exec answers as the APIs return them, for the
// specs of infra:secrets and infra:exec.
import type { ExecuteCommandResponse, Task } from '@aws-sdk/client-ecs';
import type { DescribeSecretResponse } from '@aws-sdk/client-secrets-manager';
import type { ParameterMetadata } from '@aws-sdk/client-ssm';
import { ACCOUNT, CLUSTER_ARN, NAME, REGION, TASK_ARN, TASK_ID, runningTask } from './fixtures';

/** The staging environment's secrets folder (deploymentNames' secretsPath). */
export const SECRETS_PATH = `/${NAME}/staging/`;
export const SECRETS_KMS_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d`;
export const DB_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:hello-world/db-AbCdEf`;

/** One SecureString under the staging folder, as DescribeParameters lists it (no value). */
export function parameterMetadata(
  name: string,
  overrides: Partial<ParameterMetadata> = {},
): ParameterMetadata {
  return {
    Name: `${SECRETS_PATH}${name}`,
    ARN: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${SECRETS_PATH}${name}`,
    Type: 'SecureString',
    KeyId: 'alias/aws/ssm',
    LastModifiedDate: new Date('2026-11-20T09:30:00.000Z'),
    LastModifiedUser: `arn:aws:iam::${ACCOUNT}:user/alice`,
    Version: 3,
    Tier: 'Standard',
    Policies: [],
    DataType: 'text',
    ...overrides,
  };
}

/** DescribeSecret's answer: metadata and version stages, never the value. */
export function describeSecretAnswer(
  overrides: Partial<DescribeSecretResponse> = {},
): DescribeSecretResponse {
  return {
    ARN: DB_SECRET_ARN,
    Name: 'hello-world/db',
    Description: 'database credentials',
    LastChangedDate: new Date('2026-11-18T14:05:00.000Z'),
    LastAccessedDate: new Date('2026-11-25T00:00:00.000Z'),
    CreatedDate: new Date('2026-10-01T08:00:00.000Z'),
    VersionIdsToStages: { 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e': ['AWSCURRENT'] },
    ...overrides,
  };
}

/** A running task started with ECS Exec on: its container's ExecuteCommandAgent is RUNNING. */
export function execTask(overrides: Partial<Task> = {}, agentStatus = 'RUNNING'): Task {
  const base = runningTask();
  return {
    ...base,
    enableExecuteCommand: true,
    containers: [
      {
        ...base.containers?.[0],
        managedAgents: [
          {
            name: 'ExecuteCommandAgent',
            lastStatus: agentStatus,
            lastStartedAt: new Date('2026-11-25T18:01:45.000Z'),
          },
        ],
      },
    ],
    ...overrides,
  };
}

export const EXEC_SESSION_ID = `ecs-execute-command-0a1b2c3d4e5f67890`;
export const EXEC_SESSION_TOKEN =
  'AAEAAZ3k9Qh1vX0cF8bGm2yT7rLwPqNsUeJ4dKoI6aHzV5tY1cBnM3xR9gWfEjS0lDiO2uCkA7pZ8vQ';

/** ExecuteCommand's answer: the Session Manager session the plugin connects with. */
export function executeCommandAnswer(): ExecuteCommandResponse {
  return {
    clusterArn: CLUSTER_ARN,
    containerArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:container/${NAME}/${TASK_ID}/5f4e3d2c-1b0a-4f9e-8d7c-6b5a49382716`,
    containerName: 'hello-world',
    interactive: true,
    session: {
      sessionId: EXEC_SESSION_ID,
      streamUrl: `wss://ssmmessages.${REGION}.amazonaws.com/v1/data-channel/${EXEC_SESSION_ID}?role=publish_subscribe&cell-number=AAEAAfX1`,
      tokenValue: EXEC_SESSION_TOKEN,
    },
    taskArn: TASK_ARN,
  };
}
