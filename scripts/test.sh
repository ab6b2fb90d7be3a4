#!/usr/bin/env bash
# The whole suite: lint, types, build, unit, the packages' tests against real servers, the embedded registry's conformance suite, and
# the integration project (real skopeo and podman through Berth) three times: on Berth's
# embedded registry with SQLite, on Debian's CNCF distribution with SQLite, and on the
# embedded registry with PostgreSQL (a throwaway cluster); then end-to-end (Playwright in
# Debian's Chromium). Installs missing Debian packages first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
echo "== lint"; npx eslint .
echo "== types"; npx tsc -b
echo "== build"; npm run build --silent
echo "== unit, packages against real servers, registry conformance, integration (embedded registry, SQLite)"; npx vitest run
echo "== integration (CNCF distribution, SQLite)"; BERTH_TEST_UPSTREAM=distribution npx vitest run --project integration --exclude "**/scale-out.test.ts" --exclude "**/crash.test.ts" --exclude "**/delete-status.test.ts" --exclude "**/faults-disk.test.ts"  # these choose their own registries
echo "== integration (embedded registry, PostgreSQL)"; BERTH_TEST_DB=postgres npx vitest run --project integration
echo "== end-to-end"; npx playwright test
