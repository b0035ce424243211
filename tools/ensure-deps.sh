# Installs what `npm test` and the launcher need when it is missing: node_modules (npm ci) and nats-server.
# POSIX sh and idempotent. From the repo root: `sh tools/ensure-deps.sh`, or `. tools/ensure-deps.sh` from
# another script (so it never exits 0 early, only exits 1 on failure).

if [ ! -f package-lock.json ] || [ ! -f tools/ensure-deps.sh ]; then
  echo "[setup] run this from the repository root" >&2
  exit 1
fi

ensure_deps_why=""
if [ ! -f node_modules/.package-lock.json ]; then
  ensure_deps_why="node_modules is missing"
elif [ -n "$(find package-lock.json -newer node_modules/.package-lock.json)" ]; then
  ensure_deps_why="package-lock.json is newer than node_modules"
fi
if [ -n "$ensure_deps_why" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "[setup] npm not found: install Node.js and npm, then run this again" >&2
    exit 1
  fi
  echo "[setup] $ensure_deps_why: running npm ci"
  # npm ci only: it installs exactly what package-lock.json says, so every machine gets the same tree.
  # No fallback to npm install, which would re-resolve versions and hide a broken lockfile.
  if ! npm ci --no-audit --no-fund; then
    echo "[setup] npm ci failed. If it says package.json and package-lock.json are out of sync, run" >&2
    echo "[setup]   npm install --package-lock-only && node_modules/.bin/node tools/lockfile-check.ts" >&2
    echo "[setup] and commit package-lock.json." >&2
    exit 1
  fi
fi

# Debian installs nats-server in /usr/sbin, which a non-root PATH may lack.
if ! command -v nats-server >/dev/null 2>&1 && [ ! -x /usr/sbin/nats-server ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "[setup] nats-server missing: apt-get update && apt-get install -y nats-server"
    if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y nats-server; }; then
      echo "[setup] installing nats-server failed" >&2
      exit 1
    fi
  else
    echo "[setup] nats-server is missing; install it with:" >&2
    echo "[setup]   sudo apt-get update && sudo apt-get install -y nats-server" >&2
    exit 1
  fi
fi
# tmux: only tests/cli.e2e.test.ts needs it (it drives `spine chat` in a pseudo-terminal); never fatal here.
if ! command -v tmux >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "[setup] tmux missing: apt-get install -y tmux"
    DEBIAN_FRONTEND=noninteractive apt-get install -y tmux || echo "[setup] installing tmux failed; the spine chat e2e test will fail" >&2
  else
    echo "[setup] tmux is missing (the spine chat e2e test needs it): sudo apt-get install -y tmux" >&2
  fi
fi
unset ensure_deps_why
