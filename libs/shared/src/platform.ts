/**
 * The Fargate task's CPU architecture and the image platform it runs: synth reads the one
 * (context `architecture`, env CPU_ARCHITECTURE), docker-build/docker-push build the other, and
 * the deploy and the stopped-task findings compare them. One mapping, so they cannot disagree.
 */

/** ECS RuntimePlatform.CpuArchitecture values Fargate runs. */
export type CpuArchitecture = 'X86_64' | 'ARM64';

/** The image platforms those run, as Docker and OCI name them. */
export type ImagePlatform = 'linux/amd64' | 'linux/arm64';

export const CPU_ARCHITECTURES: readonly CpuArchitecture[] = ['X86_64', 'ARM64'];

/** Fargate's, when a task definition names none. */
export const DEFAULT_CPU_ARCHITECTURE: CpuArchitecture = 'X86_64';

const PLATFORM_OF: Record<CpuArchitecture, ImagePlatform> = {
  X86_64: 'linux/amd64',
  ARM64: 'linux/arm64',
};

/** As synth reads it: trimmed, any case (`arm64` is ARM64); undefined for anything else. */
export function parseCpuArchitecture(value: string): CpuArchitecture | undefined {
  const upper = value.trim().toUpperCase();
  return CPU_ARCHITECTURES.find((architecture) => architecture === upper);
}

/** X86_64 → linux/amd64, ARM64 → linux/arm64. */
export function platformOfArchitecture(architecture: CpuArchitecture): ImagePlatform {
  return PLATFORM_OF[architecture];
}

/**
 * The architecture an image platform runs on, from `os/arch[/variant]` (linux/arm64/v8 is
 * ARM64); undefined for a platform Fargate does not run (linux/arm/v7, windows/amd64…).
 */
export function architectureOfPlatform(platform: string): CpuArchitecture | undefined {
  const [os, arch, variant] = platform.trim().toLowerCase().split('/');
  if (os !== 'linux') return undefined;
  if (arch === 'amd64' && variant === undefined) return 'X86_64';
  if (arch === 'arm64' && (variant === undefined || variant === 'v8')) return 'ARM64';
  return undefined;
}

/** linux/amd64 or linux/arm64 exactly, as --platform takes them. */
export function isImagePlatform(value: string): value is ImagePlatform {
  return (Object.values(PLATFORM_OF) as string[]).includes(value);
}
