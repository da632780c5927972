import {
  APP_PORT,
  CONTAINER_HEALTHCHECK_COMMAND,
  CONTAINER_USER,
  CONTAINER_WORKDIR,
} from '@hello-world/shared';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCKERFILE } from './docker';
import { workspaceRoot } from './workspace';

// The Dockerfile cannot import @hello-world/shared, so it restates a few constants; this keeps
// them in step with the task definition that reads the same constants.
const text = readFileSync(join(workspaceRoot, DOCKERFILE), 'utf8');
const instructions = text
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'))
  .map((line) => {
    const [keyword = '', ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });
const argsOf = (keyword: string) =>
  instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

describe('apps/hello-world/Dockerfile', () => {
  it('takes its base image as a pinned build arg declared before FROM, with no syntax line', () => {
    // GIVEN the Dockerfile WHEN read THEN BASE_IMAGE defaults to an official Node 24 patch release
    expect(instructions[0]?.keyword).toBe('ARG');
    expect(instructions[0]?.args).toMatch(/^BASE_IMAGE=node:24\.\d+\.\d+-[a-z-]+$/);
    expect(argsOf('FROM')).toEqual(['${BASE_IMAGE}']);
    expect(text).not.toMatch(/^#\s*syntax=/m);
  });

  it('uses the shared workdir, user and port', () => {
    expect(argsOf('WORKDIR')).toEqual([CONTAINER_WORKDIR]);
    expect(argsOf('USER')).toEqual([CONTAINER_USER]);
    expect(argsOf('EXPOSE')).toEqual([String(APP_PORT)]);
  });

  it('health-checks with the shared node command, in exec form', () => {
    const [healthcheck] = argsOf('HEALTHCHECK');
    expect(
      healthcheck?.endsWith(
        `CMD ${JSON.stringify(CONTAINER_HEALTHCHECK_COMMAND).replace(/","/g, '", "')}`,
      ),
    ).toBe(true);
  });

  it('starts node itself as PID 1 in exec form, with no entrypoint wrapper', () => {
    expect(argsOf('ENTRYPOINT')).toEqual(['[]']);
    expect(JSON.parse(argsOf('CMD')[0] ?? '')).toEqual(['node', `${CONTAINER_WORKDIR}/main.js`]);
  });

  it('labels source, version and revision from build args', () => {
    const labels = argsOf('LABEL').join(' ');
    for (const key of ['source', 'version', 'revision']) {
      expect(labels).toContain(
        `org.opencontainers.image.${key}="\${${key === 'source' ? 'SOURCE' : key.toUpperCase()}}"`,
      );
    }
  });
});
