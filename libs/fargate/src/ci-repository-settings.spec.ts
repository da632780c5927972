import { repositorySettings } from './ci-repository-settings';

const scope = {
  repository: 'octo-org/hello-world',
  environment: 'production',
  mainBranch: 'main',
  releaseTagGlob: 'v*-ecr-ecs-fargate',
};

const serviceLinkedRole = (project?: string) =>
  repositorySettings({ ...scope, ...(project ? { project } : {}) }).at(-1)?.how;

describe('repositorySettings: the deploy a person runs once names the deployment project', () => {
  it("GIVEN hello-world's deployment (no project given) THEN infra:deploy, as the README quotes it", () => {
    expect(serviceLinkedRole()).toMatch(
      /or deploy once yourself with `npx nx run infra:deploy`\.$/,
    );
  });

  it("GIVEN greeter's deployment project THEN greeter-infra:deploy, and no infra: target", () => {
    const how = serviceLinkedRole('greeter-infra');
    expect(how).toMatch(/or deploy once yourself with `npx nx run greeter-infra:deploy`\.$/);
    expect(how).not.toMatch(/(^|[^-])infra:/);
  });
});
