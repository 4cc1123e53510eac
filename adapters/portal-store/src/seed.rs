//! Bulk seeding for scale tests and benchmarks (filled in below).
