//! The bodies of the fuzz targets. `fuzz_targets/*.rs` call them; `tests/robustness.rs`
//! includes `harness.rs` too, so every input kept in `fixtures/fuzz-regressions/<target>/`
//! is replayed by a plain `cargo test`.

#[path = "harness.rs"]
mod harness;

pub use harness::*;
