#!/usr/bin/env bash
# npm test: static checks, the build, then every test project (unit, integration, e2e,
# electron). Integration and e2e tests start their own servers (Kamailio, rtpengine,
# baresip, gnome-keyring) on loopback ports and stop them afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

export ELECTRON_SKIP_BINARY_DOWNLOAD=1
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "lint"
npm run --silent lint
step "typecheck"
npm run --silent typecheck
step "build"
npm run --silent build
# One project at a time: the e2e tests drive several Chromium instances, real servers and
# audio timing, and must not share the two CPUs of a CI machine with the unit tests.
step "unit tests"
npx vitest run --project unit
step "integration tests"
npx vitest run --project integration
step "end-to-end tests"
npx vitest run --project e2e
step "Electron app tests"
npx vitest run --project electron
step "packaging checks"
npx vitest run --config test/packaging/vitest.config.ts
