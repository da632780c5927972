import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeApp, type SynthesizedApp } from './synth-for-test';

let synthesized: SynthesizedApp;

beforeAll(() => {
  synthesized = synthesizeApp();
});

const stackNames = ['hello-world-ecr-ecs-fargate-registry', 'hello-world-ecr-ecs-fargate'];

interface ValidationReport {
  pluginReports: {
    pluginName: string;
    conclusion: string;
    violations: unknown[];
    suppressedViolations: {
      ruleName: string;
      acknowledgedId: string;
      reason: string;
      acknowledgedAt: string;
    }[];
  }[];
}

function validationReport(): ValidationReport {
  return JSON.parse(
    readFileSync(join(synthesized.assembly.directory, 'validation-report.json'), 'utf8'),
  );
}

describe('deploys without cdk bootstrap', () => {
  it('writes exactly the two stacks and no asset manifest', () => {
    const artifacts = Object.values(synthesized.assembly.manifest.artifacts ?? {});
    expect(artifacts.filter((a) => a.type === 'aws:cloudformation:stack')).toHaveLength(2);
    expect(artifacts.filter((a) => a.type === 'cdk:asset-manifest')).toHaveLength(0);
    for (const name of stackNames)
      expect(synthesized.assembly.getStackByName(name).assets).toEqual([]);
  });

  it('asks for no bootstrap version (legacy synthesizer, no bootstrap roles or bucket)', () => {
    for (const template of [synthesized.registry, synthesized.service]) {
      expect(template.toJSON().Parameters?.BootstrapVersion).toBeUndefined();
      expect(template.toJSON().Rules).toBeUndefined();
    }
  });

  it('keeps each template under the 51,200-byte limit for inline template bodies', () => {
    for (const name of stackNames) {
      const size = Buffer.byteLength(
        JSON.stringify(synthesized.assembly.getStackByName(name).template),
      );
      expect(size).toBeLessThan(51_200);
    }
  });
});

describe('synthesizes offline', () => {
  it('needs no context lookup (nothing missing for the CLI to fetch from AWS)', () => {
    expect(synthesized.assembly.manifest.missing).toBeUndefined();
  });

  it('pins the region from the config and leaves the account to the deploying credentials', () => {
    for (const name of stackNames) {
      const stack = synthesized.assembly.getStackByName(name);
      expect(stack.environment.region).toBe('eu-west-1');
      expect(stack.environment.account).toBe('unknown-account');
    }
  });
});

describe('stack order', () => {
  it('makes the service stack depend on the registry stack', () => {
    const service = synthesized.assembly.getStackByName('hello-world-ecr-ecs-fargate');
    expect(service.dependencies.map((d) => d.id)).toEqual(['hello-world-ecr-ecs-fargate-registry']);
  });

  it('shares nothing through CloudFormation exports, so either stack can change alone', () => {
    expect(JSON.stringify(synthesized.service.toJSON())).not.toContain('Fn::ImportValue');
    for (const output of Object.values(synthesized.registry.findOutputs('*'))) {
      expect(output.Export).toBeUndefined();
    }
  });
});

describe('cdk-nag AwsSolutionsChecks', () => {
  it('reports no unacknowledged finding, error or warning', () => {
    const reports = validationReport().pluginReports;
    // cdk-nag first; the AWS Control Tower controls are control-tower.spec.ts's.
    expect(reports.map((r) => r.pluginName)).toEqual(['AwsSolutions', 'cdk-validator-cfnguard']);
    expect(reports[0].violations).toEqual([]);
    expect(reports[0].conclusion).toBe('success');
  });

  it('acknowledges exactly the five findings this design accepts', () => {
    const acknowledged = validationReport().pluginReports[0].suppressedViolations.map(
      (v) => v.acknowledgedId,
    );
    expect(acknowledged.sort()).toEqual([
      'AwsSolutions::AwsSolutions-EC23',
      'AwsSolutions::AwsSolutions-ECS4',
      'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/ecs/hello-world-ecr-ecs-fargate:log-stream:*]',
      'AwsSolutions::AwsSolutions-VPC7',
    ]);
  });

  it.each([
    ['VPC7', /flow logs.*cost/i],
    ['EC23', /AllowedIP.*service port|service port.*AllowedIP/],
    ['ECS4', /Container Insights.*bills/],
    ['IAM5[Resource::*]', /GetAuthorizationToken.*no resource-level permission/],
    ['IAM5[Resource::arn', /log stream.*task id.*this one log group/],
  ])('gives %s a reason specific to this design', (ruleId, why) => {
    const finding = validationReport().pluginReports[0].suppressedViolations.find((v) =>
      v.acknowledgedId.includes(`AwsSolutions-${ruleId}`),
    );
    expect(finding?.reason).toMatch(why);
  });

  it('acknowledges each finding on the resource it concerns, never on a whole stack', () => {
    for (const finding of validationReport().pluginReports[0].suppressedViolations) {
      expect(stackNames).not.toContain(finding.acknowledgedAt);
    }
  });
});

