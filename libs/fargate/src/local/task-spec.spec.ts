import {
  APP_NAME,
  APP_PORT,
  CONTAINER_HEALTHCHECK_COMMAND,
  CONTAINER_USER,
  DEPLOYMENT_NAME,
  STOP_TIMEOUT_SECONDS,
} from '@hello-world/shared';
import { synthesizeApp } from '../synth-for-test';
import { LocalError, readTaskSpec } from './task-spec';

// One synthesis for the file: CDK synthesis with cdk-nag takes seconds.
const synthesized = synthesizeApp();
const template = synthesized.service.toJSON();

/** A copy of the template and its (first) container definition, to edit for one case. */
function editableContainer(): { copy: unknown; container: Record<string, unknown> } {
  const copy = structuredClone(template) as {
    Resources: Record<string, { Type: string; Properties: { ContainerDefinitions: object[] } }>;
  };
  const td = Object.values(copy.Resources).find((r) => r.Type === 'AWS::ECS::TaskDefinition');
  const container = td?.Properties.ContainerDefinitions[0];
  if (!container) throw new Error('the synthesized template has no task definition container');
  return { copy, container: container as Record<string, unknown> };
}

describe('readTaskSpec', () => {
  it('reads the container as the synthesized task definition runs it on Fargate', () => {
    // GIVEN the service stack the CDK app synthesizes
    // WHEN the local target reads it
    const spec = readTaskSpec(template);
    // THEN it finds what ECS would use
    expect(spec).toMatchObject({
      containerName: APP_NAME,
      imageRepository: DEPLOYMENT_NAME,
      containerPort: APP_PORT,
      cpuUnits: 256,
      memoryMiB: 512,
      user: CONTAINER_USER,
      readonlyRootFilesystem: true,
      initProcessEnabled: true,
      stopTimeoutSeconds: STOP_TIMEOUT_SECONDS,
      dropCapabilities: ['ALL'],
      addCapabilities: [],
    });
    expect(spec.healthCheck?.command).toEqual(['CMD', ...CONTAINER_HEALTHCHECK_COMMAND]);
  });

  it('follows the CDK app when its sizing changes, so nothing is restated', () => {
    // GIVEN the app synthesized with 1 vCPU and 2 GiB
    const bigger = synthesizeApp({ cpu: 1024, memoryMiB: 2048 }).service.toJSON();
    // WHEN read
    const spec = readTaskSpec(bigger);
    // THEN the limits are the template's
    expect([spec.cpuUnits, spec.memoryMiB]).toEqual([1024, 2048]);
  });

  it("takes the memory limit from the container definition, which states the task's memory", () => {
    // GIVEN the synthesized template, whose container carries its own hard limit
    const { container } = editableContainer();
    // WHEN the local target reads it THEN the container's limit is the one applied
    expect(container['Memory']).toBe(512);
    expect(readTaskSpec(template).memoryMiB).toBe(container['Memory']);
  });

  it('reads the capabilities a container drops and adds', () => {
    // GIVEN a container that drops everything and adds one back
    const { copy: custom, container } = editableContainer();
    container['LinuxParameters'] = { Capabilities: { Drop: ['ALL'], Add: ['NET_BIND_SERVICE'] } };
    // WHEN read
    const spec = readTaskSpec(custom);
    // THEN both lists are kept as the task definition writes them
    expect([spec.dropCapabilities, spec.addCapabilities]).toEqual([['ALL'], ['NET_BIND_SERVICE']]);
  });

  it('refuses a capability list only CloudFormation can resolve', () => {
    // GIVEN a dropped capability that is a Ref WHEN read THEN a one-line LocalError names the field
    const { copy: custom, container } = editableContainer();
    container['LinuxParameters'] = { Capabilities: { Drop: [{ Ref: 'Caps' }] } };
    expect(() => readTaskSpec(custom)).toThrow(/Capabilities\.Drop\[0\] .*only CloudFormation/);
  });

  it('reads environment variables and prefers the container-level memory limit', () => {
    // GIVEN a task definition with a container-level limit and environment
    const { copy: custom, container } = editableContainer();
    Object.assign(container, { Memory: 384, Environment: [{ Name: 'LOG_LEVEL', Value: 'debug' }] });
    // WHEN read
    const spec = readTaskSpec(custom);
    // THEN
    expect(spec.memoryMiB).toBe(384);
    expect(spec.environment).toEqual([{ name: 'LOG_LEVEL', value: 'debug' }]);
  });

  it('GIVEN Secrets with SSM ARNs only CloudFormation resolves THEN their names, not where they come from', () => {
    const { copy: custom, container } = editableContainer();
    container['Secrets'] = [
      {
        Name: 'API_KEY',
        ValueFrom: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':ssm:eu-west-1:',
              { Ref: 'AWS::AccountId' },
              ':parameter/hello-world-ecr-ecs-fargate/default/API_KEY',
            ],
          ],
        },
      },
    ];
    expect(readTaskSpec(custom).secrets).toEqual(['API_KEY']);
  });

  it('GIVEN no Secrets THEN none', () => {
    expect(readTaskSpec(template).secrets).toEqual([]);
  });

  it('refuses a value only CloudFormation can resolve, naming the field', () => {
    // GIVEN an environment value that is a Ref
    const { copy: custom, container } = editableContainer();
    container['Environment'] = [{ Name: 'TABLE', Value: { Ref: 'Table' } }];
    // WHEN read THEN a one-line LocalError names it
    expect(() => readTaskSpec(custom)).toThrow(LocalError);
    expect(() => readTaskSpec(custom)).toThrow(
      /Environment\[0\]\.Value .*only CloudFormation can resolve/,
    );
  });

  it('says to synthesize when the template has no such container', () => {
    // GIVEN a template without the task definition WHEN read THEN the next step is named
    expect(() => readTaskSpec({ Resources: {} })).toThrow(/run `npx nx run infra:synth`/);
  });
});
