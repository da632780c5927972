import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config';
import {
  readAssemblyRegion,
  readServiceTemplate,
  readTaskArchitecture,
  readTaskSecrets,
} from './assembly';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cdk-out-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const HELLO_WORLD = { serviceStackName: 'hello-world-ecr-ecs-fargate', project: 'infra' };
const GREETER = { serviceStackName: 'greeter-ecr-ecs-fargate', project: 'greeter-infra' };

/** A manifest as `cdk synth` writes it (schema 55), with the service stack's environment. */
function writeManifest(environment: string, stack = HELLO_WORLD.serviceStackName): void {
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      version: '55.0.0',
      artifacts: {
        [`${stack}-registry`]: {
          type: 'aws:cloudformation:stack',
          environment,
          properties: { templateFile: `${stack}-registry.template.json` },
        },
        [stack]: {
          type: 'aws:cloudformation:stack',
          environment,
          properties: { templateFile: `${stack}.template.json` },
        },
      },
    }),
  );
}

describe('readAssemblyRegion', () => {
  it('GIVEN a synthesized assembly THEN the region of the service stack', () => {
    writeManifest('aws://unknown-account/eu-central-1');
    expect(readAssemblyRegion(dir, HELLO_WORLD)).toBe('eu-central-1');
  });

  it('GIVEN no assembly THEN says to synth', () => {
    expect(() => readAssemblyRegion(join(dir, 'missing'), HELLO_WORLD)).toThrow(
      new ConfigError(
        `no cloud assembly at ${join(dir, 'missing')}: run \`npx nx run infra:synth\``,
      ),
    );
  });

  it('GIVEN a corrupt manifest THEN one line with the path and the parse error, and to synth again', () => {
    writeFileSync(join(dir, 'manifest.json'), '{ "version": "55.0.0", ');
    expect(() => readAssemblyRegion(dir, HELLO_WORLD)).toThrow(ConfigError);
    expect(() => readAssemblyRegion(dir, HELLO_WORLD)).toThrow(
      new RegExp(
        `^cannot read the cloud assembly at ${join(dir, 'manifest.json')} \\(.*JSON.*\\): run \`npx nx run infra:synth\`$`,
      ),
    );
  });

  it('GIVEN an assembly synthesized without a region THEN says to set AWS_REGION', () => {
    writeManifest('aws://unknown-account/unknown-region');
    expect(() => readAssemblyRegion(dir, HELLO_WORLD)).toThrow(
      /names no region .*: set AWS_REGION and run/,
    );
  });
});

describe('readAssemblyRegion for another deployment (greeter-infra)', () => {
  it("GIVEN greeter's assembly, which holds no hello-world stack THEN the region of greeter's service stack", () => {
    writeManifest('aws://unknown-account/eu-central-1', GREETER.serviceStackName);
    expect(readAssemblyRegion(dir, GREETER)).toBe('eu-central-1');
  });

  it("GIVEN no assembly THEN says to run greeter-infra's synth", () => {
    expect(() => readAssemblyRegion(join(dir, 'missing'), GREETER)).toThrow(
      new ConfigError(
        `no cloud assembly at ${join(dir, 'missing')}: run \`npx nx run greeter-infra:synth\``,
      ),
    );
  });

  it("GIVEN hello-world's assembly THEN says greeter's stack is not in it and how to synth it", () => {
    writeManifest('aws://unknown-account/eu-central-1');
    expect(() => readAssemblyRegion(dir, GREETER)).toThrow(
      `has no stack greeter-ecr-ecs-fargate: it holds another deployment's or environment's templates; run \`npx nx run greeter-infra:synth\``,
    );
  });

  it("GIVEN the default environment's assembly THEN staging's deploy names staging's synth", () => {
    writeManifest('aws://unknown-account/eu-central-1');
    expect(() =>
      readAssemblyRegion(dir, {
        serviceStackName: 'hello-world-ecr-ecs-fargate-staging',
        project: 'infra',
        environment: 'staging',
      }),
    ).toThrow('run `DEPLOY_ENV=staging npx nx run infra:synth`');
  });
});

/** The service stack's template as synth writes it, with the task definition's RuntimePlatform. */
function writeServiceTemplate(
  runtimePlatform: object | undefined,
  containerDefinitions?: object[],
): void {
  writeManifest('aws://unknown-account/eu-west-1');
  writeFileSync(
    join(dir, `${HELLO_WORLD.serviceStackName}.template.json`),
    JSON.stringify({
      Resources: {
        AppLogGroup0D3B7E3A: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } },
        AppTaskDefinitionCA96C95D: {
          Type: 'AWS::ECS::TaskDefinition',
          Properties: {
            Cpu: '256',
            Memory: '512',
            Family: 'hello-world',
            NetworkMode: 'awsvpc',
            RequiresCompatibilities: ['FARGATE'],
            ...(runtimePlatform ? { RuntimePlatform: runtimePlatform } : {}),
            ...(containerDefinitions ? { ContainerDefinitions: containerDefinitions } : {}),
          },
        },
      },
    }),
  );
}

