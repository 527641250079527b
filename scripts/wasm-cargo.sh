#!/usr/bin/env bash
# cargo for wasm32-unknown-unknown: the rustup target when installed, else
# Debian's rustc with -Zbuild-std (TOOLCHAIN.md, path A).
set -euo pipefail
if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  exec cargo "$@"
else
  RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 exec /usr/bin/cargo "$@" -Zbuild-std=std,panic_abort
fi
