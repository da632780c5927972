import { nxRunStep } from './next-step';

describe('nxRunStep', () => {
  it('GIVEN the default environment THEN the target alone, as before environments', () => {
    expect(nxRunStep('infra', 'deploy:local')).toBe('npx nx run infra:deploy:local');
    expect(nxRunStep('infra', 'synth', 'default')).toBe('npx nx run infra:synth');
  });

  it('GIVEN another environment THEN the target with -- --env=NAME', () => {
    expect(nxRunStep('greeter-infra', 'logs:local', 'pr-12')).toBe(
      'npx nx run greeter-infra:logs:local -- --env=pr-12',
    );
  });
});
