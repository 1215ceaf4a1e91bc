//! Users, bearer tokens and login sessions.

use crate::events::event;
use crate::rows::{db, now, parse_ts, ts, user_of, USER_COLUMNS, USER_WIDTH};
use crate::write::WriteTx;
use crate::SqliteStore;
use audarma_core::Role;
use audarma_store::{Result, Session, SessionInfo, StoreError, TokenInfo, User};
use chrono::{DateTime, Utc};
use sqlx::Row;

/// The id of a user by name, or [`StoreError::NoSuchUser`].
pub(crate) async fn user_id(tx: &mut WriteTx, name: &str) -> Result<i64> {
    let row = sqlx::query("SELECT id FROM users WHERE name = ?")
        .bind(name)
        .fetch_optional(&mut **tx)
        .await
        .map_err(db)?
        .ok_or_else(|| StoreError::NoSuchUser(name.to_string()))?;
    Ok(row.get(0))
}

pub(crate) async fn add_user(
    store: &SqliteStore,
    name: &str,
    role: Role,
    password_hash: &str,
    actor: &str,
) -> Result<User> {
    let mut tx = store.write().await?;
    // One statement: the name's unique key decides, so two processes adding the same name at once
    // cannot both succeed (no check-then-insert).
    let id: i64 =
        sqlx::query("INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id")
            .bind(name)
            .bind(role.as_str())
            .bind(password_hash)
            .bind(ts(now()))
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| match e {
                sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::UserExists(name.to_string()),
                e => db(e),
            })?
            .get(0);
    let detail = serde_json::json!({ "user": name, "role": role });
    event(&mut tx, actor, None, None, "user-added", detail, None, None).await?;
    tx.commit().await.map_err(db)?;
    Ok(User { id, name: name.into(), role, locale: None, password_hash: password_hash.into(), disabled: false })
}

pub(crate) async fn user(store: &SqliteStore, name: &str) -> Result<Option<User>> {
    let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users u WHERE u.name = ?"))
        .bind(name)
        .fetch_optional(&store.pool)
        .await
        .map_err(db)?;
    row.as_ref().map(user_of).transpose()
}

pub(crate) async fn users(store: &SqliteStore) -> Result<Vec<User>> {
    let rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.name"))
        .fetch_all(&store.pool)
        .await
        .map_err(db)?;
    rows.iter().map(user_of).collect()
}

pub(crate) async fn set_user_role(store: &SqliteStore, user: &str, role: Role, actor: &str) -> Result<()> {
    let mut tx = store.write().await?;
    let before: String = sqlx::query("SELECT role FROM users WHERE name = ?")
        .bind(user)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?
        .ok_or_else(|| StoreError::NoSuchUser(user.to_string()))?
        .get(0);
    sqlx::query("UPDATE users SET role = ? WHERE name = ?")
        .bind(role.as_str())
        .bind(user)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    let detail = serde_json::json!({ "user": user });
    event(&mut tx, actor, None, None, "user-role", detail, Some(&before), Some(role.as_str())).await?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn set_user_locale(store: &SqliteStore, user: &str, locale: Option<&str>) -> Result<()> {
    let res = sqlx::query("UPDATE users SET locale = ? WHERE name = ?")
        .bind(locale)
        .bind(user)
        .execute(&store.pool)
        .await
        .map_err(db)?;
    if res.rows_affected() == 0 {
        return Err(StoreError::NoSuchUser(user.to_string()));
    }
    Ok(())
}

pub(crate) async fn add_token(
    store: &SqliteStore,
    user: &str,
    token_hash: &str,
    expires_at: Option<DateTime<Utc>>,
    actor: &str,
) -> Result<()> {
    let mut tx = store.write().await?;
    let id = user_id(&mut tx, user).await?;
    sqlx::query("INSERT INTO tokens (user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)")
        .bind(id)
        .bind(token_hash)
        .bind(ts(now()))
        .bind(expires_at.map(ts))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    event(&mut tx, actor, None, None, "token-created", serde_json::json!({ "user": user }), None, None).await?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn user_by_token(store: &SqliteStore, token_hash: &str) -> Result<Option<User>> {
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS} FROM tokens t JOIN users u ON u.id = t.user_id
          WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)
            AND u.disabled_at IS NULL"
    ))
    .bind(token_hash)
    .bind(ts(now()))
    .fetch_optional(&store.pool)
    .await
    .map_err(db)?;
    row.as_ref().map(user_of).transpose()
}

