import { DescribeNetworkInterfacesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeTasksCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { getServiceUrl } from './service-url';
import { NAME, PUBLIC_IP, TASK_ARN, networkInterface, runningTask } from './testing/fixtures';

const ecsMock = mockClient(ECSClient);
const ec2Mock = mockClient(EC2Client);
const clients = { ecs: new ECSClient({}), ec2: new EC2Client({}) };
const ref = { cluster: NAME, service: NAME };

beforeEach(() => {
  ecsMock.reset();
  ec2Mock.reset();
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [TASK_ARN] });
  ecsMock.on(DescribeTasksCommand).resolves({ tasks: [runningTask()] });
  ec2Mock.on(DescribeNetworkInterfacesCommand).resolves(networkInterface());
});

describe('getServiceUrl', () => {
  it('GIVEN a running task with a public IP THEN returns http://IP:49000', async () => {
    expect(await getServiceUrl(clients, ref)).toEqual({
      url: `http://${PUBLIC_IP}:49000`,
      publicIp: PUBLIC_IP,
      taskArn: TASK_ARN,
    });
  });

  it("GIVEN another deployment's port THEN the URL uses it", async () => {
    expect((await getServiceUrl(clients, ref, 49010)).url).toBe(`http://${PUBLIC_IP}:49010`);
  });

  it('GIVEN two running tasks mid-deployment THEN picks the newest', async () => {
    const newer = runningTask({
      taskArn: `${TASK_ARN}ff`,
      startedAt: new Date('2026-11-25T19:00:00Z'),
    });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [TASK_ARN, `${TASK_ARN}ff`] });
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [runningTask(), newer] });
    ec2Mock
      .on(DescribeNetworkInterfacesCommand)
      .resolvesOnce(networkInterface('54.1.1.1'))
      .resolves(networkInterface('54.2.2.2'));
    expect((await getServiceUrl(clients, ref)).url).toBe('http://54.2.2.2:49000');
  });

  it('GIVEN no task yet THEN says so with a next step', async () => {
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
    await expect(getServiceUrl(clients, ref)).rejects.toMatchObject({
      kind: 'no-running-task',
      message: expect.stringMatching(/no running task in service .*no task yet.*infra:status/),
    });
  });

  it('GIVEN a task still provisioning THEN names its state', async () => {
    ecsMock
      .on(DescribeTasksCommand)
      .resolves({ tasks: [runningTask({ lastStatus: 'PROVISIONING' })] });
    await expect(getServiceUrl(clients, ref)).rejects.toMatchObject({
      message: expect.stringContaining('is PROVISIONING'),
    });
  });

  it('GIVEN a running task without a public IP THEN points at doctor', async () => {
    ec2Mock.on(DescribeNetworkInterfacesCommand).resolves(networkInterface(null));
    await expect(getServiceUrl(clients, ref)).rejects.toMatchObject({
      kind: 'no-running-task',
      message: expect.stringContaining('has no public IP'),
    });
  });
});

describe("getServiceUrl for another deployment's project (greeter-infra)", () => {
  it('GIVEN no task yet THEN the next step is greeter-infra:status', async () => {
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
    await expect(getServiceUrl(clients, ref, 49010, 'greeter-infra')).rejects.toMatchObject({
      message: expect.stringMatching(/or run `npx nx run greeter-infra:status`$/),
    });
  });

  it('GIVEN a running task without a public IP THEN points at greeter-infra:doctor', async () => {
    ec2Mock.on(DescribeNetworkInterfacesCommand).resolves(networkInterface(null));
    await expect(getServiceUrl(clients, ref, 49010, 'greeter-infra')).rejects.toMatchObject({
      message: expect.stringMatching(/run `npx nx run greeter-infra:doctor`$/),
    });
  });
});
