#!/bin/sh
# `npm start`: install what is missing, build the apps and libs/testing, start the local mesh (tools/launcher/start.ts).
set -eu
cd "$(dirname "$0")/../.."
. tools/ensure-deps.sh
case " $* " in
  *" --help "* | *" -h "*) ;;
  *)
    echo "[setup] building the apps (nx cache makes this quick after the first run)"
    build_log="${TMPDIR:-/tmp}/spine-build.$$.log"
    if ! NX_NO_CLOUD=true NX_TUI=false NX_DAEMON=false node_modules/.bin/nx run-many -t build \
      --projects='tag:type:app,testing' --outputStyle=stream >"$build_log" 2>&1; then
      cat "$build_log"
      rm -f "$build_log"
      echo "[setup] build failed (output above)" >&2
      exit 1
    fi
    rm -f "$build_log"
    ;;
esac
exec node_modules/.bin/node tools/launcher/start.ts "$@"
