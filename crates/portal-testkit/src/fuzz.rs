//! Time-bounded fuzzing of the parsers that read outside input, on proptest (no nightly
//! toolchain is available for `cargo fuzz`). Each target is a test named `fuzz_…` in the
//! crate that owns its parser; inputs mix random bytes with fragments of the format, so
//! both garbage and near-valid input reach the deep paths.
//!
//! ```sh
//! PORTAL_FUZZ_SECONDS=600 cargo test --workspace fuzz_ -- --nocapture --test-threads 1
//! ```
//!
//! runs every target for ten minutes (default: 2 s, the CI smoke). A failure prints the
//! smallest input proptest shrank it to; it then becomes a regression test. Figures of the
//! long runs are in docs/FUZZING.md.

use std::fmt::Debug;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

/// How long each target runs: `PORTAL_FUZZ_SECONDS`, else 2 seconds.
pub fn budget() -> Duration {
    let seconds = std::env::var("PORTAL_FUZZ_SECONDS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(2);
    Duration::from_secs(seconds)
}

/// Runs `check` on inputs from `strategy` until the budget is spent; panics with the
/// smallest failing input. Prints how many inputs ran.
pub fn run<S>(name: &str, strategy: S, check: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S: Strategy,
    S::Value: Debug,
{
    const BATCH: u32 = 256;
    let budget = budget();
    let started = Instant::now();
    let config = Config {
        cases: BATCH,
        failure_persistence: None,
        max_shrink_iters: 10_000,
        ..Config::default()
    };
    // A runner runs its cases once: a fresh one per batch, each with its own seed.
    let base = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let mut batch: u64 = 0;
    let inputs = std::sync::atomic::AtomicU64::new(0);
    let counted = |v: S::Value| {
        inputs.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        check(v)
    };
    while started.elapsed() < budget {
        batch += 1;
        let seed = base ^ batch.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let mut bytes = [0u8; 32];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (seed.rotate_left(i as u32 * 8) & 0xff) as u8 ^ i as u8;
        }
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
        let mut runner = TestRunner::new_with_rng(config.clone(), rng);
        if let Err(e) = runner.run(&strategy, counted) {
            panic!("fuzz target {name} failed (seed {seed:#x}): {e}");
        }
    }
    let inputs = inputs.into_inner();
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "fuzz {name}: {inputs} inputs in {secs:.0} s ({:.0}/s), no failure",
        inputs as f64 / secs
    );
}

/// Bytes built from `fragments` of a format and random bytes, in random order.
pub fn mixed_bytes(
    fragments: &'static [&'static str],
    max: usize,
) -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        3 => proptest::sample::select(fragments).prop_map(|f| f.as_bytes().to_vec()),
        1 => proptest::collection::vec(any::<u8>(), 0..8),
        1 => "[ -~]{0,12}".prop_map(String::into_bytes),
    ];
    proptest::collection::vec(piece, 0..max).prop_map(|v| v.concat())
}

/// Text built from `fragments` and random characters (any Unicode, controls included).
pub fn mixed_text(fragments: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(fragments).prop_map(str::to_string),
        1 => any::<String>().prop_map(|s| s.chars().take(6).collect()),
        1 => "[ -~]{0,12}",
    ];
    proptest::collection::vec(piece, 0..max).prop_map(|v| v.concat())
}
