import { parseImageOptions } from './image-options';

describe('parseImageOptions', () => {
  it('pushes to ECR from a clean tree by default', () => {
    // GIVEN no flags and no overrides WHEN parsed THEN nothing is overridden
    expect(parseImageOptions([], {})).toEqual({ allowDirty: false, help: false });
  });

  it('turns IMAGE_REGISTRY into the repository under that registry', () => {
    // GIVEN a registry override with a namespace and a trailing slash
    const options = parseImageOptions([], { IMAGE_REGISTRY: '127.0.0.1:5050/ci/' });
    // THEN the repository keeps the deployment's name below it
    expect(options.repositoryOverride).toBe('127.0.0.1:5050/ci/hello-world-ecr-ecs-fargate');
  });

  it('passes BASE_IMAGE and --allow-dirty through', () => {
    expect(parseImageOptions(['--allow-dirty'], { BASE_IMAGE: 'local/node:24' })).toMatchObject({
      allowDirty: true,
      baseImage: 'local/node:24',
    });
  });

  it('reads the layer cache from IMAGE_CACHE_FROM and IMAGE_CACHE_TO', () => {
    const options = parseImageOptions([], {
      IMAGE_CACHE_FROM: 'type=gha,scope=hello-world',
      IMAGE_CACHE_TO: 'type=gha,scope=hello-world,mode=max',
    });
    expect(options.buildCache).toEqual({
      from: 'type=gha,scope=hello-world',
      to: 'type=gha,scope=hello-world,mode=max',
    });
    expect(parseImageOptions([], {}).buildCache).toBeUndefined();
  });

  it('refuses an IMAGE_REGISTRY that is a URL', () => {
    // GIVEN a scheme in the override WHEN parsed THEN the error shows the expected shape
    expect(() => parseImageOptions([], { IMAGE_REGISTRY: 'http://127.0.0.1:5050' })).toThrow(
      'is not host[:port][/namespace]',
    );
  });

  it('refuses an unknown option in one line pointing at --help', () => {
    expect(() => parseImageOptions(['--force'], {})).toThrow(
      /^Unknown option '--force'.*; see --help$/,
    );
  });
});
