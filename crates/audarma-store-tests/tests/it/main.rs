//! The store conformance suite, in one binary (linking one test executable per file was most of CI's
//! time and disk). Every test in `conformance!` runs on each store: `cargo test -p audarma-store-tests
//! --test it MODULE::` runs a module, `-- ::postgres` (or `::sqlite`) one store's tests.
//! `harness` tests the throwaway PostgreSQL itself.
#![allow(clippy::unwrap_used)]

mod analytics;
mod desk;
mod feed;
mod findings;
mod harness;
mod notify;
mod postgres;
mod races;
mod rules;
mod search;
mod story;
mod workers;
