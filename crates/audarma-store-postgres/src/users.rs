//! Users, bearer tokens and login sessions.

use crate::rows::{db, now, user_of, USER_COLUMNS, USER_WIDTH};
use crate::write::event;
use crate::PgStore;
use audarma_core::Role;
use audarma_store::{Result, Session, SessionInfo, StoreError, TokenInfo, User};
use chrono::{DateTime, Utc};
use sqlx::Row;

/// The id of a user by name, or [`StoreError::NoSuchUser`].
pub(crate) async fn user_id(tx: &mut sqlx::PgConnection, name: &str) -> Result<i64> {
    let row = sqlx::query("SELECT id FROM users WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?
        .ok_or_else(|| StoreError::NoSuchUser(name.to_string()))?;
    Ok(row.get(0))
}

pub(crate) async fn add_user(
    store: &PgStore,
    name: &str,
    role: Role,
    password_hash: &str,
    actor: &str,
) -> Result<User> {
    let mut tx = store.write().await?;
    // One statement: the name's unique key decides, so two processes adding the same name at once
    // cannot both succeed (no check-then-insert).
    let id: i64 =
        sqlx::query("INSERT INTO users (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(name)
            .bind(role.as_str())
            .bind(password_hash)
            .bind(now())
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

pub(crate) async fn user(store: &PgStore, name: &str) -> Result<Option<User>> {
    let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users u WHERE u.name = $1"))
        .bind(name)
        .fetch_optional(&store.pool)
        .await
        .map_err(db)?;
    row.as_ref().map(user_of).transpose()
}

pub(crate) async fn users(store: &PgStore) -> Result<Vec<User>> {
    let rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.name COLLATE \"C\""))
        .fetch_all(&store.pool)
        .await
        .map_err(db)?;
    rows.iter().map(user_of).collect()
}

pub(crate) async fn set_user_role(store: &PgStore, user: &str, role: Role, actor: &str) -> Result<()> {
    let mut tx = store.write().await?;
    let before: String = sqlx::query("SELECT role FROM users WHERE name = $1 FOR UPDATE")
        .bind(user)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?
        .ok_or_else(|| StoreError::NoSuchUser(user.to_string()))?
        .get(0);
    sqlx::query("UPDATE users SET role = $1 WHERE name = $2")
        .bind(role.as_str())
        .bind(user)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    let detail = serde_json::json!({ "user": user });
    event(&mut tx, actor, None, None, "user-role", detail, Some(&before), Some(role.as_str())).await?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn set_user_locale(store: &PgStore, user: &str, locale: Option<&str>) -> Result<()> {
    let res = sqlx::query("UPDATE users SET locale = $1 WHERE name = $2")
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
    store: &PgStore,
    user: &str,
    token_hash: &str,
    expires_at: Option<DateTime<Utc>>,
    actor: &str,
) -> Result<()> {
    let mut tx = store.write().await?;
    let id = user_id(&mut tx, user).await?;
    sqlx::query("INSERT INTO tokens (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(token_hash)
        .bind(now())
        .bind(expires_at)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    event(&mut tx, actor, None, None, "token-created", serde_json::json!({ "user": user }), None, None).await?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn user_by_token(store: &PgStore, token_hash: &str) -> Result<Option<User>> {
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS} FROM tokens t JOIN users u ON u.id = t.user_id
          WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2)
            AND u.disabled_at IS NULL"
    ))
    .bind(token_hash)
    .bind(now())
    .fetch_optional(&store.pool)
    .await
    .map_err(db)?;
    row.as_ref().map(user_of).transpose()
}

pub(crate) async fn create_session(
    store: &PgStore,
    token_hash: &str,
    user: &str,
    csrf: &str,
    expires_at: DateTime<Utc>,
) -> Result<()> {
    let mut tx = store.write().await?;
    let id = user_id(&mut tx, user).await?;
    let at = now();
    sqlx::query("DELETE FROM sessions WHERE expires_at < $1").bind(at).execute(&mut *tx).await.map_err(db)?;
    sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(token_hash)
        .bind(id)
        .bind(csrf)
        .bind(at)
        .bind(expires_at)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    event(&mut tx, user, None, None, "login", serde_json::json!({}), None, None).await?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn session(store: &PgStore, token_hash: &str) -> Result<Option<Session>> {
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS}, s.csrf, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL"
    ))
    .bind(token_hash)
    .bind(now())
    .fetch_optional(&store.pool)
    .await
    .map_err(db)?;
    // The session's own columns follow the user's.
    let at = USER_WIDTH;
    row.map(|r| Ok(Session { user: user_of(&r)?, csrf: r.get(at), expires_at: r.get(at + 1) })).transpose()
}

pub(crate) async fn delete_session(store: &PgStore, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&store.pool)
        .await
        .map_err(db)?;
    Ok(())
}

