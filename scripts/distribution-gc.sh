#!/usr/bin/env bash
# Frees the storage of a CNCF distribution registry behind Berth after deletes: runs its
# `garbage-collect` on the registry's own config file.
#
#   scripts/distribution-gc.sh /etc/docker/registry/config.yml [--dry-run]
#
# Stop the registry first, or put every instance in read-only maintenance mode
# (storage.maintenance.readonly.enabled: true): distribution's collector must not run while
# pushes land, or it can remove a blob a push has just uploaded. Berth keeps answering reads
# in read-only mode; pushes fail until the registry is writable again.
#
# `--delete-untagged` is refused: in distribution 2.8 it also deletes the platform manifests
# of tagged multi-arch indexes. Untagged artifacts are Berth's deletion policies' job; once
# they are deleted there, this collector frees their blobs.
set -euo pipefail
usage() { echo "usage: $0 CONFIG [--dry-run]" >&2; exit 2; }
[ $# -ge 1 ] || usage
config=$1
shift
[ -f "$config" ] || { echo "$0: no such config file: $config" >&2; exit 2; }
args=()
for arg in "$@"; do
  case "$arg" in
    --dry-run | -d) args+=(--dry-run) ;;
    --delete-untagged | -m)
      echo "$0: refusing $arg: distribution 2.8 deletes the children of tagged multi-arch indexes with it" >&2
      exit 2
      ;;
    *) usage ;;
  esac
done
exec "${DOCKER_REGISTRY_BIN:-docker-registry}" garbage-collect "${args[@]}" "$config"
