import { UsageError } from '@hello-world/cli';
import { checkDestroyRequest } from './destroy-guard';

const request = (overrides = {}) => ({
  stackName: 'hello-world-ecr-ecs-fargate-production',
  yes: false,
  deleteImages: false,
  ...overrides,
});

describe('checkDestroyRequest', () => {
  it('GIVEN production with --yes and its name confirmed THEN nothing is asked', () => {
    expect(
      checkDestroyRequest(
        request({ yes: true, confirmEnvironment: 'production' }),
        'production',
        false,
      ),
    ).toEqual({ ask: 'no' });
  });

  it('GIVEN production with --yes alone THEN refused, naming the flag to add', () => {
    expect(() => checkDestroyRequest(request({ yes: true }), 'production', true)).toThrow(
      new UsageError(
        'destroying production needs its name typed as well as --yes: add --confirm-env=production',
      ),
    );
  });

  it('GIVEN production in a terminal without --yes THEN its name is asked for', () => {
    expect(checkDestroyRequest(request(), 'production', true)).toEqual({
      ask: 'environment-name',
    });
  });

  it('GIVEN production in a terminal with its name confirmed but no --yes THEN its name is still asked for', () => {
    expect(
      checkDestroyRequest(request({ confirmEnvironment: 'production' }), 'production', true),
    ).toEqual({ ask: 'environment-name' });
  });

  it('GIVEN another environment in a terminal THEN the y/N question, as before', () => {
    expect(checkDestroyRequest(request(), 'staging', true)).toEqual({ ask: 'yes-no' });
  });

  it('GIVEN another environment with --yes THEN nothing is asked, as before', () => {
    expect(checkDestroyRequest(request({ yes: true }), 'pr-12', false)).toEqual({ ask: 'no' });
  });

  it('GIVEN --confirm-env with a name that is not the environment THEN refused, whichever it is', () => {
    expect(() =>
      checkDestroyRequest(request({ yes: true, confirmEnvironment: 'pr-13' }), 'pr-12', false),
    ).toThrow(/--confirm-env "pr-13" is not the environment being destroyed \(pr-12\)/);
  });

  it('GIVEN --delete-images outside the default environment THEN refused', () => {
    expect(() =>
      checkDestroyRequest(request({ yes: true, deleteImages: true }), 'staging', false),
    ).toThrow(
      /^--delete-images empties the repository and deletes the registry every environment shares/,
    );
  });

  it('GIVEN --delete-images in the default environment with --yes THEN allowed', () => {
    expect(
      checkDestroyRequest(request({ yes: true, deleteImages: true }), 'default', false),
    ).toEqual({ ask: 'no' });
  });
});
