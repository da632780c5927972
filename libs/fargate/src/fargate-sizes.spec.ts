import { describeMemoryOptions, isFargateSize } from './fargate-sizes';

describe('isFargateSize', () => {
  it.each([
    [256, 512],
    [256, 2048],
    [512, 3072],
    [1024, 8192],
    [4096, 30720],
    [8192, 20480],
    [16384, 122880],
  ])('offers %i CPU with %i MiB', (cpu, memory) => {
    expect(isFargateSize(cpu, memory)).toBe(true);
  });

  it.each([
    [256, 1536],
    [256, 4096],
    [512, 512],
    [1024, 9216],
    [8192, 18432],
    [128, 512],
  ])('does not offer %i CPU with %i MiB', (cpu, memory) => {
    expect(isFargateSize(cpu, memory)).toBe(false);
  });
});

describe('describeMemoryOptions', () => {
  it('lists the sizes of an unknown CPU value as the CPU choices', () => {
    expect(describeMemoryOptions(300)).toBe(
      'CPU must be one of 256, 512, 1024, 2048, 4096, 8192, 16384',
    );
  });
});
