import { deploymentNames } from '@hello-world/shared';
import type { CloudAssembly, SynthesizedStack } from '../diagram/cloud-assembly';
import { describePricedStacks, pricedStacksOf } from './environment-stacks';

const stack = (name: string): SynthesizedStack => ({
  name,
  region: 'eu-west-1',
  dependencies: [],
  template: { Resources: {} },
});

/** The stacks `DEPLOY_ENV=staging nx run infra:synth` writes, in deploy order. */
const STAGING: CloudAssembly = {
  stacks: [
    stack('hello-world-ecr-ecs-fargate-registry'),
    stack('hello-world-ecr-ecs-fargate-staging-roles'),
    stack('hello-world-ecr-ecs-fargate-staging'),
  ],
};

const DEFAULT: CloudAssembly = {
  stacks: [stack('hello-world-ecr-ecs-fargate-registry'), stack('hello-world-ecr-ecs-fargate')],
};

describe('pricedStacksOf', () => {
  it('GIVEN the default environment THEN every stack is priced, registry included (the docs estimate)', () => {
    const priced = pricedStacksOf(DEFAULT, deploymentNames('hello-world'));

    expect(priced.stacks).toEqual([
      'hello-world-ecr-ecs-fargate-registry',
      'hello-world-ecr-ecs-fargate',
    ]);
    expect(priced.shared).toEqual([]);
    expect(priced.assembly.stacks).toHaveLength(2);
  });

  it('GIVEN staging THEN its own stacks are priced and the shared registry left out', () => {
    const priced = pricedStacksOf(STAGING, deploymentNames('hello-world', 'staging'));

    expect(priced.stacks).toEqual([
      'hello-world-ecr-ecs-fargate-staging-roles',
      'hello-world-ecr-ecs-fargate-staging',
    ]);
    expect(priced.shared).toEqual(['hello-world-ecr-ecs-fargate-registry']);
    expect(priced.assembly.stacks.map((s) => s.name)).toEqual(priced.stacks);
  });

  it("GIVEN a preview with the CI stack synthesized too THEN the previews' stack and the CI stack are shared", () => {
    // GIVEN what `DEPLOY_ENV=pr-12 nx run infra:synth` writes (the previews' stack, no release
    // registry), with the CI stack
    const withCi = {
      stacks: [
        stack('hello-world-ecr-ecs-fargate-previews'),
        stack('hello-world-ecr-ecs-fargate-pr-12'),
        stack('hello-world-ecr-ecs-fargate-ci'),
      ],
    };

    const priced = pricedStacksOf(withCi, deploymentNames('hello-world', 'pr-12'));
    expect(priced.stacks).toEqual(['hello-world-ecr-ecs-fargate-pr-12']);
    expect(priced.shared).toEqual([
      'hello-world-ecr-ecs-fargate-previews',
      'hello-world-ecr-ecs-fargate-ci',
    ]);
  });
});

describe('describePricedStacks', () => {
  it('GIVEN the default environment THEN no line: its output is as before environments', () => {
    expect(
      describePricedStacks(pricedStacksOf(DEFAULT, deploymentNames('hello-world')), 'default'),
    ).toBeUndefined();
  });

  it('GIVEN staging THEN one line with its stacks and the shared one left out', () => {
    const priced = pricedStacksOf(STAGING, deploymentNames('hello-world', 'staging'));

    expect(describePricedStacks(priced, 'staging')).toBe(
      'Environment staging: its own stacks hello-world-ecr-ecs-fargate-staging-roles, hello-world-ecr-ecs-fargate-staging; shared with every environment, not counted here: hello-world-ecr-ecs-fargate-registry',
    );
  });

  it("GIVEN a preview THEN the line says the previews' stack is shared by the previews only", () => {
    const previewStacks = {
      stacks: [
        stack('hello-world-ecr-ecs-fargate-previews'),
        stack('hello-world-ecr-ecs-fargate-pr-12'),
      ],
    };
    const priced = pricedStacksOf(previewStacks, deploymentNames('hello-world', 'pr-12'));

    expect(describePricedStacks(priced, 'pr-12')).toBe(
      'Environment pr-12: its own stacks hello-world-ecr-ecs-fargate-pr-12; shared with every preview, not counted here: hello-world-ecr-ecs-fargate-previews',
    );
  });

  it('GIVEN an environment with no shared stack synthesized THEN the line names its stacks only', () => {
    const own = { stacks: STAGING.stacks.slice(1) };

    expect(
      describePricedStacks(
        pricedStacksOf(own, deploymentNames('hello-world', 'staging')),
        'staging',
      ),
    ).toBe(
      'Environment staging: its own stacks hello-world-ecr-ecs-fargate-staging-roles, hello-world-ecr-ecs-fargate-staging',
    );
  });
});
