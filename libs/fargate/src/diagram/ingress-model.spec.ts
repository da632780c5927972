import { buildArchitecture, type Architecture, type DiagramGroup } from './architecture-model';
import { DOMAIN, withAlbIngress, withDnsIngress, ZONE_ID } from './ingress-test-templates';
import { readSynthesizedAssembly } from './test-assembly';

function allGroups(groups: readonly DiagramGroup[]): DiagramGroup[] {
  return groups.flatMap((group) => [group, ...allGroups(group.groups)]);
}

function nodeTitled(architecture: Architecture, title: string) {
  const node = architecture.nodes.find((n) => n.title === title);
  if (!node)
    throw new Error(`no node ${title}: ${architecture.nodes.map((n) => n.title).join(', ')}`);
  return node;
}

/** The label of the edge between two nodes, or undefined when there is none. */
function edgeBetween(architecture: Architecture, from: string, to: string) {
  return architecture.edges.find((e) => e.from === from && e.to === to)?.label;
}

const SERVICE_TITLE = 'ECS service';

describe('buildArchitecture: dns ingress', () => {
  const architecture = buildArchitecture(withDnsIngress());
  const fn = nodeTitled(architecture, 'Lambda function');
  const record = nodeTitled(architecture, 'Route 53 record');
  const rule = architecture.nodes.find(
    (n) => n.title === 'EventBridge rule' && n.lines[0] === 'hello-world-ecr-ecs-fargate-dns',
  );

  it('GIVEN the updater function WHEN drawn THEN it shows its name, runtime, size and the name it keeps', () => {
    expect(fn.lines).toEqual([
      'hello-world-ecr-ecs-fargate-dns',
      'nodejs24.x · arm64 · 128 MB · 30 s',
      `keeps ${DOMAIN} = running tasks' IPs`,
    ]);
  });

  it('GIVEN the record the function keeps WHEN drawn THEN users look it up and it names its TTL, owner marker and zone', () => {
    expect(record.lines).toEqual([
      `${DOMAIN} A · TTL 60 s → the tasks' public IPs`,
      `owner TXT _ecs-owner.${DOMAIN}`,
      `zone ${ZONE_ID}`,
    ]);
    expect(edgeBetween(architecture, 'Users', record.id)).toBe('DNS lookup');
  });

  it('GIVEN the rule on task state changes WHEN drawn THEN service → rule → function → record is one flow, outside monitoring', () => {
    const service = nodeTitled(architecture, SERVICE_TITLE);
    const monitoring = allGroups(architecture.groups).find((g) => g.kind === 'monitoring');

    expect(rule).toBeDefined();
    expect(rule?.lines[1]).toBe('ECS Task State Change: RUNNING, STOPPED');
    expect(edgeBetween(architecture, service.id, rule?.id ?? '')).toBe('task state changes');
    expect(edgeBetween(architecture, rule?.id ?? '', fn.id)).toBe('invokes');
    expect(edgeBetween(architecture, fn.id, record.id)).toBe('UPSERT A, TXT');
    expect(monitoring?.nodeIds).not.toContain(rule?.id);
  });

  it('GIVEN the dead-letter queue, the permission and the log group WHEN drawn THEN the queue is a box, the permission folds in, the logs are an edge', () => {
    const queue = nodeTitled(architecture, 'SQS dead-letter queue');

    expect(edgeBetween(architecture, rule?.id ?? '', queue.id)).toBe('undelivered events');
    expect(architecture.nodes.some((n) => n.title.startsWith('AWS::'))).toBe(false);
    expect(architecture.edges.some((e) => e.from === fn.id && e.label === 'logs')).toBe(true);
  });

  it('GIVEN the dns templates WHEN drawn THEN users still reach the task at its public IP', () => {
    const task = nodeTitled(architecture, 'Fargate task');

    expect(
      architecture.edges.some((e) => e.to === task.id && e.label.startsWith('public IP')),
    ).toBe(true);
  });
});

