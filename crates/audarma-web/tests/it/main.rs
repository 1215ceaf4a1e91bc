//! The integration tests of this crate, in one binary: linking one test executable per file was
//! most of CI's time and disk. Each module is one former test file; run one with
//! `cargo test -p CRATE --test it MODULE::`.
#![allow(clippy::unwrap_used)]

mod api;
mod attacks;
mod browser;
mod common;
mod feed;
mod findings;
mod mqm;
mod pages;
mod reports;
mod twins;
mod xliff;
