// The deploy's ingress reading and switch listing against the templates the app really
// synthesizes (slow: three synths, with cdk-nag and the Control Tower rules).
import { synthesizeApp } from '../synth-for-test';
import { readTemplateIngress, type CfnTemplate } from './ingress-preflight';
import { diffTemplates } from './ingress-switch';

const RECORD = {
  domainName: 'api.example.com',
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  hostedZoneName: 'example.com',
};

let publicIp: CfnTemplate;
let dns: CfnTemplate;
let alb: CfnTemplate;

beforeAll(() => {
  publicIp = synthesizeApp().service.toJSON() as CfnTemplate;
  dns = synthesizeApp({ ingress: 'dns', ...RECORD }).service.toJSON() as CfnTemplate;
  alb = synthesizeApp({ ingress: 'alb', ...RECORD }).service.toJSON() as CfnTemplate;
}, 180_000);

const summary = (live: CfnTemplate, next: CfnTemplate) =>
  diffTemplates(live, next).map((c) => `${c.action} ${c.type}`);

describe('readTemplateIngress on the synthesized service stacks', () => {
  it('GIVEN the default settings THEN public-ip', () => {
    expect(readTemplateIngress(publicIp, 'public-ip')).toEqual({ mode: 'public-ip' });
  });

  it('GIVEN INGRESS=dns THEN dns with the domain, zone id and zone name its outputs carry', () => {
    expect(readTemplateIngress(dns, 'dns')).toEqual({
      mode: 'dns',
      domainName: RECORD.domainName,
      hostedZoneId: RECORD.hostedZoneId,
      hostedZoneName: RECORD.hostedZoneName,
    });
  });

  it('GIVEN INGRESS=alb THEN alb with the domain, zone id and zone name its outputs carry', () => {
    expect(readTemplateIngress(alb, 'alb')).toEqual({
      mode: 'alb',
      domainName: RECORD.domainName,
      hostedZoneId: RECORD.hostedZoneId,
      hostedZoneName: RECORD.hostedZoneName,
    });
  });
});

describe('diffTemplates between the synthesized modes', () => {
  it('GIVEN public-ip to dns THEN only additions: the updater, its rule, log group and queue', () => {
    const changes = summary(publicIp, dns);
    expect(changes.every((c) => c.startsWith('add '))).toBe(true);
    expect(changes).toEqual(
      expect.arrayContaining(['add AWS::Lambda::Function', 'add AWS::Events::Rule']),
    );
  });

  it('GIVEN public-ip to alb THEN the load balancer and alias added, the service group replaced, the service changed', () => {
    const changes = summary(publicIp, alb);
    expect(changes).toEqual(
      expect.arrayContaining([
        'add AWS::ElasticLoadBalancingV2::LoadBalancer',
        'add AWS::Route53::RecordSet',
        'add AWS::CertificateManager::Certificate',
        'replace AWS::EC2::SecurityGroup',
        'change AWS::ECS::Service',
      ]),
    );
    expect(changes.filter((c) => c.startsWith('remove '))).toEqual([]);
  });

  it('GIVEN alb back to public-ip THEN the load balancer and its alias are removed', () => {
    expect(summary(alb, publicIp)).toEqual(
      expect.arrayContaining([
        'remove AWS::ElasticLoadBalancingV2::LoadBalancer',
        'remove AWS::Route53::RecordSet',
      ]),
    );
  });
});
