import { DEFAULT_REGION, DEPLOYMENT_NAME } from '@hello-world/shared';

/** Placeholder until the infra issue: the names the stacks will use. */
export const stackNames = { main: DEPLOYMENT_NAME, region: DEFAULT_REGION };
