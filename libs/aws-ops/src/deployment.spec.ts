import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { DeploymentProgress, forceNewDeployment, waitForDeployment } from './deployment';
import { fakeClock } from './testing/fake-clock';
import {
  DEPLOYMENT_ID,
  NAME,
  OLD_DEPLOYMENT_ID,
  OLD_TASK_DEF_ARN,
  deployment,
  failedRolloutService,
  service,
} from './testing/fixtures';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({});
const ref = { cluster: NAME, service: NAME };
beforeEach(() => ecsMock.reset());

const inProgress = (
  running: number,
  pending: number,
  extraEvents: { id: string; message: string }[] = [],
) =>
  service({
    runningCount: 1,
    deployments: [
      deployment({ rolloutState: 'IN_PROGRESS', runningCount: running, pendingCount: pending }),
      deployment({ id: OLD_DEPLOYMENT_ID, status: 'ACTIVE', taskDefinition: OLD_TASK_DEF_ARN }),
    ],
    events: [...extraEvents, ...(service().events ?? [])],
  });

describe('forceNewDeployment', () => {
  it('GIVEN UpdateService starts a deployment THEN returns the new PRIMARY id', async () => {
    ecsMock
      .on(UpdateServiceCommand, { cluster: NAME, service: NAME, forceNewDeployment: true })
      .resolves({ service: inProgress(0, 0) });
    expect(await forceNewDeployment(ecs, ref)).toBe(DEPLOYMENT_ID);
  });
});

describe('waitForDeployment', () => {
  it('GIVEN the rollout completes on the third poll THEN reports progress each poll and completes', async () => {
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [inProgress(0, 1)] })
      .resolvesOnce({
        services: [
          inProgress(0, 1, [
            { id: 'new-1', message: `(service ${NAME}) has started 1 tasks: (task abc).` },
          ]),
        ],
      })
      .resolves({ services: [service()] });
    const progress: DeploymentProgress[] = [];
    const clock = fakeClock();
    const result = await waitForDeployment(ecs, {
      ...ref,
      deploymentId: DEPLOYMENT_ID,
      timeoutMs: 600_000,
      clock,
      onProgress: (p) => progress.push(p),
    });
    expect(result).toMatchObject({
      outcome: 'completed',
      deploymentId: DEPLOYMENT_ID,
      elapsedMs: 12_000,
    });
    expect(progress.map((p) => p.rolloutState)).toEqual([
      'IN_PROGRESS',
      'IN_PROGRESS',
      'COMPLETED',
    ]);
    expect(progress[1].newEvents.map((e) => e.message)).toEqual([
      `(service ${NAME}) has started 1 tasks: (task abc).`,
    ]);
    // Events that were already there before the wait are not news.
    expect(progress[0].newEvents).toEqual([]);
    expect(clock.sleeps).toEqual([6000, 6000]);
  });

  it('GIVEN the circuit breaker fails the rollout and rolls back THEN the outcome is failed, with the reason', async () => {
    ecsMock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [inProgress(0, 1)] })
      .resolves({ services: [failedRolloutService()] });
    const progress: DeploymentProgress[] = [];
    const result = await waitForDeployment(ecs, {
      ...ref,
      deploymentId: DEPLOYMENT_ID,
      timeoutMs: 600_000,
      clock: fakeClock(),
      onProgress: (p) => progress.push(p),
    });
    expect(result.outcome).toBe('failed');
    expect(result.reason).toBe(
      'ECS deployment circuit breaker: tasks failed to start. (rolled back to ' +
        `${OLD_TASK_DEF_ARN}); 3 task(s) failed`,
    );
    expect(progress[1]).toMatchObject({ rolloutState: 'FAILED', failedTasks: 3 });
    expect(result.events.map((e) => e.message)).toContain(
      `(service ${NAME}) rolling back to deployment ${OLD_DEPLOYMENT_ID}.`,
    );
  });

  it('GIVEN the rollout never finishes THEN times out at the deadline without waiting past it', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [inProgress(0, 1)] });
    const clock = fakeClock();
    const result = await waitForDeployment(ecs, {
      ...ref,
      deploymentId: DEPLOYMENT_ID,
      timeoutMs: 15_000,
      clock,
    });
    expect(result.outcome).toBe('timed-out');
    expect(result.reason).toMatch(/still IN_PROGRESS after 15 s \(0\/1 running, 0 failed tasks\)/);
    expect(clock.sleeps).toEqual([6000, 6000, 3000]);
  });

  it('GIVEN no deployment id THEN follows the PRIMARY one', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [service()] });
    const result = await waitForDeployment(ecs, { ...ref, timeoutMs: 60_000, clock: fakeClock() });
    expect(result).toMatchObject({ outcome: 'completed', deploymentId: DEPLOYMENT_ID });
  });

  it('GIVEN the followed deployment is replaced by a newer one THEN fails saying so', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        service({
          deployments: [
            deployment({ id: 'ecs-svc/555', status: 'PRIMARY', rolloutState: 'IN_PROGRESS' }),
            deployment({ status: 'ACTIVE', rolloutState: 'IN_PROGRESS' }),
          ],
        }),
      ],
    });
    const result = await waitForDeployment(ecs, {
      ...ref,
      deploymentId: DEPLOYMENT_ID,
      timeoutMs: 60_000,
      clock: fakeClock(),
    });
    expect(result).toMatchObject({
      outcome: 'failed',
      reason: expect.stringContaining('replaced by ecs-svc/555'),
    });
  });

  it('GIVEN the signal aborts THEN the wait stops with an AbortError', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [inProgress(0, 1)] });
    const controller = new AbortController();
    controller.abort();
    await expect(
      waitForDeployment(ecs, {
        ...ref,
        timeoutMs: 60_000,
        clock: fakeClock(),
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});
