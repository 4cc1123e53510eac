//! The `SettingsRepository` port: the portal settings with optimistic versions.

use async_trait::async_trait;
use diesel::prelude::*;
use portal_core::ports::*;
use portal_core::settings::PortalSettings;
use portal_core::{PortError, PortResult};

use crate::Store;
use crate::db::port_error;
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
}
