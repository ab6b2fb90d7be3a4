#!/usr/bin/env bash
# Installs the Debian packages Berth's registry upstream and test suite use, when missing.
# As root it runs apt-get; otherwise it prints the exact command and stops.
set -euo pipefail
need=()
command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
command -v skopeo >/dev/null 2>&1 || need+=(skopeo)
command -v podman >/dev/null 2>&1 || need+=(podman)
command -v rpm >/dev/null 2>&1 || need+=(rpm)
command -v gpg >/dev/null 2>&1 || need+=(gpg)
# The scanner's tests read real package metadata and archives made by the real tools.
command -v ssh-keygen >/dev/null 2>&1 || need+=(openssh-client)
command -v jar >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v zstd >/dev/null 2>&1 || need+=(zstd)
[ -d /usr/lib/python3/dist-packages/yaml ] || need+=(python3-yaml)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi liberation || need+=(fonts-liberation)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql-15)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${need[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "Berth needs these Debian packages: ${need[*]}" >&2
  echo "Install them as root, then run again:" >&2
  echo "  sudo sh -c '$cmd'" >&2
  exit 1
fi
echo "Installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
