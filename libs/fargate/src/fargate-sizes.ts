/**
 * Task sizes Fargate offers on Linux (CPU units → memory MiB), from the ECS developer guide's
 * "Task CPU and memory" table. RegisterTaskDefinition rejects anything else at deploy time, so
 * synth refuses it first.
 */
function steps(from: number, to: number, step: number): number[] {
  const sizes: number[] = [];
  for (let mib = from; mib <= to; mib += step) sizes.push(mib);
  return sizes;
}

const FARGATE_SIZES: Record<number, number[]> = {
  256: [512, 1024, 2048],
  512: steps(1024, 4096, 1024),
  1024: steps(2048, 8192, 1024),
  2048: steps(4096, 16384, 1024),
  4096: steps(8192, 30720, 1024),
  8192: steps(16384, 61440, 4096),
  16384: steps(32768, 122880, 8192),
};

export const FARGATE_CPU_UNITS = Object.keys(FARGATE_SIZES).map(Number);

export function isFargateSize(cpu: number, memoryMiB: number): boolean {
  return FARGATE_SIZES[cpu]?.includes(memoryMiB) ?? false;
}

/** The memory sizes Fargate offers for a CPU value, worded for an error message. */
export function describeMemoryOptions(cpu: number): string {
  const sizes = FARGATE_SIZES[cpu];
  if (!sizes) return `CPU must be one of ${FARGATE_CPU_UNITS.join(', ')}`;
  if (sizes.length <= 4) return `with ${cpu} CPU use ${sizes.join(', ')} MiB`;
  const first = sizes[0];
  const last = sizes[sizes.length - 1];
  return `with ${cpu} CPU use ${first}–${last} MiB in steps of ${sizes[1] - first}`;
}
