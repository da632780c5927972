import { diagnoseStoppedTasks, explainPullFailure } from './findings';
import { summarizeTask } from './tasks';
import {
  EXEC_FORMAT_LOG,
  PULL_ERROR_DENIED,
  PULL_ERROR_NOT_FOUND,
  PULL_ERROR_TIMEOUT,
  stoppedTask,
} from './testing/fixtures';

const line = (message: string) => ({ timestamp: 0, message, logStreamName: 's' });
const failedToStart = (reason: string) =>
  summarizeTask(
    stoppedTask(
      reason,
      { reason: reason.split(':')[0] },
      { stopCode: 'TaskFailedToStart', startedAt: undefined },
    ),
  );

describe('explainPullFailure', () => {
  it('GIVEN "not found" THEN the tag is missing and the fix pushes it', () => {
    expect(explainPullFailure(PULL_ERROR_NOT_FOUND, {})).toMatchObject({
      cause: 'the image tag is not in the repository',
      fix: expect.stringContaining('hello-world:docker-push'),
    });
  });

  it('GIVEN an i/o timeout and no public IP THEN blames the missing public IP', () => {
    expect(explainPullFailure(PULL_ERROR_TIMEOUT, { assignPublicIp: 'DISABLED' }).cause).toMatch(
      /no public IP/,
    );
  });

  it('GIVEN an i/o timeout with a public IP THEN blames the route to the internet gateway', () => {
    expect(explainPullFailure(PULL_ERROR_TIMEOUT, { assignPublicIp: 'ENABLED' }).cause).toMatch(
      /no network route/,
    );
  });

  it('GIVEN 403 Forbidden THEN blames the execution role', () => {
    expect(explainPullFailure(PULL_ERROR_DENIED, {}).cause).toMatch(/execution role/);
  });
});

describe('diagnoseStoppedTasks', () => {
  it('GIVEN a CannotPullContainerError THEN reports image-pull-failed with the stop reason as evidence', () => {
    const findings = diagnoseStoppedTasks(
      [{ task: failedToStart(PULL_ERROR_NOT_FOUND), logTail: [] }],
      {},
    );
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'image-pull-failed',
        severity: 'error',
        evidence: [expect.stringContaining('CannotPullContainerError')],
      }),
    ]);
  });

  it('GIVEN "exec format error" in the logs THEN reports a CPU architecture mismatch for the task platform', () => {
    const task = summarizeTask(
      stoppedTask('Essential container in task exited', { exitCode: 255 }),
    );
    const [finding] = diagnoseStoppedTasks([{ task, logTail: [line(EXEC_FORMAT_LOG)] }], {
      cpuArchitecture: 'ARM64',
    });
    expect(finding).toMatchObject({
      code: 'cpu-architecture-mismatch',
      evidence: expect.arrayContaining([`log: ${EXEC_FORMAT_LOG}`]),
      fix: expect.stringContaining('--platform linux/arm64'),
    });
  });

  it('GIVEN exit 137 THEN reports out of memory at the task size', () => {
    const task = summarizeTask(
      stoppedTask('OutOfMemoryError: Container killed due to memory usage', {
        exitCode: 137,
        reason: 'OutOfMemoryError: Container killed due to memory usage',
      }),
    );
    const [finding] = diagnoseStoppedTasks([{ task, logTail: [] }], { taskMemoryMiB: '512' });
    expect(finding).toMatchObject({
      code: 'out-of-memory',
      what: expect.stringContaining('exit 137) at 512 MiB'),
    });
    expect(finding.evidence[0]).toMatch(/exit code 137/);
  });

  it('GIVEN several tasks exiting with code 1 THEN reports a crash loop with the last log lines', () => {
    const crash = summarizeTask(stoppedTask('Essential container in task exited', { exitCode: 1 }));
    const logTail = [line('{"level":50,"msg":"boom"}'), line('Error: listen EADDRINUSE')];
    const findings = diagnoseStoppedTasks(
      [
        { task: crash, logTail },
        { task: crash, logTail },
      ],
      {},
    );
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'crash-loop',
        what: expect.stringContaining('2 tasks stopped'),
        evidence: expect.arrayContaining(['log: Error: listen EADDRINUSE']),
      }),
    ]);
  });

  it('GIVEN a failed container health check THEN reports it', () => {
    const task = summarizeTask(
      stoppedTask(
        'Task failed container health checks',
        {},
        { stopCode: 'ServiceSchedulerInitiated' },
      ),
    );
    expect(diagnoseStoppedTasks([{ task, logTail: [] }], {})[0].code).toBe('health-check-failed');
  });

  it('GIVEN tasks stopped on purpose by a deployment THEN finds nothing', () => {
    const task = summarizeTask(
      stoppedTask(
        'Scaling activity initiated by (deployment ecs-svc/1)',
        { exitCode: 0 },
        {
          stopCode: 'ServiceSchedulerInitiated',
        },
      ),
    );
    expect(diagnoseStoppedTasks([{ task, logTail: [] }], {})).toEqual([]);
  });
});

describe("findings for another deployment's project (greeter-infra, service greeter)", () => {
  const greeter = { service: 'greeter', project: 'greeter-infra' };

  it('GIVEN "not found" THEN the fix pushes with greeter:docker-push and deploys with greeter-infra:deploy', () => {
    expect(explainPullFailure(PULL_ERROR_NOT_FOUND, greeter).fix).toBe(
      'push the image with `npx nx run greeter:docker-push`, then `npx nx run greeter-infra:deploy`',
    );
  });

  it('GIVEN a crash loop THEN the fix reads greeter-infra:logs', () => {
    const crash = summarizeTask(stoppedTask('Essential container in task exited', { exitCode: 1 }));
    const findings = diagnoseStoppedTasks(
      [
        { task: crash, logTail: [] },
        { task: crash, logTail: [] },
      ],
      greeter,
    );
    expect(findings.map((f) => f.fix)).toEqual([
      'fix the error in the last log lines, push a new image and redeploy; `npx nx run greeter-infra:logs -- --task ID` shows more',
    ]);
  });
});
