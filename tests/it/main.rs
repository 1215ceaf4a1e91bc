//! The integration tests of this crate, in one binary: linking one test executable per file was
//! most of CI's time and disk. Each module is one former test file; run one with
//! `cargo test -p CRATE --test it MODULE::`.
#![allow(clippy::unwrap_used)]
// Tests write fixture files directly and set the environment variables a workflow names for its keys.
#![allow(clippy::disallowed_methods)]

mod analytics;
mod attacks;
mod backends;
mod e2e;
mod latin;
mod notify;
mod tmx;
mod workers;
mod xliff;
