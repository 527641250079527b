# The README's two commands: `make demo` (main job) and `make test` (every test).
# Both install what they need on a fresh machine (scripts/setup.sh).
SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -euo pipefail -c

WASM_CARGO := scripts/wasm-cargo.sh
BINDGEN_WASM := target/wasm-bindgen/wasm32-unknown-unknown/release/dcr_policy.wasm
COMPONENT_CORE := target/component/wasm32-unknown-unknown/release/dcr_policy.wasm

.PHONY: setup demo test test-rust test-js test-component bench bench-component wasm pkg component clean

setup:
	scripts/setup.sh

## flavour 1: wasm-bindgen package (Node + web) into js/pkg
pkg: setup
	$(WASM_CARGO) build --release --target wasm32-unknown-unknown --features wasm-bindgen --target-dir target/wasm-bindgen
	rm -rf js/pkg && mkdir -p js/pkg
	wasm-bindgen --target nodejs --out-dir js/pkg/node $(BINDGEN_WASM)
	wasm-bindgen --target web --out-dir js/pkg/web $(BINDGEN_WASM)
	for d in js/pkg/node js/pkg/web; do npx wasm-opt -O3 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue $$d/dcr_policy_bg.wasm -o $$d/dcr_policy_bg.wasm; done
	echo '{"type":"commonjs"}' > js/pkg/node/package.json
	echo '{"type":"module"}' > js/pkg/web/package.json

## flavour 2: Wasm component into dist/, transpiled for Node into js/component.
## The core module imports only wasi:random (getrandom's custom backend, set by
## the cfg below for this build only), so `jco new` needs no WASI adapter.
## Size vs speed for this build only: dependencies at opt-level "s", our crate
## (the RSA / P-256 arithmetic) at 2, LLVM's inline threshold at 100 instead of
## O2's 225: 382 KB gzip, as fast in wasmtime as the default threshold (408 KB).
## Our crate at "s": 345 KB but metadata decisions ~25 % slower in wasmtime
## (docs/component.md).
component: setup
	CARGO_PROFILE_RELEASE_OPT_LEVEL=s \
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS='--cfg getrandom_backend="custom" -Cllvm-args=-inline-threshold=100' \
	  $(WASM_CARGO) build --release --target wasm32-unknown-unknown --features component --target-dir target/component \
	  --config 'profile.release.package.dcr-policy.opt-level=2'
	mkdir -p dist
	npx jco new $(COMPONENT_CORE) -o dist/dcr-policy.wasm
	npx jco opt dist/dcr-policy.wasm -o dist/dcr-policy.wasm
	rm -rf js/component
	npx jco transpile dist/dcr-policy.wasm -o js/component --name dcr-policy
	# jco's glue decodes the component's strings with `new TextDecoder()`, which
	# drops a leading U+FEFF (a `kid` / `jti` starting with one lost it): decode
	# as wasm-bindgen does. The grep fails the build if jco's glue changes.
	sed -i 's/^const TEXT_DECODER_UTF8 = new TextDecoder();$$/const TEXT_DECODER_UTF8 = new TextDecoder("utf-8", { ignoreBOM: true });/' js/component/dcr-policy.js
	grep -q 'new TextDecoder("utf-8", { ignoreBOM: true })' js/component/dcr-policy.js
	echo '{"type":"module"}' > js/component/package.json

wasm: pkg component

demo: pkg
	node js/demo.mjs examples/metadata.json examples/policy.json

test-rust:
	cargo test
	# the wasm32 big-number code (28-bit digits, lazy carries) run natively
	CARGO_TARGET_DIR=target/limb32 RUSTFLAGS='--cfg dcr_limb32' \
	  cargo test --lib --test wycheproof --test jose --test jose_attacks

test-js: pkg
	node --test tests/js/
	npx tsc -p tests/js/tsconfig.json

# The wasmtime host (a separate cargo package with its own target dir) runs
# first: it compares the component with the native API and writes the native
# answers that the Node (jco) test compares against.
HOST_WASMTIME := cd tests/host-wasmtime && CARGO_TARGET_DIR=target cargo

test-component: component pkg
	($(HOST_WASMTIME) test)
	node --test tests/component/

lint:
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	# the Rust API reference builds without broken links
	RUSTDOCFLAGS='-D warnings' cargo doc --no-deps

test: lint test-rust test-js test-component

bench: pkg
	[ -d bench/node_modules ] || (cd bench && npm ci --no-audit --no-fund)
	cargo bench --bench metadata --bench jose --bench registration
	node bench/metadata.mjs
	node bench/jose.mjs
	node bench/registration.mjs

# decisions/s natively, in wasmtime and in Node (jco; wasm-bindgen for comparison),
# start-up of a pre-compiled component, size. Ratios against native, same run.
bench-component: component pkg
	($(HOST_WASMTIME) bench --bench component)
	node bench/component.mjs

clean:
	rm -rf target js/pkg js/component dist tests/host-wasmtime/target
