import { loadConfig } from './config';
import { recordSynthSettings } from './synth-settings';

describe('recordSynthSettings', () => {
  it('GIVEN TASK_CPU and TASK_MEMORY_MIB set WHEN recorded THEN the resolved settings and every priced variable are written', () => {
    // GIVEN
    const env = { TASK_CPU: '512', TASK_MEMORY_MIB: '1024', IMAGE_TAG: 'v1.2.3-ecr-ecs-fargate' };
    const config = loadConfig(() => undefined, env);
    // WHEN
    const record = recordSynthSettings(config, env);
    // THEN
    expect(record).toEqual({
      settings: {
        region: 'eu-west-1',
        cpu: 512,
        memoryMiB: 1024,
        desiredCount: 1,
        architecture: 'X86_64',
        spot: false,
        controlTower: 'reference',
        ingress: 'public-ip',
      },
      environment: {
        AWS_REGION: null,
        AWS_DEFAULT_REGION: null,
        TASK_CPU: '512',
        TASK_MEMORY_MIB: '1024',
        DESIRED_COUNT: null,
        CPU_ARCHITECTURE: null,
        FARGATE_SPOT: null,
        CONTROL_TOWER: null,
        INGRESS: null,
        MIN_TASKS: null,
        MAX_TASKS: null,
      },
    });
  });

  it('GIVEN a variable set to the empty string WHEN recorded THEN it counts as unset, as synth reads it', () => {
    const env = { DESIRED_COUNT: '' };
    expect(
      recordSynthSettings(
        loadConfig(() => undefined, env),
        env,
      ).environment['DESIRED_COUNT'],
    ).toBeNull();
  });

  it('GIVEN INGRESS=alb with MAX_TASKS WHEN recorded THEN the mode, its task range and the variables', () => {
    const env = {
      INGRESS: 'alb',
      DOMAIN_NAME: 'hello.example.com',
      HOSTED_ZONE_ID: 'Z0123456789ABCDEFGHIJ',
      HOSTED_ZONE_NAME: 'example.com',
      MAX_TASKS: '6',
    };
    const record = recordSynthSettings(
      loadConfig(() => undefined, env),
      env,
    );
    expect(record.settings).toMatchObject({ ingress: 'alb', minTasks: 1, maxTasks: 6 });
    expect(record.environment).toMatchObject({ INGRESS: 'alb', MIN_TASKS: null, MAX_TASKS: '6' });
  });
});
