import { DEPLOYMENT_NAME, deployedImageTag } from './names';
import { isImageTag } from './patterns';

describe('deployedImageTag', () => {
  it('GIVEN the default service stack THEN names its marker deployed-<stack>, a valid image tag', () => {
    const tag = deployedImageTag(DEPLOYMENT_NAME);
    expect(tag).toBe('deployed-hello-world-ecr-ecs-fargate');
    expect(isImageTag(tag)).toBe(true);
  });
});