pub(crate) async fn create_session(
    store: &SqliteStore,
    token_hash: &str,
    user: &str,
    csrf: &str,
    expires_at: DateTime<Utc>,
) -> Result<()> {
    let mut tx = store.write().await?;
    let id = user_id(&mut tx, user).await?;
    let at = now();
    sqlx::query("DELETE FROM sessions WHERE expires_at < ?").bind(ts(at)).execute(&mut *tx).await.map_err(db)?;
    sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
        .bind(token_hash)
        .bind(id)
        .bind(csrf)
        .bind(ts(at))
        .bind(ts(expires_at))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    event(&mut tx, user, None, None, "login", serde_json::json!({}), None, None).await?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn session(store: &SqliteStore, token_hash: &str) -> Result<Option<Session>> {
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS}, s.csrf, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL"
    ))
    .bind(token_hash)
    .bind(ts(now()))
    .fetch_optional(&store.pool)
    .await
    .map_err(db)?;
    // The session's own columns follow the user's.
    let at = USER_WIDTH;
    row.map(|r| Ok(Session { user: user_of(&r)?, csrf: r.get(at), expires_at: parse_ts(r.get::<&str, _>(at + 1))? }))
        .transpose()
}

pub(crate) async fn delete_session(store: &SqliteStore, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = ?").bind(token_hash).execute(&store.pool).await.map_err(db)?;
    Ok(())
}

/// A stored optional timestamp.
fn opt_ts(r: &sqlx::sqlite::SqliteRow, i: usize) -> Result<Option<DateTime<Utc>>> {
    r.get::<Option<&str>, _>(i).map(parse_ts).transpose()
}

pub(crate) async fn tokens(store: &SqliteStore, user: Option<&str>) -> Result<Vec<TokenInfo>> {
    let rows = sqlx::query(
        "SELECT t.id, u.name, t.created_at, t.last_used_at, t.expires_at, t.revoked_at
           FROM tokens t JOIN users u ON u.id = t.user_id
          WHERE ?1 IS NULL OR u.name = ?1 ORDER BY t.id DESC",
    )
    .bind(user)
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    rows.iter()
        .map(|r| {
            Ok(TokenInfo {
                id: r.get(0),
                user: r.get(1),
                created_at: parse_ts(r.get::<&str, _>(2))?,
                last_used_at: opt_ts(r, 3)?,
                expires_at: opt_ts(r, 4)?,
                revoked_at: opt_ts(r, 5)?,
            })
        })
        .collect()
}

