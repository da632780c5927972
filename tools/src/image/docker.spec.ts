import { dockerBuildArgs } from './docker';

const source = { tags: [], revision: 'abc123', version: '1.2.3' };

describe('dockerBuildArgs', () => {
  it('builds with plain docker build when no layer cache is asked for', () => {
    const args = dockerBuildArgs('hello-world-ecr-ecs-fargate:t', source, 'local/node:24');
    expect(args.slice(0, 5)).toEqual([
      'build',
      '-f',
      'apps/hello-world/Dockerfile',
      '-t',
      'hello-world-ecr-ecs-fargate:t',
    ]);
    expect(args).toContain('BASE_IMAGE=local/node:24');
    expect(args.at(-1)).toBe('.');
  });

  it('goes through buildx, loads the image and passes the cache when one is given', () => {
    // GIVEN GitHub Actions' cache  WHEN the build arguments are made  THEN buildx imports and exports it
    const args = dockerBuildArgs('r:t', source, undefined, {
      from: 'type=gha',
      to: 'type=gha,mode=max',
    });
    expect(args.slice(0, 3)).toEqual(['buildx', 'build', '--load']);
    expect(args.join(' ')).toContain('--cache-from type=gha --cache-to type=gha,mode=max');
    expect(args.join(' ')).not.toContain('BASE_IMAGE');
  });
});
