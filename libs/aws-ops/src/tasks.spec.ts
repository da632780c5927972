import { imageTagOf, summarizeTask, taskIdOf } from './tasks';
import { ENI_ID, TASK_ARN, TASK_ID, runningTask } from './testing/fixtures';

describe('imageTagOf', () => {
  it.each([
    [
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/repo:sha-1a2b3c4-ecr-ecs-fargate',
      'sha-1a2b3c4-ecr-ecs-fargate',
    ],
    ['localhost:5050/repo:v1', 'v1'],
    ['localhost:5050/repo', undefined],
    ['repo:v1@sha256:abc', 'v1'],
    [undefined, undefined],
  ])('%s → %s', (image, tag) => expect(imageTagOf(image)).toBe(tag));
});

describe('taskIdOf', () => {
  it('takes the id from a task ARN', () => expect(taskIdOf(TASK_ARN)).toBe(TASK_ID));
});

describe('summarizeTask', () => {
  it('GIVEN a task without attachments yet (PROVISIONING) THEN has no ENI or IPs', () => {
    const summary = summarizeTask(
      runningTask({ lastStatus: 'PROVISIONING', attachments: [], containers: [] }),
    );
    expect(summary).toMatchObject({
      lastStatus: 'PROVISIONING',
      networkInterfaceId: undefined,
      privateIp: undefined,
    });
  });

  it('reads the ENI id from the attachment details', () => {
    expect(summarizeTask(runningTask()).networkInterfaceId).toBe(ENI_ID);
  });
});
