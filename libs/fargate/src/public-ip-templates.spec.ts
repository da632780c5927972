import { readFileSync } from 'node:fs';
import {
  PUBLIC_IP_CASES,
  PUBLIC_IP_FIXTURE,
  synthesizePublicIpCase,
} from './public-ip-templates-for-test';

// The templates of the default ingress mode (public-ip) as they were before the dns and alb modes
// (issue 16), committed before any of their code. A change here redeploys every existing stack:
// regenerate the fixture only for a change meant for public-ip too, and review its diff
// (`npx tsx -e "require('fs').writeFileSync(require('./libs/fargate/src/public-ip-templates-for-test').PUBLIC_IP_FIXTURE, JSON.stringify(require('./libs/fargate/src/public-ip-templates-for-test').synthesizePublicIpTemplates(), null, 2) + '\n')"`).
const fixture = JSON.parse(readFileSync(PUBLIC_IP_FIXTURE, 'utf8')) as Record<
  string,
  Record<string, unknown>
>;

describe('the public-ip (default) templates', () => {
  it('cover every case the fixture was made from', () => {
    expect(Object.keys(fixture).sort()).toEqual(Object.keys(PUBLIC_IP_CASES).sort());
  });

  it.each(Object.keys(PUBLIC_IP_CASES))(
    'GIVEN the %s deployment with no ingress setting WHEN synthesized THEN every template is the reviewed one',
    (name) => {
      expect(synthesizePublicIpCase(name)).toEqual(fixture[name]);
    },
  );
});
