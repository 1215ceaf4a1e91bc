//! `audarma-fakemt`: runs the fake translation server. The first line on stdout is
//! `listening on ADDR`, so scripts can read the port when started with `--addr 127.0.0.1:0`.

use audarma_fakemt::{FakeConfig, RateLimit};
use clap::Parser;
use std::io::Write;
use std::time::Duration;

/// A fake DeepL / Yandex / OpenAI-compatible translation server with fault injection.
#[derive(Parser, Debug)]
#[command(name = "audarma-fakemt", version)]
struct Args {
    /// Address to bind; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:0")]
    addr: String,
    /// Added to every translation request.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Probability of an injected 429/500/503 in the vendor's error shape.
    #[arg(long, default_value_t = 0.0, value_parser = probability)]
    error_rate: f64,
    /// Token-bucket rate limit over all translation requests, e.g. 20/s or 600/m.
    #[arg(long)]
    rate_limit: Option<RateLimit>,
    /// Probability that a request sleeps --timeout-sleep-ms before answering.
    #[arg(long, default_value_t = 0.0, value_parser = probability)]
    timeout_rate: f64,
    /// How long an injected timeout sleeps.
    #[arg(long, default_value_t = 60_000)]
    timeout_sleep_ms: u64,
    /// Probability of a 200 with a truncated (invalid) JSON body.
    #[arg(long, default_value_t = 0.0, value_parser = probability)]
    malformed_rate: f64,
    /// Probability that one placeholder (⟦n⟧) is removed from one translation.
    #[arg(long, default_value_t = 0.0, value_parser = probability)]
    drop_placeholder_rate: f64,
    /// Characters served before quota errors (DeepL 456, Yandex 429 code 8, OpenAI insufficient_quota).
    #[arg(long)]
    quota_chars: Option<u64>,
    /// Seed of the per-request fault rolls.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Accept requests without an Authorization header (like vLLM or Ollama without --api-key).
    #[arg(long)]
    no_auth: bool,
}

fn probability(s: &str) -> Result<f64, String> {
    let p: f64 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    if (0.0..=1.0).contains(&p) {
        Ok(p)
    } else {
        Err(format!("{p} is not between 0 and 1"))
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let config = FakeConfig {
        latency: Duration::from_millis(args.latency_ms),
        error_rate: args.error_rate,
        timeout_rate: args.timeout_rate,
        timeout_sleep: Duration::from_millis(args.timeout_sleep_ms),
        malformed_rate: args.malformed_rate,
        drop_placeholder_rate: args.drop_placeholder_rate,
        rate_limit: args.rate_limit,
        quota_chars: args.quota_chars,
        seed: args.seed,
        require_auth: !args.no_auth,
    };
    let listener = tokio::net::TcpListener::bind(&args.addr).await?;
    let addr = listener.local_addr()?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on {addr}")?;
        out.flush()?;
    }
    tokio::select! {
        r = audarma_fakemt::serve(config, listener) => r,
        _ = tokio::signal::ctrl_c() => Ok(()),
    }
}
