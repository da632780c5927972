// The registry the push specs push to: $LOCAL_REGISTRY (host:port) if set, else a throwaway
// registry container on a free loopback port.
import { spawnSync } from 'node:child_process';
import { docker, waitFor } from './engine';

/** The registry started for the push tests when LOCAL_REGISTRY names none (Docker Hub's official one). */
const THROWAWAY_REGISTRY_IMAGE = 'registry:3.0.0';

/** The registry's address and how to stop what was started for it (nothing, for LOCAL_REGISTRY). */
export interface TestRegistry {
  address: string;
  stop: () => void;
}

/**
 * $LOCAL_REGISTRY, else a registry container on a free loopback port (the engine trusts loopback
 * registries over plain HTTP), removed again by `stop`.
 */
export async function provideRegistry(): Promise<TestRegistry> {
  const given = process.env['LOCAL_REGISTRY'];
  if (given) return { address: given, stop: () => undefined };
  let id = '';
  try {
    id = docker(
      'run',
      '--detach',
      '--rm',
      '--publish',
      '127.0.0.1::5000',
      THROWAWAY_REGISTRY_IMAGE,
    );
  } catch (error) {
    throw new Error(
      `LOCAL_REGISTRY is not set and no throwaway ${THROWAWAY_REGISTRY_IMAGE} could start (${(error as Error).message.split('\n').at(-1)}): set LOCAL_REGISTRY=host:port to a registry you run`,
      { cause: error },
    );
  }
  const stop = () => void spawnSync('docker', ['rm', '--force', id]);
  try {
    const address = docker('port', id, '5000/tcp').split('\n')[0] ?? '';
    await waitFor(`the registry on ${address}`, async () => {
      const answer = await fetch(`http://${address}/v2/`).catch(() => undefined);
      return answer?.ok ? true : undefined;
    });
    return { address, stop };
  } catch (error) {
    stop();
    throw error;
  }
}
