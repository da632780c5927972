import { UsageError } from '@hello-world/cli';
import { isDefaultEnvironment } from '@hello-world/shared';

/** The environment whose destroy needs its name typed out, never just --yes. */
export const PRODUCTION_ENVIRONMENT = 'production';

/** How a destroy that may go ahead is confirmed. */
export type DestroyConfirmation =
  /** --yes (and, for production, --confirm-env with its name): no question. */
  | { ask: 'no' }
  /** Today's question: y/N. */
  | { ask: 'yes-no' }
  /** Production in a terminal: the environment's name, typed. */
  | { ask: 'environment-name' };

export interface DestroyRequest {
  stackName: string;
  yes: boolean;
  deleteImages: boolean;
  confirmEnvironment?: string;
}

/**
 * Checks a destroy before AWS is touched, and says how it is to be confirmed. Every refusal is a
 * UsageError naming what to add (exit 2):
 * - --confirm-env must name the environment destroyed, whichever it is;
 * - production needs --yes with --confirm-env=production, or its name typed at the prompt;
 * - without a person to ask, only --yes may delete (today's rule);
 * - --delete-images empties the registry every environment shares: the default environment's
 *   destroy only.
 */
export function checkDestroyRequest(
  request: DestroyRequest,
  environment: string,
  interactive: boolean,
): DestroyConfirmation {
  const { confirmEnvironment, yes } = request;
  if (confirmEnvironment !== undefined && confirmEnvironment !== environment) {
    throw new UsageError(
      `--confirm-env ${JSON.stringify(confirmEnvironment)} is not the environment being destroyed (${environment}): type its name exactly, --confirm-env=${environment}, or pick it with --env`,
    );
  }
  if (request.deleteImages && !isDefaultEnvironment(environment)) {
    throw new UsageError(
      `--delete-images empties the repository and deletes the registry every environment shares: destroy ${environment} without it, and delete the images from the default environment (no --env) once no other environment is deployed`,
    );
  }
  const production = environment === PRODUCTION_ENVIRONMENT;
  if (yes && production && confirmEnvironment === undefined) {
    throw new UsageError(
      `destroying ${environment} needs its name typed as well as --yes: add --confirm-env=${environment}`,
    );
  }
  if (yes) return { ask: 'no' };
  if (!interactive) {
    const flags = production ? `--yes --confirm-env=${environment}` : '--yes';
    throw new UsageError(
      `destroy asks before deleting stack ${request.stackName}${request.deleteImages ? ', its images and the registry' : ''}: run it in a terminal, or pass ${flags}`,
    );
  }
  return production ? { ask: 'environment-name' } : { ask: 'yes-no' };
}
