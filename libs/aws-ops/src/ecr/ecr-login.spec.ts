import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { getEcrLogin } from './ecr-login';

const ecr = mockClient(ECRClient);
const endpoint = 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com';

beforeEach(() => ecr.reset());

describe('getEcrLogin', () => {
  it('decodes the authorization token into the user and password docker login needs', async () => {
    // GIVEN ECR answers with a token as the API reference shows it (base64 of AWS:<password>)
    ecr.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [
        {
          authorizationToken: Buffer.from('AWS:eyJwYXlsb2FkIjoi:c2VjcmV0').toString('base64'),
          expiresAt: new Date('2026-11-26T06:00:00Z'),
          proxyEndpoint: endpoint,
        },
      ],
    });
    // WHEN the login is requested
    const login = await getEcrLogin(new ECRClient({ region: 'eu-west-1' }));
    // THEN the password keeps everything after the first colon
    expect(login).toEqual({
      username: 'AWS',
      password: 'eyJwYXlsb2FkIjoi:c2VjcmV0',
      endpoint,
      expiresAt: new Date('2026-11-26T06:00:00Z'),
    });
  });

  it('fails with the permission to check when ECR returns no authorization data', async () => {
    // GIVEN an answer without authorization data
    ecr.on(GetAuthorizationTokenCommand).resolves({ authorizationData: [] });
    // WHEN / THEN the error names the permission
    await expect(getEcrLogin(new ECRClient({ region: 'eu-west-1' }))).rejects.toThrow(
      'ecr:GetAuthorizationToken',
    );
  });
});
