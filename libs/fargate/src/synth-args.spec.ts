import { cdkSynthArgs } from './synth-args';

describe('cdkSynthArgs', () => {
  it('passes CDK context in each form the CDK CLI takes', () => {
    // GIVEN context as -c, --context and --context=  WHEN read  THEN all three reach cdk synth
    expect(
      cdkSynthArgs(['-c', 'desiredCount=2', '--context', 'spot=true', '--context=cpu=512']),
    ).toEqual(['-c', 'desiredCount=2', '--context', 'spot=true', '--context=cpu=512']);
  });

  it("passes where to write the assembly: infra:promote's own, beside the synth target's", () => {
    // GIVEN --output in each form, as bin/promote.ts runs bin/synth.ts  WHEN read  THEN kept
    expect(
      cdkSynthArgs(['--output', '/dist/promote-production.cdk.out', '-o', 'a', '--output=b']),
    ).toEqual(['--output', '/dist/promote-production.cdk.out', '-o', 'a', '--output=b']);
  });

  it('drops --env in both forms: bin/synth.ts passes it as DEPLOY_ENV', () => {
    // GIVEN --env=NAME and --env NAME  WHEN read  THEN neither reaches cdk synth
    expect(cdkSynthArgs(['--env=staging'])).toEqual([]);
    expect(cdkSynthArgs(['--env', 'staging', '-c', 'spot=true'])).toEqual(['-c', 'spot=true']);
  });

  it('drops the options deploy forwards along its chain, values of the space form included', () => {
    // GIVEN infra:deploy's command line, as params: forward hands it to synth
    const argv = [
      '--env=staging',
      '--image-tag=sha-abc',
      '--service-only',
      '--json',
      '--timeout',
      '600',
      '--profile',
      'admin',
    ];
    // WHEN read  THEN nothing of it reaches cdk synth
    expect(cdkSynthArgs(argv)).toEqual([]);
  });

  it("drops deploy:local's --port and a --help meant for the target", () => {
    // GIVEN deploy:local's options and --help  WHEN read  THEN cdk synth gets none of them
    expect(cdkSynthArgs(['--env=staging', '--port=49001', '--help'])).toEqual([]);
  });

  it('drops a -c or --context with no key=value pair after it', () => {
    // GIVEN -c followed by a flag, and a bare --context  WHEN read  THEN neither is kept
    expect(cdkSynthArgs(['-c', '--json', '--context'])).toEqual([]);
  });
});