pub(crate) async fn tokens(store: &PgStore, user: Option<&str>) -> Result<Vec<TokenInfo>> {
    let rows = sqlx::query(
        "SELECT t.id, u.name, t.created_at, t.last_used_at, t.expires_at, t.revoked_at
           FROM tokens t JOIN users u ON u.id = t.user_id
          WHERE $1::text IS NULL OR u.name = $1 ORDER BY t.id DESC",
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
                created_at: r.get(2),
                last_used_at: r.get(3),
                expires_at: r.get(4),
                revoked_at: r.get(5),
            })
        })
        .collect()
}

pub(crate) async fn revoke_token(store: &PgStore, id: i64, actor: &str) -> Result<()> {
    let mut tx = store.write().await?;
    let row = sqlx::query(
        "UPDATE tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2
         RETURNING (SELECT name FROM users WHERE users.id = tokens.user_id)",
    )
    .bind(now())
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

pub(crate) async fn set_user_disabled(store: &PgStore, user: &str, disabled: bool, actor: &str) -> Result<()> {
    let mut tx = store.write().await?;
    let id = user_id(&mut tx, user).await?;
    let at = disabled.then(now);
    sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2")
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    if disabled {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await.map_err(db)?;
    }
    let kind = if disabled { "user-disabled" } else { "user-enabled" };
    event(&mut tx, actor, None, None, kind, serde_json::json!({ "user": user }), None, None).await?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn set_password(store: &PgStore, user: &str, password_hash: &str, actor: &str) -> Result<()> {
    let mut tx = store.write().await?;
    let id = user_id(&mut tx, user).await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await.map_err(db)?;
    event(&mut tx, actor, None, None, "password-changed", serde_json::json!({ "user": user }), None, None).await?;
    tx.commit().await.map_err(db)
}

pub(crate) async fn sessions_of(store: &PgStore, user: &str) -> Result<Vec<SessionInfo>> {
    let rows = sqlx::query(
        "SELECT s.created_at, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE u.name = $1 AND s.expires_at > $2 ORDER BY s.created_at DESC",
    )
    .bind(user)
    .bind(now())
    .fetch_all(&store.pool)
    .await
    .map_err(db)?;
    rows.iter().map(|r| Ok(SessionInfo { created_at: r.get(0), expires_at: r.get(1) })).collect()
}

pub(crate) async fn end_sessions(store: &PgStore, user: &str, actor: &str) -> Result<usize> {
    let mut tx = store.write().await?;
    let id = user_id(&mut tx, user).await?;
    let n = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
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
    store: &PgStore,
    limits: &[(&str, u32)],
    window: std::time::Duration,
) -> Result<Option<u64>> {
    let at = now();
    let window = chrono::Duration::from_std(window).unwrap_or(chrono::Duration::MAX);
    let cutoff = at.checked_sub_signed(window).unwrap_or(DateTime::<Utc>::MIN_UTC);
    let mut tx = store.write().await?;
    // One decision per key across every desk process: its advisory lock (keys in order, so two
    // attempts never wait on each other crosswise) is held until the transaction ends.
    let mut keys: Vec<&str> = limits.iter().map(|(k, _)| *k).collect();
    keys.sort_unstable();
    for key in &keys {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 7))")
            .bind(*key)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
    }
    sqlx::query("DELETE FROM login_failures WHERE key = ANY($1) AND at <= $2")
        .bind(&keys)
        .bind(cutoff)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    let mut wait: Option<u64> = None;
    for (key, max) in limits {
        let row = sqlx::query("SELECT COUNT(*), MIN(at) FROM login_failures WHERE key = $1")
            .bind(*key)
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
        let (n, oldest): (i64, Option<DateTime<Utc>>) = (row.get(0), row.get(1));
        if n >= i64::from(*max) {
            let left = (oldest.unwrap_or(at) + window - at).num_seconds().max(1) as u64;
            wait = Some(wait.map_or(left, |w| w.max(left)));
        }
    }
    if wait.is_none() {
        sqlx::query("INSERT INTO login_failures (key, at) SELECT k, $2 FROM UNNEST($1::text[]) k")
            .bind(&keys)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
    }
    tx.commit().await.map_err(db)?;
    Ok(wait)
}

pub(crate) async fn login_succeeded(store: &PgStore, forget: &str, take_back: &str) -> Result<()> {
    let mut tx = store.write().await?;
    sqlx::query("DELETE FROM login_failures WHERE key = $1").bind(forget).execute(&mut *tx).await.map_err(db)?;
    sqlx::query(
        "DELETE FROM login_failures WHERE ctid = (SELECT ctid FROM login_failures WHERE key = $1 ORDER BY at DESC LIMIT 1)",
    )
    .bind(take_back)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    tx.commit().await.map_err(db)
}
