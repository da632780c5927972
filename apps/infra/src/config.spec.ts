import { stackNames } from './config';

it('names the main stack after the reference', () => {
  expect(stackNames.main).toBe('hello-world-ecr-ecs-fargate');
});