describe('templates', () => {
  it('match the reviewed snapshot (construct paths left out)', () => {
    const normalise = (template: unknown): unknown =>
      JSON.parse(
        JSON.stringify(template, (key, value) => (key === 'aws:cdk:path' ? undefined : value)),
      );
    expect({
      registry: normalise(synthesized.registry.toJSON()),
      service: normalise(synthesized.service.toJSON()),
    }).toMatchSnapshot();
  });
});

describe('a second deployment: context service=greeter, port=49010', () => {
  let greeter: SynthesizedApp;
  const greeterStacks = ['greeter-ecr-ecs-fargate', 'greeter-ecr-ecs-fargate-registry'];

  beforeAll(() => {
    // GIVEN the deployment project of a generated service  WHEN synthesized (cdk-nag and the
    // Control Tower controls run as part of it, and throw on an unacknowledged finding)
    greeter = synthesizeApp({ service: 'greeter', port: 49010 });
  });

  const templates = () =>
    JSON.stringify([greeter.registry.toJSON(), greeter.service.toJSON()], (key, value) =>
      key === 'aws:cdk:path' ? undefined : value,
    );

  it('THEN writes its own two stacks, named after the service', () => {
    const stacks = Object.entries(greeter.assembly.manifest.artifacts ?? {})
      .filter(([, a]) => a.type === 'aws:cloudformation:stack')
      .map(([name]) => name);
    expect(stacks.sort()).toEqual(greeterStacks);
  });

  it('THEN no template names hello-world or its port anywhere', () => {
    expect(templates()).not.toMatch(/hello-world|49000/);
  });

  // The health check runs the image's own healthcheck.js, which probes the port the service was
  // generated with: no port in the template to check there.
  it('THEN the container port and the security group rule both use port 49010', () => {
    const [container] = Object.values(
      greeter.service.findResources('AWS::ECS::TaskDefinition'),
    ).flatMap((r) => r.Properties.ContainerDefinitions);
    const ingress = Object.values(greeter.service.findResources('AWS::EC2::SecurityGroup')).flatMap(
      (r) => r.Properties.SecurityGroupIngress ?? [],
    );
    expect({
      name: container.Name,
      ports: container.PortMappings.map((m: { ContainerPort: number }) => m.ContainerPort),
      ingress: ingress.map((rule: { FromPort: number; ToPort: number }) => [
        rule.FromPort,
        rule.ToPort,
      ]),
    }).toEqual({ name: 'greeter', ports: [49010], ingress: [[49010, 49010]] });
  });

  it('THEN its repository, log group and task roles carry its names', () => {
    greeter.registry.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'greeter-ecr-ecs-fargate',
    });
    greeter.service.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/ecs/greeter-ecr-ecs-fargate',
    });
    const roles = Object.values(greeter.registry.findResources('AWS::IAM::Role')).map(
      (r) => r.Properties.RoleName,
    );
    expect(roles.sort()).toEqual([
      'greeter-ecr-ecs-fargate-execution',
      'greeter-ecr-ecs-fargate-task',
    ]);
  });

  it('THEN cdk-nag passes with the same five acknowledgements, for its own log group', () => {
    const [nag] = (
      JSON.parse(
        readFileSync(join(greeter.assembly.directory, 'validation-report.json'), 'utf8'),
      ) as ValidationReport
    ).pluginReports;
    expect({
      conclusion: nag.conclusion,
      violations: nag.violations,
      acknowledged: nag.suppressedViolations.map((v) => v.acknowledgedId).sort(),
    }).toEqual({
      conclusion: 'success',
      violations: [],
      acknowledged: [
        'AwsSolutions::AwsSolutions-EC23',
        'AwsSolutions::AwsSolutions-ECS4',
        'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/ecs/greeter-ecr-ecs-fargate:log-stream:*]',
        'AwsSolutions::AwsSolutions-VPC7',
      ],
    });
  });

  it('THEN with controlTower=strict it passes the Control Tower checks too', () => {
    // WHEN synthesized strict  THEN no throw: every control is met or exempted by name
    expect(() =>
      synthesizeApp({ service: 'greeter', port: 49010, controlTower: 'strict' }),
    ).not.toThrow();
  });
});
