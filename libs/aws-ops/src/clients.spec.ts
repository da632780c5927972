import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { CLIENT_SERVICE_IDS } from './client-config';
import { createAwsClients } from './clients';
import { getStackOutputs } from './stacks';

// A real HTTP server standing in for an AWS-compatible endpoint (LocalStack, MinIO-style gateways).
let server: Server;
let requests: { body: string; auth?: string }[] = [];
const saved = { ...process.env };

const DESCRIBE_STACKS_XML = `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <DescribeStacksResult><Stacks><member>
    <StackName>hello-world-ecr-ecs-fargate</StackName>
    <StackId>arn:aws:cloudformation:eu-west-1:123456789012:stack/hello-world-ecr-ecs-fargate/1a2b</StackId>
    <StackStatus>CREATE_COMPLETE</StackStatus>
    <CreationTime>2026-11-25T18:00:00Z</CreationTime>
    <Outputs><member><OutputKey>ECSClusterName</OutputKey><OutputValue>hello-world-ecr-ecs-fargate</OutputValue></member></Outputs>
  </member></Stacks></DescribeStacksResult>
  <ResponseMetadata><RequestId>5ccc7dcd-744c-11e5-be70-example</RequestId></ResponseMetadata>
</DescribeStacksResponse>`;

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    requests.push({ body: await readBody(req), auth: req.headers.authorization });
    res.writeHead(200, { 'content-type': 'text/xml' }).end(DESCRIBE_STACKS_XML);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  });
});

afterAll(async () => {
  process.env = saved;
  await new Promise((resolve) => server.close(resolve));
});

describe('createAwsClients', () => {
  it('GIVEN AWS_ENDPOINT_URL THEN the clients call that endpoint, signed for the chosen region', async () => {
    requests = [];
    const { cfn } = createAwsClients({ region: 'eu-central-1' });
    const outputs = await getStackOutputs(cfn, 'hello-world-ecr-ecs-fargate', 'eu-central-1');
    expect(outputs).toEqual({ ECSClusterName: 'hello-world-ecr-ecs-fargate' });
    expect(requests[0].body).toContain('Action=DescribeStacks');
    expect(requests[0].auth).toContain('/eu-central-1/cloudformation/aws4_request');
  });

  it('GIVEN the clients THEN their SDK service ids are the ones whose endpoint variables are checked', () => {
    // The SDK derives AWS_ENDPOINT_URL_<ID> from serviceId; a new client must join the list.
    const ids = Object.values(createAwsClients({ region: 'eu-west-1' })).map(
      (client) => (client.config as { serviceId?: string }).serviceId,
    );
    expect(ids.sort()).toEqual([...CLIENT_SERVICE_IDS].sort());
  });
});
