//! The `SettingsRepository` port: the portal settings with optimistic versions.

use async_trait::async_trait;
use diesel::prelude::*;
use portal_core::ports::*;
use portal_core::settings::PortalSettings;
use portal_core::{PortError, PortResult};

use crate::Store;
use crate::db::{Db, port_error};
use crate::repo::json;
use crate::repo::unjson;
use crate::repo::write;
use crate::schema::*;

#[async_trait]
impl SettingsRepository for Store {
    async fn load(&self) -> PortResult<PortalSettings> {
        self.q(|c| {
            let row: Option<String> = settings::table
                .find(1i64)
                .select(settings::body)
                .first(c)
                .optional()?;
            row.map_or_else(|| Ok(PortalSettings::default()), |b| unjson(&b))
        })
        .await
    }

    async fn save(&self, s: &PortalSettings) -> PortResult<PortalSettings> {
        let s = s.clone();
        self.run(move |c| {
            write(c, |c| {
                let stored: Option<i64> = settings::table
                    .find(1i64)
                    .select(settings::version)
                    .first(c)
                    .optional()?;
                if stored.unwrap_or(0) != s.version as i64 {
                    return Ok(Err(PortError::Conflict(format!(
                        "settings changed meanwhile (version {})",
                        stored.unwrap_or(0)
                    ))));
                }
                let saved = PortalSettings {
                    version: s.version + 1,
                    ..s
                };
                let body = json(&saved)?;
                if stored.is_some() {
                    diesel::update(settings::table.find(1i64))
                        .set((
                            settings::version.eq(saved.version as i64),
                            settings::body.eq(&body),
                        ))
                        .execute(c)?;
                } else {
                    diesel::insert_into(settings::table)
                        .values((
                            settings::id.eq(1i64),
                            settings::version.eq(saved.version as i64),
                            settings::body.eq(&body),
                        ))
                        .execute(c)?;
                }
                Ok(Ok(saved))
            })
            .map_err(port_error)?
        })
        .await
    }

    fn read_replica_note(&self) -> Option<String> {
        Store::read_replica_note(self)
    }

    async fn check_writable(&self) -> PortResult<()> {
        if let Some(dir) = self.sqlite_dir() {
            let free = tokio::task::spawn_blocking(move || free_bytes(&dir))
                .await
                .map_err(|e| PortError::Backend(e.to_string()))?;
            if let Some(free) = free.filter(|f| *f < MIN_FREE_BYTES) {
                return Err(PortError::Unavailable(format!(
                    "the disk holding the database is full ({} KiB free)",
                    free / 1024
                )));
            }
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        self.q(move |c| {
            // The same statement on both backends; `now` is our own integer.
            diesel::sql_query(format!(
                "INSERT INTO health (id, at) VALUES (1, {now}) \
                 ON CONFLICT (id) DO UPDATE SET at = excluded.at"
            ))
            .execute(c)
            .map(|_| ())
        })
        .await
    }

    async fn server_key(&self, name: &str, candidate: String) -> PortResult<String> {
        let name = name.to_string();
        self.q(move |c| {
            // Insert-if-absent then read: two servers racing both read the winner's key.
            match c {
                Db::Sqlite(c) => diesel::insert_into(server_keys::table)
                    .values((
                        server_keys::name.eq(&name),
                        server_keys::value.eq(&candidate),
                    ))
                    .on_conflict_do_nothing()
                    .execute(c)?,
                Db::Pg(c) => diesel::insert_into(server_keys::table)
                    .values((
                        server_keys::name.eq(&name),
                        server_keys::value.eq(&candidate),
                    ))
                    .on_conflict_do_nothing()
                    .execute(c)?,
            };
            server_keys::table
                .find(&name)
                .select(server_keys::value)
                .first(c)
        })
        .await
    }
}

/// Below this much free space a SQLite database is reported full: a write may still fit
/// in its journal, the next larger one will not.
const MIN_FREE_BYTES: u64 = 1024 * 1024;

/// Bytes an unprivileged writer may still use on the file system holding `dir`.
fn free_bytes(dir: &std::path::Path) -> Option<u64> {
    let s = rustix::fs::statvfs(dir).ok()?;
    Some(s.f_bavail.saturating_mul(s.f_frsize))
}
