#!/bin/sh
# `npm test`: install what is missing, then run the unit, int and e2e tiers (tools/test.ts).
set -eu
cd "$(dirname "$0")/.."
. tools/ensure-deps.sh
exec node_modules/.bin/node tools/test.ts "$@"
