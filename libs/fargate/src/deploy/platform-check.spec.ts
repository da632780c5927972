import { checkImagePlatform } from './platform-check';

const IMAGE =
  '123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello-world-ecr-ecs-fargate:sha-1a2b3c4-ecr-ecs-fargate';

describe('checkImagePlatform', () => {
  it('GIVEN an amd64 image for an X86_64 task, or an arm64/v8 one for ARM64 THEN ok', () => {
    expect([
      checkImagePlatform({ taskArchitecture: 'X86_64', image: IMAGE, platforms: ['linux/amd64'] }),
      checkImagePlatform({
        taskArchitecture: 'ARM64',
        image: IMAGE,
        platforms: ['linux/arm64/v8'],
      }),
    ]).toEqual([{ ok: true }, { ok: true }]);
  });

  it('GIVEN a multi-platform image that includes the task architecture THEN ok', () => {
    expect(
      checkImagePlatform({
        taskArchitecture: 'ARM64',
        image: IMAGE,
        platforms: ['linux/amd64', 'linux/arm64'],
      }),
    ).toEqual({ ok: true });
  });

  it('GIVEN an amd64 image for an ARM64 task THEN one line refusing it, naming the push that fixes it', () => {
    expect(
      checkImagePlatform({ taskArchitecture: 'ARM64', image: IMAGE, platforms: ['linux/amd64'] }),
    ).toEqual({
      ok: false,
      message: `image ${IMAGE} is built for linux/amd64, but the task runs ARM64: rebuild with CPU_ARCHITECTURE=ARM64 npx nx run hello-world:docker-push (or --platform=linux/arm64)`,
    });
  });

  it("GIVEN another service's arm64 image for an X86_64 task THEN the refusal names that service's push", () => {
    const result = checkImagePlatform({
      taskArchitecture: 'X86_64',
      image: 'r/greeter-ecr-ecs-fargate:t',
      platforms: ['linux/arm64/v8'],
      service: 'greeter',
    });
    expect(result).toEqual({
      ok: false,
      message:
        'image r/greeter-ecr-ecs-fargate:t is built for linux/arm64/v8, but the task runs X86_64: rebuild with CPU_ARCHITECTURE=X86_64 npx nx run greeter:docker-push (or --platform=linux/amd64)',
    });
  });

  it('GIVEN an index with no runnable platform (attestations only, or arm/v7) THEN refused', () => {
    expect(checkImagePlatform({ taskArchitecture: 'X86_64', image: 'r:t', platforms: [] })).toEqual(
      {
        ok: false,
        message:
          'image r:t is built for no platform, but the task runs X86_64: rebuild with CPU_ARCHITECTURE=X86_64 npx nx run hello-world:docker-push (or --platform=linux/amd64)',
      },
    );
    expect(
      checkImagePlatform({ taskArchitecture: 'ARM64', image: 'r:t', platforms: ['linux/arm/v7'] })
        .ok,
    ).toBe(false);
  });
});
