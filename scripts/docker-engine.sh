#!/usr/bin/env bash
# A local Docker engine for the tests that build and run the generated images; safe to rerun.
# Registries are unreachable here, so the Python base image is made once with debootstrap and
# kept as a local image (BASE_IMAGE); the generated Dockerfiles take it as a build argument.
set -euo pipefail

BASE_IMAGE="${MIGRATOR_BASE_IMAGE:-migrator/python-base:bookworm}"
DOCKER=/usr/bin/docker   # Debian's client: its BuildKit works with Debian's engine
LOG=/var/log/migrator-dockerd.log

need_apt=()
[ -x /usr/sbin/dockerd ] || need_apt+=(docker.io)
command -v docker-compose >/dev/null || need_apt+=(docker-compose)
command -v debootstrap >/dev/null || [ -x /usr/sbin/debootstrap ] || need_apt+=(debootstrap)
if [ ${#need_apt[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! "$DOCKER" info >/dev/null 2>&1; then
    # no systemd on these machines: the engine runs in the background and outlives this script
    nohup /usr/sbin/dockerd >"$LOG" 2>&1 &
    for _ in $(seq 60); do
        "$DOCKER" info >/dev/null 2>&1 && break
        sleep 0.5
    done
    "$DOCKER" info >/dev/null 2>&1 || { echo "dockerd did not start; see $LOG" >&2; tail -20 "$LOG" >&2; exit 1; }
fi

if ! "$DOCKER" image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    rootfs="$(mktemp -d)"
    trap 'rm -rf "$rootfs"' EXIT
    debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
        bookworm "$rootfs" http://deb.debian.org/debian >/dev/null
    # the images' "python" is the venv-less python3; slim images name it both ways
    ln -sf python3 "$rootfs/usr/bin/python"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -c . | "$DOCKER" import \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV LANG=C.UTF-8' \
        - "$BASE_IMAGE" >/dev/null
fi
