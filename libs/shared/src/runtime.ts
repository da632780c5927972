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
