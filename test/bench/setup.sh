#!/usr/bin/env bash
# Installs the reference tools `npm run bench` compares against, where they are missing:
# svd2rust and svdtools (crates.io, with rustup's cargo), the Python cmsis-svd, peakrdl (c-header) and
# native z3 packages, z3-solver (npm devDependency).
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v svd2rust >/dev/null 2>&1 && [ ! -x "${HOME}/.cargo/bin/svd2rust" ]; then
  cargo_bin="$(command -v cargo || echo "${HOME}/.cargo/bin/cargo")"
  "$cargo_bin" install --locked svd2rust@0.37.1
fi
if ! command -v svdtools >/dev/null 2>&1 && [ ! -x "${HOME}/.cargo/bin/svdtools" ]; then
  cargo_bin="$(command -v cargo || echo "${HOME}/.cargo/bin/cargo")"
  "$cargo_bin" install --locked svdtools@0.5.0
fi
python3 -m pip install --quiet --disable-pip-version-check --break-system-packages peakrdl==1.5.0 peakrdl-cheader==1.1.0 z3-solver==5.4.1.0
python3 -m pip install --quiet --disable-pip-version-check --break-system-packages cmsis-svd==0.6
[ -d node_modules/z3-solver ] || npm install --no-save z3-solver
echo "bench setup: done"
