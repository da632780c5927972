import { PREVIEW_GITHUB_ENVIRONMENT } from './ci-config';

/** What the GitHub settings checklist needs to name. */
export interface RepositorySettingsScope {
  /** owner/name */
  readonly repository: string;
  /** The protected environment deploy jobs run in. */
  readonly environment: string;
  readonly mainBranch: string;
  /** Git glob of release tags, e.g. `v*-ecr-ecs-fargate`. */
  readonly releaseTagGlob: string;
  /**
   * The CI environments with their own deploy role, in promotion order (ci-config's
   * DEFAULT_CI_ENVIRONMENTS); `preview` for pull-request previews.
   * @default none: only the default environment's deploy role
   */
  readonly ciEnvironments?: readonly string[];
  /**
   * The deployment project whose deploy-ci ran (`greeter-infra`): the checklist names its deploy.
   * @default infra (hello-world's, as the README's CI section quotes it)
   */
  readonly project?: string;
}

export interface RepositorySetting {
  /** Short name, as the README's CI section names it. */
  readonly title: string;
  /** Where it is set and what to set, in one line. */
  readonly how: string;
}

/**
 * The GitHub settings the two CI roles rely on and no AWS policy can enforce: the deploy role
 * trusts `environment:<name>`, so whoever may run a job in that environment may deploy; the
 * publish role trusts the main branch, so whoever may push to it may publish; a release tag runs
 * the promote to production, so whoever may push one may ask production's reviewers for it.
 * `<project>:deploy-ci` prints these after it deploys; the README's CI section lists the same
 * (hello-world's, `infra`).
 */
export function repositorySettings(scope: RepositorySettingsScope): RepositorySetting[] {
  const settings = `https://github.com/${scope.repository}/settings`;
  const ciEnvironments = scope.ciEnvironments ?? [];
  const deployed = ciEnvironments.filter((name) => name !== PREVIEW_GITHUB_ENVIRONMENT);
  // Releases are promoted up the list: its last environment is the one behind reviewers.
  const released = deployed.at(-1);
  const reviewed = [...new Set([scope.environment, ...(released ? [released] : [])])];
  const refsOf = (name: string): string => {
    const main = `the branch "${scope.mainBranch}"`;
    const tags = `the tag pattern "${scope.releaseTagGlob}"`;
    if (name === scope.environment) return `${main} and ${tags}`;
    return name === released ? tags : main;
  };
  const environmentRefs = [...new Set([...reviewed, ...deployed])].map((name) => ({
    title: `Environment "${name}": deployment branches and tags`,
    how:
      `${settings}/environments > ${name} > Deployment branches and tags > "Selected branches ` +
      `and tags": add ${refsOf(name)}, nothing else.`,
  }));
  const previews: RepositorySetting[] = ciEnvironments.includes(PREVIEW_GITHUB_ENVIRONMENT)
    ? [
        {
          title: `Environment "${PREVIEW_GITHUB_ENVIRONMENT}": same-repository pull requests only`,
          how:
            `${settings}/actions > Fork pull request workflows: require approval for all outside ` +
            'collaborators. A fork gets no OIDC token, so it never assumes the preview role; the ' +
            'preview workflow also runs only when the head repository is this one. No reviewers ' +
            "on this environment: its role can touch only …-pr-* stacks and push only into the previews' " +
            "own repository, never the release one. That repository and the previews' task roles are " +
            'the …-previews stack, which an administrator deploys once for every preview with ' +
            `\`npx nx run ${scope.project ?? 'infra'}:deploy-ci\` (as this checklist's run did); no CI role can change it.`,
        },
      ]
    : [];
  return [
    ...reviewed.map((name) => ({
      title: `Environment "${name}": required reviewers, self-review prevented`,
      how:
        `${settings}/environments > ${name} > Required reviewers: add at least one ` +
        'person or team, and tick "Prevent self-review".',
    })),
    ...environmentRefs,
    ...previews,
    {
      title: `Tag ruleset for release tags "${scope.releaseTagGlob}"`,
      how:
        `${settings}/rules > New tag ruleset: target "${scope.releaseTagGlob}", enforcement ` +
        'Active, restrict creations, updates and deletions; bypass only for release maintainers.',
    },
    {
      title: `Branch ruleset for "${scope.mainBranch}"`,
      how:
        `${settings}/rules > New branch ruleset: target "${scope.mainBranch}", require a pull ` +
        'request with an approval and the CI checks, block force pushes and deletions.',
    },
    {
      title: 'The ECS service-linked role, once per AWS account',
      how:
        'The deploy role cannot create IAM roles: run `aws iam create-service-linked-role ' +
        '--aws-service-name ecs.amazonaws.com` once (an "already exists" error means it is there), ' +
        `or deploy once yourself with \`npx nx run ${scope.project ?? 'infra'}:deploy\`.`,
    },
  ];
}

/** The settings as a numbered checklist, one setting per item. */
export function formatRepositorySettings(scope: RepositorySettingsScope): string {
  return repositorySettings(scope)
    .map((setting, i) => `  ${i + 1}. [ ] ${setting.title}\n       ${setting.how}`)
    .join('\n');
}
