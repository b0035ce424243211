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
  # npm ci refuses a package-lock.json out of sync with the package.json files; npm install does not.
  if ! npm ci --no-audit --no-fund; then
    echo "[setup] WARNING: npm ci failed (package-lock.json out of sync?); trying npm install" >&2
    if ! npm install --no-audit --no-fund; then
      echo "[setup] npm install failed" >&2
      exit 1
    fi
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
unset ensure_deps_why
