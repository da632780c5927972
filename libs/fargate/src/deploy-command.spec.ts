import { ConfigError } from './config';
import { buildDeployCommands, readParameterOverrides, type DeployRequest } from './deploy-command';

const request: DeployRequest = {
  assemblyDir: '/ws/dist/apps/infra/cdk.out',
  outputsDir: '/ws/dist/apps/infra',
  registryStackName: 'hello-world-ecr-ecs-fargate-registry',
  serviceStackName: 'hello-world-ecr-ecs-fargate',
  interactive: false,
};

describe('buildDeployCommands', () => {
  it('deploys the registry stack first, then the service stack, from the synthesized assembly', () => {
    const [registry, service] = buildDeployCommands(request);
    expect(registry.slice(0, 2)).toEqual(['deploy', 'hello-world-ecr-ecs-fargate-registry']);
    expect(service.slice(0, 2)).toEqual(['deploy', 'hello-world-ecr-ecs-fargate']);
    for (const args of [registry, service]) {
      expect(args).toEqual(
        expect.arrayContaining(['--app', '/ws/dist/apps/infra/cdk.out', '--exclusively']),
      );
    }
  });

  it('passes ImageTag and AllowedIP through to the service stack only', () => {
    const [registry, service] = buildDeployCommands({
      ...request,
      imageTag: 'sha-1a2b3c4-ecr-ecs-fargate',
      allowedIp: '203.0.113.7/32',
    });
    expect(service.join(' ')).toContain(
      '--parameters hello-world-ecr-ecs-fargate:ImageTag=sha-1a2b3c4-ecr-ecs-fargate ' +
        '--parameters hello-world-ecr-ecs-fargate:AllowedIP=203.0.113.7/32',
    );
    expect(registry).not.toContain('--parameters');
  });

  it('GIVEN an alert email, or an empty one THEN AlertEmail goes to the service stack as given', () => {
    const [, service] = buildDeployCommands({ ...request, alertEmail: 'ops@example.com' });
    expect(service.join(' ')).toContain(
      '--parameters hello-world-ecr-ecs-fargate:AlertEmail=ops@example.com',
    );
    const [, removed] = buildDeployCommands({ ...request, alertEmail: '' });
    expect(removed).toContain('hello-world-ecr-ecs-fargate:AlertEmail=');
  });

  it('passes no parameter that was not asked for, so an existing stack keeps its current values', () => {
    const [, service] = buildDeployCommands(request);
    expect(service).not.toContain('--parameters');
  });

  it('writes each stack’s outputs to a file beside the assembly', () => {
    const [registry, service] = buildDeployCommands(request);
    expect(registry.slice(-2)).toEqual([
      '--outputs-file',
      '/ws/dist/apps/infra/hello-world-ecr-ecs-fargate-registry.outputs.json',
    ]);
    expect(service.slice(-2)).toEqual([
      '--outputs-file',
      '/ws/dist/apps/infra/hello-world-ecr-ecs-fargate.outputs.json',
    ]);
  });

  it('keeps CDK’s approval prompt for security changes at a terminal and skips it in CI', () => {
    const at = (interactive: boolean) => {
      const [args] = buildDeployCommands({ ...request, interactive });
      return args[args.indexOf('--require-approval') + 1];
    };
    expect(at(true)).toBe('broadening');
    expect(at(false)).toBe('never');
  });

  it('passes a named profile to both deploys', () => {
    for (const args of buildDeployCommands({ ...request, profile: 'sandbox' })) {
      expect(args.join(' ')).toContain('--profile sandbox');
    }
  });
});

describe('readParameterOverrides', () => {
  it('prefers the flags to IMAGE_TAG / ALLOWED_IP', () => {
    const env = { IMAGE_TAG: 'from-env', ALLOWED_IP: '10.0.0.0/8' };
    expect(readParameterOverrides({ 'image-tag': 'from-flag' }, env)).toEqual({
      imageTag: 'from-flag',
      allowedIp: '10.0.0.0/8',
    });
  });

  it('leaves both out when neither flag nor environment sets them', () => {
    expect(readParameterOverrides({}, { IMAGE_TAG: '' })).toEqual({
      imageTag: undefined,
      allowedIp: undefined,
    });
  });

  it('refuses an illegal tag before CloudFormation sees it, in one line', () => {
    expect(() => readParameterOverrides({ 'image-tag': 'bad tag' }, {})).toThrow(ConfigError);
    expect(() => readParameterOverrides({ 'image-tag': 'bad tag' }, {})).toThrow(
      /^Invalid image tag "bad tag": use [^\n]+$/,
    );
  });

  it('refuses a CIDR that is not a CIDR, in one line', () => {
    expect(() => readParameterOverrides({ 'allowed-ip': '1.2.3.4' }, {})).toThrow(
      /^Invalid allowed IP "1.2.3.4": use an IPv4 CIDR[^\n]+$/,
    );
  });

  it.each([
    [{ 'allowed-ip': '10.0.0.1/24' }, {}, '10.0.0.0/24'],
    [{}, { ALLOWED_IP: '8.8.8.8/0' }, '0.0.0.0/0'],
  ])(
    'GIVEN %j %j with host bits set THEN refuses it in one line naming the network %s',
    (flags, env, network) => {
      expect(() => readParameterOverrides(flags, env)).toThrow(
        new RegExp(
          `^Invalid allowed IP "[^"]+": host bits are set [^\\n]*did you mean ${network}, `,
        ),
      );
    },
  );
});
