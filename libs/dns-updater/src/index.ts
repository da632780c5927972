// The dns ingress mode's record updater. No esbuild here: the bundle is built from
// `@hello-world/dns-updater/bundle`, at synth only.
export * from './service-ips';
export * from './service-record';
export * from './sync-record';
export * from './updater-env';
