//! The integration tests of this crate, in one binary: webhooks delivered from a real store to a local
//! HTTP server (wiremock) that checks what a receiver would check.
#![allow(clippy::unwrap_used)]

mod deliver;
