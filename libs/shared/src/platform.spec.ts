import {
  architectureOfPlatform,
  isImagePlatform,
  parseCpuArchitecture,
  platformOfArchitecture,
} from './platform';

describe('parseCpuArchitecture', () => {
  it('GIVEN X86_64 or ARM64 in any case, with spaces THEN the architecture, as synth reads it', () => {
    expect([' arm64 ', 'X86_64', 'x86_64'].map(parseCpuArchitecture)).toEqual([
      'ARM64',
      'X86_64',
      'X86_64',
    ]);
  });

  it('GIVEN a platform or machine name instead THEN undefined', () => {
    expect(['amd64', 'aarch64', 'linux/arm64', ''].map(parseCpuArchitecture)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('platformOfArchitecture', () => {
  it('GIVEN each architecture THEN the platform Docker builds for it', () => {
    expect([platformOfArchitecture('X86_64'), platformOfArchitecture('ARM64')]).toEqual([
      'linux/amd64',
      'linux/arm64',
    ]);
  });
});

describe('architectureOfPlatform', () => {
  it('GIVEN linux/amd64, linux/arm64 and linux/arm64/v8 THEN the architecture that runs each', () => {
    expect(['linux/amd64', 'linux/arm64', 'linux/arm64/v8'].map(architectureOfPlatform)).toEqual([
      'X86_64',
      'ARM64',
      'ARM64',
    ]);
  });

  it('GIVEN a platform Fargate does not run THEN undefined', () => {
    expect(
      ['linux/arm/v7', 'windows/amd64', 'unknown/unknown', 'linux/386'].map(architectureOfPlatform),
    ).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('isImagePlatform', () => {
  it('GIVEN the two --platform values THEN true; another spelling THEN false', () => {
    expect(['linux/amd64', 'linux/arm64', 'arm64', 'linux/arm64/v8'].map(isImagePlatform)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});
