//! The review desk on the command line: its users, bearer tokens for scripts, and serving it.

use super::{actor, open, open_store, Cli, Exit};
use crate::output::json;
use audarma_pipeline::Terminology;
use audarma_store::Store;
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
    /// Disable a user: they cannot log in, their sessions end, their tokens stop working.
    Disable { name: String },
    /// Enable a disabled user again.
    Enable { name: String },
    /// Set a user's password (prompted on a terminal, else the first line of stdin); their sessions end.
    Passwd { name: String },
    /// List a user's open sessions, or end them all with --end.
    Sessions {
        name: String,
        #[arg(long)]
        end: bool,
    },
    /// A new link to the user's Atom feed of their jobs (`/feed/TOKEN.atom`, read by any feed reader
    /// without logging in); it replaces the old one. Printed once; only its token's hash is stored.
    FeedToken {
        name: String,
        /// The desk's address (`https://desk.example.kz`), to print the whole link.
        #[arg(long, value_name = "URL")]
        base: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCmd {
    /// Create a bearer token for a user; it is printed once and only its hash is stored.
    Create {
        name: String,
        /// Lifetime: `90d`, `12h`, `30m`; without it the token lasts until revoked.
        #[arg(long, value_parser = parse_lifetime)]
        expires: Option<chrono::Duration>,
    },
    /// List tokens (of one user with --user): id, user, created, last used, expiry, revocation.
    List {
        #[arg(long)]
        user: Option<String>,
    },
    /// Revoke a token by id (from `token list`); it stops working at once.
    Revoke { id: i64 },
}

/// `90d`, `12h`, `30m`, `2w` → a lifetime.
fn parse_lifetime(s: &str) -> Result<chrono::Duration, String> {
    let s = s.trim();
    let (n, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: i64 = n.parse().map_err(|_| format!("{s:?} is not a lifetime like 90d, 12h or 30m"))?;
    let d = match unit {
        "m" => chrono::Duration::try_minutes(n),
        "h" => chrono::Duration::try_hours(n),
        "d" => chrono::Duration::try_days(n),
        "w" => chrono::Duration::try_weeks(n),
        _ => None,
    };
    d.filter(|d| *d > chrono::Duration::zero()).ok_or_else(|| format!("{s:?} is not a lifetime like 90d, 12h or 30m"))
}

/// Serves the desk until stopped; with a notifier, delivers its webhooks in the background every so
/// often (the round in flight is finished when the desk stops).
pub(super) async fn serve(
    cli: &Cli,
    addr: &str,
    terms: Terminology,
    config: audarma_web::DeskConfig,
    notifier: Option<(audarma_notify::Notifier, std::time::Duration)>,
    workflow: Option<&audarma_pipeline::Workflow>,
) -> Result<(), Exit> {
    let store: Arc<dyn Store> = open_store(&cli.db, true).await?;
    super::notify::forget_removed(store.as_ref(), workflow).await?;
    terms.learn_from(store.as_ref()).await?;
    let desk = audarma_web::Desk::new(store.clone(), Arc::new(terms), config).map_err(Exit::internal)?;
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| Exit::input(format!("--addr {addr}: {e}")))?;
    let local = listener.local_addr().map_err(Exit::internal)?;
    // The notifier's first round (which sees a new webhook) before the desk says it is up.
    let stop = Arc::new(tokio::sync::Notify::new());
    let deliverer = match notifier {
        Some((n, every)) => Some(super::notify::spawn(n, store, every, stop.clone()).await),
        None => None,
    };
    eprintln!("review desk on http://{local}/ (Ctrl-C to stop)");
    tracing::info!(%local, "serving the review desk");
    let served = audarma_web::serve(desk, listener).await.map_err(Exit::internal);
    if let Some(d) = deliverer {
        stop.notify_one();
        let _ = d.await;
    }
    served
}

pub(super) async fn add(cli: &Cli, name: &str, role: &str) -> Result<(), Exit> {
    let name = name.trim();
    audarma_web::auth::check_new_user(name, role, "a placeholder long enough").map_err(Exit::input)?;
    let password = read_password(name)?;
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

/// A password: prompted twice on a terminal, else the first line of stdin.
fn read_password(name: &str) -> Result<String, Exit> {
    if std::io::stdin().is_terminal() {
        let p = rpassword::prompt_password(format!("password for {name}: "))
            .map_err(|e| Exit::input(format!("password: {e}")))?;
        let again = rpassword::prompt_password("again: ").map_err(|e| Exit::input(format!("password: {e}")))?;
        if p != again {
            return Err(Exit::input("the two passwords differ"));
        }
        Ok(p)
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map_err(|e| Exit::input(format!("stdin: {e}")))?;
        Ok(line.trim_end_matches(['\n', '\r']).to_string())
    }
}

pub(super) async fn create_token(cli: &Cli, name: &str, expires: Option<chrono::Duration>) -> Result<(), Exit> {
    let store = open(cli).await?;
    let (token, hash) = audarma_web::auth::new_token();
    let expires_at = expires.map(|d| chrono::Utc::now() + d);
    store.add_token(name, &hash, expires_at, &actor(cli)).await?;
    if cli.json {
        json(&serde_json::json!({ "user": name, "token": token, "expires_at": expires_at }));
    } else {
        println!("{token}");
        let until = expires_at.map(|t| format!(", valid until {}", t.format("%Y-%m-%d %H:%M UTC"))).unwrap_or_default();
        eprintln!("token for {name}: shown once; only its hash is stored{until}");
    }
    Ok(())
}

pub(super) async fn list_tokens(cli: &Cli, user: Option<&str>) -> Result<(), Exit> {
    let store = open(cli).await?;
    let tokens = store.tokens(user).await?;
    if cli.json {
        json(&serde_json::json!({ "tokens": tokens }));
        return Ok(());
    }
    let day =
        |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| t.format("%Y-%m-%d").to_string()).unwrap_or("—".into());
    println!("{:>4}  {:<16} {:<10} {:<10} {:<10} STATE", "ID", "USER", "CREATED", "LAST USED", "EXPIRES");
    let now = chrono::Utc::now();
    for t in tokens {
        let state = if t.revoked_at.is_some() {
            "revoked"
        } else if t.expires_at.is_some_and(|e| e <= now) {
            "expired"
        } else {
            "active"
        };
        println!(
            "{:>4}  {:<16} {:<10} {:<10} {:<10} {state}",
            t.id,
            crate::output::clip(&t.user, 16),
            day(Some(t.created_at)),
            day(t.last_used_at),
            day(t.expires_at)
        );
    }
    Ok(())
}

pub(super) async fn revoke_token(cli: &Cli, id: i64) -> Result<(), Exit> {
    let store = open(cli).await?;
    store.revoke_token(id, &actor(cli)).await?;
    if cli.json {
        json(&serde_json::json!({ "token": id, "revoked": true }));
    } else {
        println!("token {id} revoked");
    }
    Ok(())
}

pub(super) async fn set_disabled(cli: &Cli, name: &str, disabled: bool) -> Result<(), Exit> {
    let store = open(cli).await?;
    store.set_user_disabled(name, disabled, &actor(cli)).await?;
    let state = if disabled { "disabled" } else { "enabled" };
    if cli.json {
        json(&serde_json::json!({ "user": name, "state": state }));
    } else {
        println!("user {name} {state}");
    }
    Ok(())
}

pub(super) async fn passwd(cli: &Cli, name: &str) -> Result<(), Exit> {
    let store = open(cli).await?;
    if store.user(name).await?.is_none() {
        return Err(audarma_store::StoreError::NoSuchUser(name.to_string()).into());
    }
    let password = read_password(name)?;
    audarma_web::auth::check_password(&password).map_err(Exit::input)?;
    let hash = audarma_web::auth::hash_password(&password).map_err(Exit::internal)?;
    store.set_password(name, &hash, &actor(cli)).await?;
    if cli.json {
        json(&serde_json::json!({ "user": name, "password": "changed" }));
    } else {
        println!("password of {name} changed; their sessions ended");
    }
    Ok(())
}

pub(super) async fn sessions(cli: &Cli, name: &str, end: bool) -> Result<(), Exit> {
    let store = open(cli).await?;
    if store.user(name).await?.is_none() {
        return Err(audarma_store::StoreError::NoSuchUser(name.to_string()).into());
    }
    if end {
        let n = store.end_sessions(name, &actor(cli)).await?;
        if cli.json {
            json(&serde_json::json!({ "user": name, "ended": n }));
        } else {
            println!("{n} session(s) of {name} ended");
        }
        return Ok(());
    }
    let list = store.sessions_of(name).await?;
    if cli.json {
        json(&serde_json::json!({ "user": name, "sessions": list }));
    } else if list.is_empty() {
        println!("{name} has no open session");
    } else {
        for s in list {
            println!(
                "since {}  until {}",
                s.created_at.format("%Y-%m-%d %H:%M UTC"),
                s.expires_at.format("%Y-%m-%d %H:%M UTC")
            );
        }
    }
    Ok(())
}

pub(super) async fn feed_token(cli: &Cli, name: &str, base: Option<&str>) -> Result<(), Exit> {
    if let Some(b) = base {
        if !(b.starts_with("https://") || b.starts_with("http://")) || b.chars().any(char::is_whitespace) {
            return Err(Exit::input(format!("--base {b:?}: give the desk's address, like https://desk.example.kz")));
        }
    }
    let store = open(cli).await?;
    let (token, hash) = audarma_web::auth::new_feed_token();
    store.set_feed_token(name, &hash, &actor(cli)).await?;
    let path = audarma_web::feed::feed_path(&token);
    let link = match base {
        Some(b) => format!("{}{path}", b.trim_end_matches('/')),
        None => path,
    };
    if cli.json {
        json(&serde_json::json!({ "user": name, "feed": link }));
    } else {
        println!("{link}");
        eprintln!("feed link for {name}: shown once, only its hash is stored; it replaces the previous one");
    }
    Ok(())
}
