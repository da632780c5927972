import { ConfigError } from '../config';
import { parseDeployArgs } from './deploy-args';

describe('parseDeployArgs', () => {
  it('defaults to deploying the current build with a 20 minute rollout budget', () => {
    expect(parseDeployArgs([], {})).toEqual({
      help: false,
      timeoutMs: 20 * 60_000,
      json: false,
      registryOnly: false,
    });
  });

  it('takes the tag and CIDR from flags before IMAGE_TAG / ALLOWED_IP', () => {
    const env = { IMAGE_TAG: 'sha-1111111-ecr-ecs-fargate', ALLOWED_IP: '10.0.0.0/8' };
    expect(parseDeployArgs(['--allowed-ip=203.0.113.7/32'], env)).toMatchObject({
      imageTag: 'sha-1111111-ecr-ecs-fargate',
      allowedIp: '203.0.113.7/32',
    });
  });

  it('reads --json, --timeout, --profile and --registry-only', () => {
    expect(
      parseDeployArgs(['--json', '--timeout=5m', '--profile=dev', '--registry-only'], {}),
    ).toMatchObject({
      json: true,
      timeoutMs: 300_000,
      profile: 'dev',
      registryOnly: true,
    });
  });

  it.each([['--allowed-ip=1.2.3.4'], ['--image-tag=-bad'], ['--timeout=soon'], ['--force']])(
    'rejects %s with a one-line ConfigError',
    (flag) => {
      expect(() => parseDeployArgs([flag], {})).toThrow(ConfigError);
    },
  );
});
