#!/usr/bin/env bash
# The whole suite: lint, types, build, unit + integration (real registry, skopeo, podman),
# end-to-end (Playwright in Debian's Chromium). Installs missing Debian packages first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
echo "== lint"; npx eslint .
echo "== types"; npx tsc -b
echo "== build"; npm run build --silent
echo "== unit and integration"; npx vitest run
echo "== end-to-end"; npx playwright test
