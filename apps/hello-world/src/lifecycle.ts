/** Process state the request path needs to know; main flips `draining` on the first SIGTERM. */
export interface Lifecycle {
  draining: boolean;
}
