import { DEFAULT_ENVIRONMENT } from '@hello-world/shared';

/**
 * The nx command a message names as the next step: `npx nx run infra:deploy:local`, with
 * `-- --env=staging` for another environment than the default, so a copied line acts on the
 * environment the user meant whether it came from --env or DEPLOY_ENV.
 */
export function nxRunStep(
  project: string,
  target: string,
  environment: string = DEFAULT_ENVIRONMENT,
): string {
  const env = environment === DEFAULT_ENVIRONMENT ? '' : ` -- --env=${environment}`;
  return `npx nx run ${project}:${target}${env}`;
}
