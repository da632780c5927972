import { evaluate, evaluateCondition, interpolate, type ExpressionScope } from './expressions';

const scope: ExpressionScope = {
  contexts: {
    github: {
      repository: 'octo-org/hello-world',
      event: {
        action: 'labeled',
        label: { name: 'preview' },
        pull_request: {
          number: 12,
          labels: [{ name: 'bug' }, { name: 'preview' }],
          head: { repo: { full_name: 'octo-org/hello-world' } },
        },
      },
    },
    vars: { PREVIEW_MAX_AGE: '3d' },
    inputs: { 'older-than': '' },
    needs: { plan: { result: 'success', outputs: { action: 'deploy' } } },
  },
};

describe('GitHub expressions', () => {
  it('GIVEN property paths WHEN evaluated THEN values, null for what is missing', () => {
    expect(evaluate('github.event.pull_request.number', scope)).toBe(12);
    expect(evaluate('github.event.pull_request.milestone.title', scope)).toBeNull();
    expect(evaluate("needs.plan.outputs['action']", scope)).toBe('deploy');
  });

  it('GIVEN == on strings WHEN evaluated THEN case is ignored, as GitHub does', () => {
    expect(evaluate("github.event.action == 'LABELED'", scope)).toBe(true);
    expect(
      evaluate('github.event.pull_request.head.repo.full_name == github.repository', scope),
    ).toBe(true);
    expect(evaluate("github.event.action != 'labeled'", scope)).toBe(false);
  });

  it('GIVEN .* and contains WHEN evaluated THEN the projection is searched', () => {
    expect(evaluate("contains(github.event.pull_request.labels.*.name, 'preview')", scope)).toBe(
      true,
    );
    expect(evaluate("contains(github.event.pull_request.labels.*.name, 'wip')", scope)).toBe(false);
  });

  it('GIVEN && and || WHEN evaluated THEN they return an operand, so || picks a default', () => {
    expect(evaluate("inputs.older-than || vars.PREVIEW_MAX_AGE || '7d'", scope)).toBe('3d');
    expect(evaluate("github.event.action == 'closed' && 'closed' || 'unlabeled'", scope)).toBe(
      'unlabeled',
    );
    expect(evaluate("!(github.event.action == 'labeled')", scope)).toBe(false);
  });

  it('GIVEN an if: without a status function WHEN needs failed THEN it is false (success() && …)', () => {
    const failed = { ...scope, status: 'failure' as const };
    expect(evaluateCondition("needs.plan.outputs.action == 'deploy'", scope)).toBe(true);
    expect(evaluateCondition("needs.plan.outputs.action == 'deploy'", failed)).toBe(false);
    expect(evaluateCondition("always() && needs.plan.outputs.action == 'deploy'", failed)).toBe(
      true,
    );
    expect(evaluateCondition(undefined, scope)).toBe(true);
  });

  it('GIVEN a string with ${{ }} WHEN interpolated THEN each part is rendered', () => {
    expect(interpolate('pr-${{ github.event.pull_request.number }}', scope)).toBe('pr-12');
    expect(interpolate('${{ fromJSON(\'["pr-3"]\') }}', scope)).toBe('["pr-3"]');
  });

  it('GIVEN a malformed expression WHEN evaluated THEN it throws naming it', () => {
    expect(() => evaluate("github.event.action == 'x", scope)).toThrow('unterminated string');
    expect(() => evaluate('nosuch(1)', scope)).toThrow('unknown function nosuch');
  });
});
