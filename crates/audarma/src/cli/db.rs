//! The database itself: `audarma db check` (schema version and health) and `audarma db copy` (a whole
//! SQLite installation into an empty PostgreSQL database).

use super::{is_postgres, open, open_store, Cli, Exit};
use crate::output::json;
use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum DbCmd {
    /// The schema version and the database's health (exit 1 when it has problems).
    Check,
    /// Copy a whole SQLite installation (releases, jobs, events, memory, users, sessions, usage) into
    /// an empty PostgreSQL database, in one transaction, verifying every table's count.
    Copy {
        /// The SQLite database (`sqlite:PATH` or a path).
        #[arg(long)]
        from: String,
        /// The PostgreSQL database (`postgres://…`): created tables, no data.
        #[arg(long)]
        to: String,
    },
}

pub(super) async fn check(cli: &Cli) -> Result<(), Exit> {
    let store = open(cli).await?;
    let h = store.health().await?;
    if cli.json {
        json(&h);
    } else {
        println!("backend: {}", h.backend);
        println!("schema: {} (this build: {})", h.schema_version, h.latest_schema);
        println!("expired leases: {}", h.expired_leases);
        for (k, v) in &h.details {
            println!("{k}: {v}");
        }
        for p in &h.problems {
            println!("problem: {p}");
        }
    }
    if h.problems.is_empty() {
        Ok(())
    } else {
        Err(Exit::problems())
    }
}

pub(super) async fn copy(cli: &Cli, from: &str, to: &str) -> Result<(), Exit> {
    if is_postgres(from) {
        return Err(Exit::input(
            "--from: copying from PostgreSQL is not supported; give the SQLite file (sqlite:PATH)",
        ));
    }
    if !is_postgres(to) {
        return Err(Exit::input("--to: give the PostgreSQL database to copy into (postgres://…)"));
    }
    let path = from.strip_prefix("sqlite://").or_else(|| from.strip_prefix("sqlite:")).unwrap_or(from);
    if !std::path::Path::new(path).is_file() {
        return Err(Exit::input(format!("--from: {path}: no such SQLite file")));
    }
    // Opening migrates the SQLite file to this build's schema, the one the copy reads.
    drop(open_store(from, false).await?);
    let target = audarma_store_postgres::PgStore::open(to).await.map_err(Exit::internal)?;
    let report = audarma_store_postgres::copy_from_sqlite(&format!("sqlite:{path}"), &target).await?;
    if cli.json {
        json(&serde_json::json!({ "tables": report }));
    } else {
        for c in &report {
            println!("{:<20} {:>9} rows", c.table, c.target_rows);
        }
        println!(
            "copied {} rows in {} tables into {}; every count verified",
            report.iter().map(|c| c.target_rows).sum::<u64>(),
            report.len(),
            audarma_store_postgres::redact(to)
        );
    }
    Ok(())
}
