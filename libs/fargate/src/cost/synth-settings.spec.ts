import type { SynthSettings } from '@hello-world/shared';
import { AssemblyError } from '../diagram/cloud-assembly';
import { checkSynthSettings, describePricedConfiguration } from './synth-settings';

const defaults: SynthSettings = {
  settings: {
    region: 'eu-west-1',
    cpu: 256,
    memoryMiB: 512,
    desiredCount: 1,
    architecture: 'X86_64',
    spot: false,
    controlTower: 'reference',
  },
  environment: { AWS_REGION: null, TASK_CPU: null, TASK_MEMORY_MIB: null, CONTROL_TOWER: null },
};

describe('checkSynthSettings', () => {
  it('GIVEN the same environment as at synth WHEN checked THEN the templates are priced', () => {
    expect(() => checkSynthSettings(defaults, { HOME: '/root', TASK_CPU: '' })).not.toThrow();
  });

  it('GIVEN TASK_CPU and TASK_MEMORY_MIB set after a default synth WHEN checked THEN one line names both and how to refresh', () => {
    expect(() =>
      checkSynthSettings(defaults, { TASK_CPU: '512', TASK_MEMORY_MIB: '1024' }),
    ).toThrow(
      new AssemblyError(
        'the synthesized templates were made with other settings (TASK_CPU was unset, is "512"; TASK_MEMORY_MIB was unset, is "1024"): run `npx nx run infra:synth` with the same environment first, or `npx nx run infra:cost`, which does.',
      ),
    );
  });

  it("GIVEN greeter-infra's templates and TASK_CPU set since WHEN checked THEN the fix names greeter-infra's synth and cost", () => {
    expect(() => checkSynthSettings(defaults, { TASK_CPU: '512' }, 'greeter-infra')).toThrow(
      /: run `npx nx run greeter-infra:synth` with the same environment first, or `npx nx run greeter-infra:cost`, which does\.$/,
    );
  });

  it("GIVEN staging priced and TASK_CPU set since its synth WHEN checked THEN the fix names staging's synth and cost", () => {
    expect(() => checkSynthSettings(defaults, { TASK_CPU: '512' }, 'infra', 'staging')).toThrow(
      /: run `npx nx run infra:synth -- --env=staging` with the same environment first, or `npx nx run infra:cost -- --env=staging`, which does\.$/,
    );
  });

  it('GIVEN a variable unset since synth WHEN checked THEN the templates are refused', () => {
    const synthesizedStrict = {
      ...defaults,
      environment: { ...defaults.environment, CONTROL_TOWER: 'strict' },
    };
    expect(() => checkSynthSettings(synthesizedStrict, {})).toThrow(
      /CONTROL_TOWER was "strict", is unset/,
    );
  });
});

describe('describePricedConfiguration', () => {
  it('GIVEN recorded settings WHEN described THEN it names region, size, count, architecture, capacity and mode', () => {
    const settings = {
      ...defaults.settings,
      cpu: 512,
      memoryMiB: 1024,
      desiredCount: 2,
      spot: true,
    };
    expect(describePricedConfiguration({ ...defaults, settings })).toBe(
      'Priced: eu-west-1 · 0.5 vCPU, 1024 MiB · 2 tasks · X86_64 · Fargate Spot · controlTower=reference',
    );
  });

  it('GIVEN settings recorded for alb WHEN described THEN it names the mode and the autoscaling range', () => {
    const settings = { ...defaults.settings, ingress: 'alb', minTasks: 2, maxTasks: 6 };

    expect(describePricedConfiguration({ ...defaults, settings })).toBe(
      'Priced: eu-west-1 · 0.25 vCPU, 512 MiB · 2–6 tasks · X86_64 · on-demand · controlTower=reference · ingress=alb',
    );
  });

  it('GIVEN public-ip recorded WHEN described THEN the line reads as it did before the modes', () => {
    const settings = { ...defaults.settings, ingress: 'public-ip', minTasks: 1, maxTasks: 4 };

    expect(describePricedConfiguration({ ...defaults, settings })).toBe(
      describePricedConfiguration(defaults),
    );
  });

  it('GIVEN templates without a record WHEN described THEN it says the settings are unknown', () => {
    expect(describePricedConfiguration(undefined)).toMatch(/no record of the settings/);
  });
});
