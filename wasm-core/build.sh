#!/bin/sh
# Rebuilds specdrive_core.wasm with Debian's Rust toolchain (rustc 1.63 ships the wasm32 std).
#   ./build.sh          rebuild and update the committed module
#   ./build.sh --check  rebuild and fail if the bytes differ from the committed module (CI)
set -eu
cd "$(dirname "$0")"
RUSTC="${RUSTC:-/usr/bin/rustc}"
CARGO="${CARGO:-/usr/bin/cargo}"
export RUSTC
# Fixed flags only: no host paths or timestamps may leak into the module.
export CARGO_INCREMENTAL=0
unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS || true
"$CARGO" build --quiet --release --target wasm32-unknown-unknown
built=target/wasm32-unknown-unknown/release/specdrive_core.wasm
if [ "${1:-}" = "--check" ]; then
  if cmp -s "$built" specdrive_core.wasm; then
    echo "wasm-core: specdrive_core.wasm is up to date ($(wc -c < specdrive_core.wasm) bytes)"
  else
    echo "wasm-core: specdrive_core.wasm differs from a fresh build; run wasm-core/build.sh and commit it" >&2
    exit 1
  fi
else
  cp "$built" specdrive_core.wasm
  echo "wasm-core: wrote specdrive_core.wasm ($(wc -c < specdrive_core.wasm) bytes)"
fi
