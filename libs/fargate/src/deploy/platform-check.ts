import {
  APP_NAME,
  architectureOfPlatform,
  platformOfArchitecture,
  type CpuArchitecture,
} from '@hello-world/shared';

/** What the deploy knows before rolling out: the task's architecture and the image's platforms. */
export interface PlatformCheckInput {
  /** From the synthesized task definition (readTaskArchitecture). */
  taskArchitecture: CpuArchitecture;
  /** repository:tag, as the message names it. */
  image: string;
  /** The image's platforms as the registry has them (`linux/arm64/v8`; several for an index). */
  platforms: readonly string[];
  /** The service whose docker-push rebuilds the image. @default hello-world */
  service?: string;
}

export type PlatformCheck = { ok: true } | { ok: false; message: string };

/**
 * Whether the task can run the image: one of its platforms is the task's architecture. Otherwise
 * one line naming what the image is, what the task runs and the push that fixes it; without this
 * the task would start, die with `exec format error` and the rollout would fail minutes later.
 */
export function checkImagePlatform(input: PlatformCheckInput): PlatformCheck {
  const { taskArchitecture, image, platforms } = input;
  if (platforms.some((platform) => architectureOfPlatform(platform) === taskArchitecture)) {
    return { ok: true };
  }
  const built = platforms.length > 0 ? platforms.join(', ') : 'no platform';
  const platform = platformOfArchitecture(taskArchitecture);
  return {
    ok: false,
    message: `image ${image} is built for ${built}, but the task runs ${taskArchitecture}: rebuild with CPU_ARCHITECTURE=${taskArchitecture} npx nx run ${input.service ?? APP_NAME}:docker-push (or --platform=${platform})`,
  };
}
