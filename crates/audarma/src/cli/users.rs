//! The review desk on the command line: its users, bearer tokens for scripts, and serving it.

use super::{actor, open, sqlite_url, Cli, Exit};
use crate::output::json;
use audarma_pipeline::Terminology;
use audarma_store::Store;
use audarma_store_sqlite::SqliteStore;
use clap::Subcommand;
use std::io::IsTerminal;
use std::sync::Arc;

#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Add a user. The password is prompted for on a terminal, else read from the first line of stdin.
    Add {
        name: String,
        #[arg(long, value_parser = ["translator", "reviewer", "glossary", "admin"])]
        role: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCmd {
    /// Create a bearer token for a user; it is printed once and only its hash is stored.
    Create { name: String },
}

pub(super) async fn serve(
    cli: &Cli,
    addr: &str,
    terms: Terminology,
    config: audarma_web::DeskConfig,
) -> Result<(), Exit> {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open_for_server(sqlite_url(cli)?).await.map_err(Exit::internal)?);
    terms.learn_from(store.as_ref()).await?;
    let desk = audarma_web::Desk::new(store, Arc::new(terms), config).map_err(Exit::internal)?;
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| Exit::input(format!("--addr {addr}: {e}")))?;
    let local = listener.local_addr().map_err(Exit::internal)?;
    eprintln!("review desk on http://{local}/ (Ctrl-C to stop)");
    tracing::info!(%local, "serving the review desk");
    audarma_web::serve(desk, listener).await.map_err(Exit::internal)
}

pub(super) async fn add(cli: &Cli, name: &str, role: &str) -> Result<(), Exit> {
    let name = name.trim();
    audarma_web::auth::check_new_user(name, role, "a placeholder long enough").map_err(Exit::input)?;
    let password = if std::io::stdin().is_terminal() {
        let p = rpassword::prompt_password(format!("password for {name}: "))
            .map_err(|e| Exit::input(format!("password: {e}")))?;
        let again = rpassword::prompt_password("again: ").map_err(|e| Exit::input(format!("password: {e}")))?;
        if p != again {
            return Err(Exit::input("the two passwords differ"));
        }
        p
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map_err(|e| Exit::input(format!("stdin: {e}")))?;
        line.trim_end_matches(['\n', '\r']).to_string()
    };
    let role = audarma_web::auth::check_new_user(name, role, &password).map_err(Exit::input)?;
    let hash = audarma_web::auth::hash_password(&password).map_err(Exit::internal)?;
    let store = open(cli).await?;
    let user = store.add_user(name, role, &hash, &actor(cli)).await?;
    if cli.json {
        json(&user);
    } else {
        println!("user {} added as {}", user.name, user.role);
    }
    Ok(())
}

pub(super) async fn create_token(cli: &Cli, name: &str) -> Result<(), Exit> {
    let store = open(cli).await?;
    let (token, hash) = audarma_web::auth::new_token();
    store.add_token(name, &hash, &actor(cli)).await?;
    if cli.json {
        json(&serde_json::json!({ "user": name, "token": token }));
    } else {
        println!("{token}");
        eprintln!("token for {name}: shown once; only its hash is stored");
    }
    Ok(())
}
