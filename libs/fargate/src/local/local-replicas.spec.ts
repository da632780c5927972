import {
  addressOn,
  buildProxyRunArgs,
  LOCAL_ROLE_LABEL,
  planReplicas,
  replacePoolMember,
} from './local-replicas';

const BASE = 'hello-world-ecr-ecs-fargate-local';

describe('planReplicas', () => {
  it('GIVEN no replicas THEN starts 1..N, replacing nothing', () => {
    const plan = planReplicas(BASE, 2, []);
    expect(plan).toEqual({
      steps: [
        { index: 1, name: `${BASE}-1`, next: `${BASE}-1-next` },
        { index: 2, name: `${BASE}-2`, next: `${BASE}-2-next` },
      ],
      retire: [],
      leftovers: [],
    });
  });

  it('GIVEN N running replicas THEN replaces each in turn (rolling)', () => {
    const plan = planReplicas(BASE, 3, [`${BASE}-1`, `${BASE}-2`, `${BASE}-3`]);
    expect(plan.steps.map((s) => s.old)).toEqual([`${BASE}-1`, `${BASE}-2`, `${BASE}-3`]);
    expect(plan.retire).toEqual([]);
  });

  it('GIVEN more replicas than asked THEN retires those above N, in order', () => {
    const plan = planReplicas(BASE, 2, [`${BASE}-10`, `${BASE}-1`, `${BASE}-3`, `${BASE}-2`]);
    expect(plan.steps).toHaveLength(2);
    expect(plan.retire).toEqual([`${BASE}-3`, `${BASE}-10`]);
  });

  it('GIVEN fewer replicas than asked THEN replaces those there and starts the rest', () => {
    const plan = planReplicas(BASE, 3, [`${BASE}-1`]);
    expect(plan.steps.map((s) => s.old ?? null)).toEqual([`${BASE}-1`, null, null]);
  });

  it('GIVEN a -next left by an interrupted deploy THEN removes it first', () => {
    const plan = planReplicas(BASE, 1, [`${BASE}-1`, `${BASE}-1-next`]);
    expect(plan.leftovers).toEqual([`${BASE}-1-next`]);
    expect(plan.steps[0]?.old).toBe(`${BASE}-1`);
  });
});

describe('replacePoolMember', () => {
  const one = { name: `${BASE}-1`, address: '172.18.0.3:49000' };
  const two = { name: `${BASE}-2`, address: '172.18.0.4:49000' };
  const next = { name: `${BASE}-1-next`, address: '172.18.0.5:49000' };

  it('GIVEN a new replica for an old one THEN the pool has the new one and not the old one', () => {
    expect(replacePoolMember([one, two], one.name, next)).toEqual([two, next]);
  });

  it('GIVEN only a removal THEN the pool keeps the others', () => {
    expect(replacePoolMember([one, two], two.name, undefined)).toEqual([one]);
  });

  it('GIVEN a renamed replica THEN it is in the pool once, at its unchanged address', () => {
    const renamed = { name: one.name, address: next.address };
    expect(replacePoolMember([two, next], next.name, renamed)).toEqual([two, renamed]);
  });
});

describe('addressOn', () => {
  it("GIVEN docker inspect's networks THEN the replica's address on the deployment's network", () => {
    const inspect = {
      NetworkSettings: {
        Networks: { bridge: { IPAddress: '172.17.0.2' }, [BASE]: { IPAddress: '172.18.0.3' } },
      },
    };
    expect(addressOn(inspect, BASE, 49000)).toBe('172.18.0.3:49000');
  });

  it('GIVEN a container not on the network THEN none', () => {
    expect(addressOn({ NetworkSettings: { Networks: {} } }, BASE, 49000)).toBeUndefined();
  });
});

describe('buildProxyRunArgs', () => {
  const args = buildProxyRunArgs({
    name: BASE,
    network: BASE,
    hostPort: 49001,
    containerPort: 49000,
    baseImage: 'node:24.21.0-trixie-slim',
    scriptPath: '/work/libs/fargate/src/local/replica-proxy.ts',
    service: 'hello-world',
    environment: 'default',
  });
  const valueOf = (flag: string) => args[args.indexOf(flag) + 1];

  it('THEN publishes the host port on the loopback only and joins the replicas network', () => {
    expect(valueOf('--publish')).toBe('127.0.0.1:49001:49000');
    expect(valueOf('--network')).toBe(BASE);
  });

  it('THEN runs the base image, unprivileged, read-only, with no capabilities', () => {
    expect(args.slice(-2)).toEqual([
      'node:24.21.0-trixie-slim',
      '/opt/replica-proxy/replica-proxy.mts',
    ]);
    expect(valueOf('--user')).toBe('1000:1000');
    expect(args).toEqual(expect.arrayContaining(['--read-only', '--cap-drop=ALL']));
  });

  it('THEN mounts the script read-only', () => {
    expect(valueOf('--mount')).toBe(
      'type=bind,source=/work/libs/fargate/src/local/replica-proxy.ts,target=/opt/replica-proxy/replica-proxy.mts,readonly',
    );
  });

  it('THEN is labelled the proxy, so status, logs and destroy know the deployment', () => {
    expect(args).toContain(`${LOCAL_ROLE_LABEL}=proxy`);
  });
});
