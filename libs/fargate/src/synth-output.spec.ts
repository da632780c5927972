import { synthOutputToShow } from './synth-output';

// What `cdk synth --quiet --no-notices` (CLI 2.1148) writes to stderr on success.
const success = [
  '',
  'Successfully synthesized to /home/someone/other-checkout/dist/apps/infra/cdk.out',
  'Supply a stack id (hello-world-ecr-ecs-fargate-registry, hello-world-ecr-ecs-fargate) to display its template.',
  '',
].join('\n');

describe('synthOutputToShow', () => {
  it('shows nothing for a successful synth, so a cached replay prints nothing either', () => {
    // GIVEN the CLI's success lines  WHEN the synth exited 0  THEN nothing is shown
    expect(synthOutputToShow(success, 0)).toBe('');
  });

  it('keeps a warning printed during a successful synth', () => {
    // GIVEN a warning before the success lines  WHEN the synth exited 0  THEN the warning remains
    const warning = '[Warning at /hello-world-ecr-ecs-fargate/Service] something to look at';
    expect(synthOutputToShow(`${warning}\n${success}`, 0)).toBe(`${warning}\n`);
  });

  it('shows everything when the synth failed', () => {
    // GIVEN the CLI's output  WHEN the synth exited non-zero  THEN every line is shown as it was
    const failure = `${success}Error: AllowedIP 8.8.8.8/0 has host bits set\n`;
    expect(synthOutputToShow(failure, 1)).toBe(failure);
  });
});
