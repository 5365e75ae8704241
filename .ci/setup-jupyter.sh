#!/usr/bin/env bash
# Prepares the real-kernel and real-browser tests (test/notebook, test/e2e). Idempotent and quick when
# nothing changed. Needs root for apt-get (only when a Debian package is missing) and the repo's root
# `npm install`/`npm ci` done (tslab comes from the root node_modules).
#
#   1. Debian packages: Jupyter server + lab server + nbclient/nbconvert (system Python), Chromium, a font
#   2. test/jupyterlab-app: `npm ci` (own lock file, not a workspace of the root), then the rspack build
#   3. extension/labextension: the prebuilt extension (`npm run build:labextension -w extension`)
#   4. .jupyter-data/kernels/tslab/kernel.json: the tslab kernelspec with the absolute path of the repo's tslab
#      (tests point JUPYTER_PATH at .jupyter-data)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
t0=$(date +%s)
say() { echo "setup-jupyter [$(( $(date +%s) - t0 ))s]: $*"; }

DEB_PACKAGES=(python3-jupyter-server python3-jupyterlab-server python3-nbclient python3-nbconvert
  python3-jupyter-client chromium fonts-dejavu-core)
missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  say "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  say "Debian packages already installed: ${DEB_PACKAGES[*]}"
fi

APP=test/jupyterlab-app
lock_hash=$(sha256sum "$APP/package-lock.json" | cut -d' ' -f1)
stamp="$APP/node_modules/.emotune-lock-sha256"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$lock_hash" ]]; then
  say "$APP: node_modules up to date with package-lock.json"
else
  say "$APP: npm ci"
  (cd "$APP" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_hash" >"$stamp"
fi
say "$APP: build (rspack) -> $APP/dist"
build_log=$(mktemp)
(cd "$APP" && npx --no-install rspack build --config rspack.config.cjs >"$build_log" 2>&1) || {
  cat "$build_log"; rm -f "$build_log"; exit 1; }
rm -f "$build_log"

if [[ ! -f extension/labextension/package.json || -n "${EMOTUNE_REBUILD_EXTENSION:-}" || -n "${CI:-}" ]]; then
  say "extension: npm run build:labextension -w extension"
  npm run --silent build:labextension -w extension >/dev/null
else
  say "extension: extension/labextension exists (set EMOTUNE_REBUILD_EXTENSION=1 to rebuild)"
fi

TSLAB="$ROOT/node_modules/.bin/tslab"
[[ -x "$TSLAB" ]] || { echo "setup-jupyter: $TSLAB missing: run npm install at the repo root first" >&2; exit 1; }
KDIR="$ROOT/.jupyter-data/kernels/tslab"
mkdir -p "$KDIR"
# Written by hand: tslab's own installer needs IPython, which Debian's Jupyter packages do not pull in.
/usr/bin/python3 - "$TSLAB" "$KDIR/kernel.json" <<'PY'
import json, sys
tslab, out = sys.argv[1], sys.argv[2]
spec = {"argv": [tslab, "kernel", "--config-path", "{connection_file}"],
        "display_name": "TypeScript", "language": "typescript"}
with open(out, "w") as f:
    json.dump(spec, f, indent=2)
    f.write("\n")
PY
say "tslab kernelspec: $KDIR/kernel.json (use JUPYTER_PATH=$ROOT/.jupyter-data)"
say "done"
