//! The integration tests of this crate, in one binary: linking one test executable per file was
//! most of CI's time and disk. Each module is one former test file; run one with
//! `cargo test -p CRATE --test it MODULE::`. The store's verbs are tested on every store by
//! `crates/audarma-store-tests`; what remains here is SQLite's own.
#![allow(clippy::unwrap_used)]

mod file;
