import { architectureOfPlatform } from '@hello-world/shared';
import { ImageError } from './image-error';
import type { ImageTag } from './image-tags';

/** A tag of this build and the digest it already points at in the registry, if any. */
export interface TagState {
  tag: ImageTag;
  digest?: string;
}

/** What docker-push does; the first tag is the build's sha tag. */
export interface PushPlan {
  /** Build the image (false when the sha tag is already in the registry). */
  build: boolean;
  /** Pull the sha tag's image to add tags to it without rebuilding. */
  pull: boolean;
  /** Tags to push, in order. */
  push: string[];
  /** Tags already in the registry pointing at this build's image. */
  skip: { name: string; digest: string }[];
  /**
   * Floating tags left out because the registry would never let them move (every tag immutable,
   * as controlTower=strict sets the repository): pushed once, they would stay on this release.
   */
  immovable: string[];
}

/**
 * Decides build / push / skip from what the registry holds. An immutable tag that already points
 * elsewhere is never overwritten: that refuses the whole push, before anything is built. A
 * floating tag the registry cannot move (`canMove` false) is left out.
 */
export function planPush(
  states: readonly TagState[],
  canMove: (tag: string) => boolean = () => true,
): PushPlan {
  const [primary, ...rest] = states;
  if (!primary) throw new ImageError('no image tag to push');
  const built = primary.digest;
  const plan: PushPlan = {
    build: built === undefined,
    pull: false,
    push: [],
    skip: [],
    immovable: [],
  };
  if (built === undefined) plan.push.push(primary.tag.name);
  else plan.skip.push({ name: primary.tag.name, digest: built });

  for (const { tag, digest } of rest) {
    if (digest !== undefined && digest === built) {
      plan.skip.push({ name: tag.name, digest });
    } else if (!tag.immutable && !canMove(tag.name)) {
      plan.immovable.push(tag.name);
    } else if (digest !== undefined && tag.immutable) {
      throw new ImageError(
        `${tag.name} is already in the registry as ${digest}, another image than this build's; version tags are never overwritten: bump the version`,
        // Refused before anything is built: the version is the caller's to change.
        'environment',
      );
    } else {
      plan.push.push(tag.name);
    }
  }
  plan.pull = !plan.build && plan.push.length > 0;
  return plan;
}

/**
 * A tag already in the registry must hold the platforms this build is for, or skipping the push
 * would deploy an image the task cannot run: an image pushed before docker-push named platforms
 * (built on an arm64 laptop, say) can sit under an amd64 build's tag. Sha tags never move, so
 * the way out is deleting that tag.
 */
export function checkExistingPlatforms(
  ref: string,
  wanted: readonly string[],
  existing: readonly string[],
): void {
  const held = new Set(existing.map(architectureOfPlatform));
  if (wanted.every((platform) => held.has(architectureOfPlatform(platform)))) return;
  throw new ImageError(
    `${ref} is already in the registry built for ${existing.join(', ') || 'no platform'}, not ${wanted.join(', ')}, and its tag never moves: delete that tag from the repository, then push again`,
    'environment',
  );
}
