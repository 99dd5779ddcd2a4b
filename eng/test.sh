#!/usr/bin/env bash
# Runs every test of the repository on a fresh machine, installing what the tests need first:
# the npm tools (iron-webcrypto, hono-sessions, dynalite, azurite, the AWS resource specification) from the
# committed package-lock.json, and Debian's chromium for the browser tests when it is missing.
# Tests never skip themselves: a missing emulator or browser fails them.
set -euo pipefail
cd "$(dirname "$0")/.."

bash eng/install-prerequisites.sh

# Conformance tests read ../shared, which only CI has; .ci/run runs them after this command.
dotnet test SessionsServerless.sln -c Release --filter "Category!=Conformance" --logger "console;verbosity=normal" "$@"
