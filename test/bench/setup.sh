#!/usr/bin/env bash
# Installs the reference tools `npm run bench` compares against, where they are missing:
# svd2rust (crates.io, with rustup's cargo), the Python cmsis-svd package, z3-solver (npm devDependency).
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v svd2rust >/dev/null 2>&1 && [ ! -x "${HOME}/.cargo/bin/svd2rust" ]; then
  cargo_bin="$(command -v cargo || echo "${HOME}/.cargo/bin/cargo")"
  "$cargo_bin" install --locked svd2rust@0.37.1
fi
python3 -m pip install --quiet --disable-pip-version-check --break-system-packages cmsis-svd==0.6
[ -d node_modules/z3-solver ] || npm install --no-save z3-solver
echo "bench setup: done"
