#!/usr/bin/env bash
# The whole suite: lint, types, build, unit + integration (real registry, skopeo, podman),
# the integration project again on the PostgreSQL store (a throwaway cluster), end-to-end
# (Playwright in Debian's Chromium). Installs missing Debian packages first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
echo "== lint"; npx eslint .
echo "== types"; npx tsc -b
echo "== build"; npm run build --silent
echo "== unit and integration"; npx vitest run
echo "== integration on PostgreSQL"; BERTH_TEST_DB=postgres npx vitest run --project integration
echo "== end-to-end"; npx playwright test