describe('buildArchitecture: alb ingress', () => {
  const architecture = buildArchitecture(withAlbIngress());
  const balancer = nodeTitled(architecture, 'Application Load Balancer');
  const targetGroup = nodeTitled(architecture, 'Target group');
  const task = nodeTitled(architecture, 'Fargate task');

  it('GIVEN the load balancer WHEN drawn THEN it spans two AZs and shows its listeners', () => {
    expect(balancer.lines).toEqual([
      'internet-facing · 2 AZs: 10.0.1.0/24, 10.0.2.0/24',
      'idle timeout 60 s',
      'HTTPS 443 (ELBSecurityPolicy-TLS13-1-2-2021-06) → target group',
      'HTTP 80 → 301 to HTTPS 443',
    ]);
  });

  it('GIVEN the alias record WHEN drawn THEN users → Route 53 alias → load balancer → target group → task', () => {
    const alias = nodeTitled(architecture, 'Route 53 alias record');

    expect(alias.lines).toEqual([`${DOMAIN} A → load balancer`, `zone ${ZONE_ID}`]);
    expect(edgeBetween(architecture, 'Users', alias.id)).toBe('DNS lookup');
    expect(edgeBetween(architecture, alias.id, balancer.id)).toBe('alias');
    expect(edgeBetween(architecture, balancer.id, targetGroup.id)).toBe('HTTPS 443');
    expect(edgeBetween(architecture, targetGroup.id, task.id)).toBe('HTTP :49000');
  });

  it('GIVEN the target group WHEN drawn THEN it shows its health check and deregistration delay', () => {
    expect(targetGroup.lines).toEqual([
      'HTTP :49000 · ip targets',
      'health /health',
      'deregistration delay 10 s',
    ]);
  });

  it('GIVEN tasks behind the load balancer WHEN drawn THEN no edge reaches the task from the internet gateway', () => {
    expect(
      architecture.edges.some((e) => e.to === task.id && e.label.startsWith('public IP')),
    ).toBe(false);
  });

  it("GIVEN the service's group admits the port from the load balancer's WHEN drawn THEN both groups say so", () => {
    const groups = allGroups(architecture.groups).filter((g) => g.kind === 'securityGroup');

    expect(groups.flatMap((g) => g.lines)).toEqual(
      expect.arrayContaining([
        "in: tcp 49000 from the load balancer's group",
        "out: tcp 49000 to the service's group",
        'in: tcp 443 from AllowedIP (default 0.0.0.0/0)',
      ]),
    );
    expect(groups.find((g) => g.nodeIds.includes(balancer.id))).toBeDefined();
  });

  it('GIVEN the certificate WHEN drawn THEN it is a box giving TLS to the load balancer', () => {
    const certificate = nodeTitled(architecture, 'ACM certificate');

    expect(certificate.lines).toEqual([DOMAIN, `DNS-validated in zone ${ZONE_ID}`]);
    expect(edgeBetween(architecture, certificate.id, balancer.id)).toBe('TLS on 443');
  });

  it('GIVEN autoscaling from 1 to 4 tasks WHEN drawn THEN its box sets the service’s desired count, which reads 1–4', () => {
    const scaling = nodeTitled(architecture, 'Application Auto Scaling');
    const service = nodeTitled(architecture, SERVICE_TITLE);

    expect(scaling.lines).toEqual([
      '1 to 4 tasks',
      'target CPU 60%',
      'target 500 requests per task a minute',
    ]);
    expect(edgeBetween(architecture, scaling.id, service.id)).toBe('sets the desired count');
    expect(service.lines[1]).toBe('1–4 tasks on FARGATE, autoscaled');
  });

  it('GIVEN the load balancer in two subnets WHEN drawn THEN each subnet holds one of its nodes with a public address', () => {
    const subnets = allGroups(architecture.groups).filter((g) => g.kind === 'subnet');
    const nodes = architecture.nodes.filter((n) => n.title === 'Load balancer node');

    expect(nodes.map((n) => n.lines)).toEqual([
      ['first AZ · public IPv4 address'],
      ['second AZ · public IPv4 address'],
    ]);
    expect(subnets.map((g) => g.nodeIds.filter((id) => nodes.some((n) => n.id === id)))).toEqual(
      nodes.map((n) => [n.id]),
    );
  });

  it('GIVEN the second subnet WHEN drawn THEN it is in the second AZ', () => {
    expect(
      allGroups(architecture.groups)
        .filter((g) => g.kind === 'subnet')
        .map((g) => [g.title, g.lines]),
    ).toEqual([
      ['Subnet 10.0.1.0/24', ['first AZ · public IP on launch']],
      ['Subnet 10.0.2.0/24', ['second AZ · public IP on launch']],
    ]);
  });

  it('GIVEN the alb templates WHEN drawn THEN no resource is left as a bare type box', () => {
    expect(
      architecture.nodes.filter((n) => n.title.startsWith('AWS::')).map((n) => n.title),
    ).toEqual([]);
  });
});

describe('buildArchitecture: public-ip', () => {
  it('GIVEN the default templates WHEN drawn THEN none of the ingress boxes appear', () => {
    const titles = buildArchitecture(readSynthesizedAssembly()).nodes.map((n) => n.title);

    expect(
      titles.filter((t) => /Load Balancer|Route 53|Lambda|Target group|Auto Scaling|ACM/.test(t)),
    ).toEqual([]);
  });
});