describe('readTaskArchitecture', () => {
  it("GIVEN a service synthesized for ARM64 THEN ARM64, from its task definition's RuntimePlatform", () => {
    writeServiceTemplate({ CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' });
    expect(readTaskArchitecture(dir, HELLO_WORLD)).toBe('ARM64');
  });

  it("GIVEN X86_64, or no RuntimePlatform at all (Fargate's default) THEN X86_64", () => {
    writeServiceTemplate({ CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' });
    expect(readTaskArchitecture(dir, HELLO_WORLD)).toBe('X86_64');
    writeServiceTemplate(undefined);
    expect(readTaskArchitecture(dir, HELLO_WORLD)).toBe('X86_64');
  });

  it('GIVEN an architecture that is not a plain X86_64 or ARM64 THEN one line saying to synth again', () => {
    writeServiceTemplate({ CpuArchitecture: { Ref: 'Architecture' } });
    expect(() => readTaskArchitecture(dir, HELLO_WORLD)).toThrow(
      new ConfigError(
        `${join(dir, 'hello-world-ecr-ecs-fargate.template.json')}'s task definition runs on CPU architecture {"Ref":"Architecture"}, not X86_64 or ARM64: run \`npx nx run infra:synth\``,
      ),
    );
  });

  it('GIVEN a manifest without the template file THEN one line naming the file and to synth', () => {
    writeManifest('aws://unknown-account/eu-west-1');
    expect(() => readTaskArchitecture(dir, HELLO_WORLD)).toThrow(
      new ConfigError(
        `no ${join(dir, 'hello-world-ecr-ecs-fargate.template.json')}: run \`npx nx run infra:synth\``,
      ),
    );
  });

  it('GIVEN no assembly THEN says to synth', () => {
    expect(() => readTaskArchitecture(join(dir, 'missing'), GREETER)).toThrow(
      new ConfigError(
        `no cloud assembly at ${join(dir, 'missing')}: run \`npx nx run greeter-infra:synth\``,
      ),
    );
  });
});

/** The SSM parameter ARN as CDK writes it for a stack with a region: partition and account are Refs. */
function ssmParameterArn(name: string): object {
  return {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':ssm:eu-west-1:',
        { Ref: 'AWS::AccountId' },
        `:parameter${name}`,
      ],
    ],
  };
}

describe('readTaskSecrets', () => {
  it("GIVEN a container with an SSM and a Secrets Manager secret THEN both, with the parameter's name and the secret's ARN and JSON key", () => {
    writeServiceTemplate(undefined, [
      {
        Name: 'hello-world',
        Environment: [{ Name: 'GREETING', Value: 'Hello from staging' }],
        Secrets: [
          {
            Name: 'API_KEY',
            ValueFrom: ssmParameterArn('/hello-world-ecr-ecs-fargate/staging/API_KEY'),
          },
          {
            Name: 'DB_USER',
            ValueFrom: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:username::',
          },
        ],
      },
    ]);
    expect(readTaskSecrets(dir, HELLO_WORLD)).toEqual([
      {
        name: 'API_KEY',
        source: { kind: 'ssm', parameterName: '/hello-world-ecr-ecs-fargate/staging/API_KEY' },
      },
      {
        name: 'DB_USER',
        source: {
          kind: 'secretsmanager',
          secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf',
          jsonKey: 'username',
        },
      },
    ]);
  });

  it('GIVEN a container without Secrets THEN none', () => {
    writeServiceTemplate(undefined, [{ Name: 'hello-world', Image: 'x' }]);
    expect(readTaskSecrets(dir, HELLO_WORLD)).toEqual([]);
  });

  it('GIVEN a ValueFrom that names no parameter or secret THEN one line naming the secret and to synth', () => {
    writeServiceTemplate(undefined, [
      { Name: 'hello-world', Secrets: [{ Name: 'API_KEY', ValueFrom: { Ref: 'SomeParameter' } }] },
    ]);
    expect(() => readTaskSecrets(dir, HELLO_WORLD)).toThrow(
      new ConfigError(
        `${join(dir, 'hello-world-ecr-ecs-fargate.template.json')}'s task definition has a secret "API_KEY" whose ValueFrom is neither an SSM parameter nor a Secrets Manager ARN: run \`npx nx run infra:synth\``,
      ),
    );
  });
});

describe('readServiceTemplate', () => {
  it('GIVEN a synthesized dns-mode stack THEN its template, with the ingress outputs, and its path', () => {
    writeManifest('aws://unknown-account/eu-west-1');
    const templatePath = join(dir, `${HELLO_WORLD.serviceStackName}.template.json`);
    const outputs = {
      IngressMode: { Value: 'dns' },
      DomainName: { Value: 'api.example.com' },
      HostedZoneId: { Value: 'Z0123456789ABCDEFGHIJ' },
    };
    writeFileSync(templatePath, JSON.stringify({ Resources: {}, Outputs: outputs }));
    expect(readServiceTemplate(dir, HELLO_WORLD)).toEqual({
      template: { Resources: {}, Outputs: outputs },
      templatePath,
    });
  });

  it('GIVEN no template beside the manifest THEN one line naming the file and to synth', () => {
    writeManifest('aws://unknown-account/eu-west-1');
    expect(() => readServiceTemplate(dir, HELLO_WORLD)).toThrow(
      new ConfigError(
        `no ${join(dir, 'hello-world-ecr-ecs-fargate.template.json')}: run \`npx nx run infra:synth\``,
      ),
    );
  });
});
