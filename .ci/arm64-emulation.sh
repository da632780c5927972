#!/usr/bin/env bash
# arm64-emulation.sh: lets this x86 machine run linux/arm64 binaries and containers, for the
# container test that runs the ARM64 image. Debian's qemu-user-static ships the handler; the
# kernel learns it through binfmt_misc (root). Its F flag makes the kernel open the interpreter
# now, so it also works inside containers, whose root filesystem has no qemu. Idempotent.
set -euo pipefail
conf=/usr/lib/binfmt.d/qemu-aarch64.conf
if [ ! -f "$conf" ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-user-static >/dev/null) \
    || { echo "arm64-emulation.sh: apt-get install qemu-user-static failed" >&2; exit 1; }
fi
binfmt=/proc/sys/fs/binfmt_misc
[ -f "$binfmt/register" ] || mount -t binfmt_misc binfmt_misc "$binfmt"
[ -f "$binfmt/qemu-aarch64" ] || cat "$conf" > "$binfmt/register"
grep -qx enabled "$binfmt/qemu-aarch64" || { echo "arm64-emulation.sh: the qemu-aarch64 handler is registered but disabled" >&2; exit 1; }
echo "arm64-emulation.sh: linux/arm64 binaries run through $(sed -n 's/^interpreter //p' "$binfmt/qemu-aarch64")" >&2
