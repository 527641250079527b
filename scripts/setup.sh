#!/usr/bin/env bash
# Installs what the build needs on a fresh machine; skips what is already there.
# See ../shared/TOOLCHAIN.md: rustup target first (path B), Debian rustc-web +
# -Zbuild-std as the fallback (path A).
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  if ! timeout 180 rustup target add wasm32-unknown-unknown; then
    echo "setup: rustup could not add wasm32-unknown-unknown; falling back to Debian rustc-web + build-std" >&2
    if ! /usr/bin/rustc --version 2>/dev/null | grep -q .; then
      apt-get update
      apt-get install -y rustc-web cargo-web rust-web-src rust-web-llvm lld-22
    fi
  fi
fi

if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  # no --locked: it fails on this workplace's crates.io mirror (TOOLCHAIN.md)
  cargo install --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# npm tools (jco, binaryen's wasm-opt, preview2-shim, typescript): reinstall
# whenever package-lock.json changed since the last install.
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.dcr-lock-sum 2>/dev/null || true)" != "$lock_sum" ]; then
  npm ci --no-audit --no-fund
  echo "$lock_sum" > node_modules/.dcr-lock-sum
fi
