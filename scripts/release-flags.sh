# Sourced by the scripts that build wasm for release (scripts/build.sh,
# bench/framework-floor.sh): one set of flags on every machine
# (scripts/wasm-env.sh always builds std from source with the same Debian
# toolchain).
#
# Leptos's views type-erased, and no panic machinery shipped, a panic
# aborts without formatting a message (tests keep messages); `{:?}` formats
# nothing and no source locations are kept (so no shipped code may show a
# Debug form: give the type a name of its own instead), and std is built
# for size (smaller sort and number formatting; 5 KB of the first load with
# the two flags before). The volunteer app and the console share their
# compiled crates through these flags; the app's splitter needs the
# linker's relocations kept, which only its final link asks for
# (scripts/build-app-wasm.sh): kept here, they would ship in the console's
# wasm, which nothing splits, as 1.8 MB of custom sections.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none"
export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
