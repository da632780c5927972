/** The port the service listens on, in the container and in the security group. */
export const APP_PORT = 49000;

/** Default bind address: every interface, as a container needs. */
export const DEFAULT_BIND = '0.0.0.0';

/** Path the container health check calls. */
export const HEALTH_PATH = '/health';

/**
 * How long the service lets in-flight requests finish after SIGTERM before it closes them.
 * Kept well inside ECS's stop timeout so the task exits on its own instead of being killed.
 */
export const DEFAULT_DRAIN_TIMEOUT_MS = 5_000;

/** Seconds ECS waits after SIGTERM before SIGKILL: the drain budget plus room to flush logs. */
export const STOP_TIMEOUT_SECONDS = Math.ceil(DEFAULT_DRAIN_TIMEOUT_MS / 1000) + 5;

/** How long an idle keep-alive connection stays open, by default (Node's own default). */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 5_000;

/**
 * Behind a load balancer the service must keep idle connections open longer than the balancer
 * does (ALB: 60 s), or the balancer may send a request on a socket the service just closed and
 * answer 502. The alb ingress mode sets KEEP_ALIVE_TIMEOUT_MS to this.
 */
export const ALB_IDLE_TIMEOUT_SECONDS = 60;
export const ALB_KEEP_ALIVE_TIMEOUT_MS = (ALB_IDLE_TIMEOUT_SECONDS + 5) * 1000;

/** Where the image puts the bundled service; the task definition and Dockerfile agree on it. */
export const CONTAINER_WORKDIR = '/app';

/** uid:gid the container runs as: the official Node image's unprivileged `node` user. */
export const CONTAINER_USER = '1000:1000';

/** Health check run inside the container by node itself (no curl or wget in the image). */
export const CONTAINER_HEALTHCHECK_COMMAND = ['node', `${CONTAINER_WORKDIR}/healthcheck.js`];
