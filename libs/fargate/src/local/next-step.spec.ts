import { localStep } from './next-step';

describe('localStep', () => {
  it('GIVEN the default environment THEN the target alone, as before environments', () => {
    expect(localStep('infra', 'deploy:local')).toBe('npx nx run infra:deploy:local');
    expect(localStep('infra', 'synth', 'default')).toBe('npx nx run infra:synth');
  });

  it('GIVEN another environment THEN the target with -- --env=NAME', () => {
    expect(localStep('greeter-infra', 'logs:local', 'pr-12')).toBe(
      'npx nx run greeter-infra:logs:local -- --env=pr-12',
    );
  });
});