pub(crate) async fn revoke_token(store: &SqliteStore, id: i64, actor: &str) -> Result<()> {
    let mut tx = store.write().await?;
    let row = sqlx::query(
        "UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?
         RETURNING (SELECT name FROM users WHERE users.id = tokens.user_id)",
    )
    .bind(ts(now()))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await
    .map_err(db)?
    .ok_or(StoreError::NoSuchToken(id))?;
    let user: String = row.get(0);
    event(&mut tx, actor, None, None, "token-revoked", serde_json::json!({ "user": user, "token": id }), None, None)
        .await?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn set_user_disabled(store: &SqliteStore, user: &str, disabled: bool, actor: &str) -> Result<()> {
    let mut tx = store.write().await?;
    let id = user_id(&mut tx, user).await?;
    let at = disabled.then(|| ts(now()));
    sqlx::query("UPDATE users SET disabled_at = ? WHERE id = ?")
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    if disabled {
        sqlx::query("DELETE FROM sessions WHERE user_id = ?").bind(id).execute(&mut *tx).await.map_err(db)?;
    }
    let kind = if disabled { "user-disabled" } else { "user-enabled" };
    event(&mut tx, actor, None, None, kind, serde_json::json!({ "user": user }), None, None).await?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn set_password(store: &SqliteStore, user: &str, password_hash: &str, actor: &str) -> Result<()> {
    let mut tx = store.write().await?;
    let id = user_id(&mut tx, user).await?;
    sqlx::query("UPDATE users SET password_hash = ? WHERE id = ?")
        .bind(password_hash)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    sqlx::query("DELETE FROM sessions WHERE user_id = ?").bind(id).execute(&mut *tx).await.map_err(db)?;
    event(&mut tx, actor, None, None, "password-changed", serde_json::json!({ "user": user }), None, None).await?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn sessions_of(store: &SqliteStore, user: &str) -> Result<Vec<SessionInfo>> {
    let rows = sqlx::query(
        "SELECT s.created_at, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE u.name = ? AND s.expires_at > ? ORDER BY s.created_at DESC",
    )
    .bind(user)
    .bind(ts(now()))
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    rows.iter()
        .map(|r| {
            Ok(SessionInfo { created_at: parse_ts(r.get::<&str, _>(0))?, expires_at: parse_ts(r.get::<&str, _>(1))? })
        })
        .collect()
}

pub(crate) async fn end_sessions(store: &SqliteStore, user: &str, actor: &str) -> Result<usize> {
    let mut tx = store.write().await?;
    let id = user_id(&mut tx, user).await?;
    let n = sqlx::query("DELETE FROM sessions WHERE user_id = ?")
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
    event(&mut tx, actor, None, None, "sessions-ended", serde_json::json!({ "user": user, "sessions": n }), None, None)
        .await?;
    tx.commit().await.map_err(db)?;
    Ok(n as usize)
}

pub(crate) async fn login_attempt(
    store: &SqliteStore,
    limits: &[(&str, u32)],
    window: std::time::Duration,
) -> Result<Option<u64>> {
    let at = now();
    let window = chrono::Duration::from_std(window).unwrap_or(chrono::Duration::MAX);
    let cutoff = at.checked_sub_signed(window).unwrap_or(DateTime::<Utc>::MIN_UTC);
    // The writer's turn makes the count and the insert one decision.
    let mut tx = store.write().await?;
    sqlx::query("DELETE FROM login_failures WHERE at <= ?").bind(ts(cutoff)).execute(&mut *tx).await.map_err(db)?;
    let mut wait: Option<u64> = None;
    for (key, max) in limits {
        let row = sqlx::query("SELECT COUNT(*), MIN(at) FROM login_failures WHERE key = ?")
            .bind(*key)
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
        let (n, oldest): (i64, Option<String>) = (row.get(0), row.get(1));
        if n >= i64::from(*max) {
            let oldest = oldest.as_deref().map(parse_ts).transpose()?.unwrap_or(at);
            let left = (oldest + window - at).num_seconds().max(1) as u64;
            wait = Some(wait.map_or(left, |w| w.max(left)));
        }
    }
    if wait.is_none() {
        for (key, _) in limits {
            sqlx::query("INSERT INTO login_failures (key, at) VALUES (?, ?)")
                .bind(*key)
                .bind(ts(at))
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
    }
    tx.commit().await.map_err(db)?;
    Ok(wait)
}

pub(crate) async fn login_succeeded(store: &SqliteStore, forget: &str, take_back: &str) -> Result<()> {
    let mut tx = store.write().await?;
    sqlx::query("DELETE FROM login_failures WHERE key = ?").bind(forget).execute(&mut *tx).await.map_err(db)?;
    sqlx::query(
        "DELETE FROM login_failures WHERE rowid = (SELECT rowid FROM login_failures WHERE key = ? ORDER BY at DESC LIMIT 1)",
    )
    .bind(take_back)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    tx.commit().await.map_err(db)
}
