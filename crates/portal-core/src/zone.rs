//! Time zones (issue 18): the portal's zone (a setting) and each customer's own (their
//! account), and a UTC instant as a local time in one of them. Instants stay UTC
//! everywhere else; only what a person reads is local. Zones and their rules (offsets,
//! daylight saving) come from `jiff` with the IANA database compiled in, so a zone works
//! the same on every machine and nothing is read from the file system.

use crate::model::{CivilTime, Timestamp};

/// The zone of a portal that names none.
pub const DEFAULT_ZONE: &str = "UTC";

/// A time zone from the IANA database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    name: String,
    tz: jiff::tz::TimeZone,
}

/// A moment as it reads in a zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalTime {
    /// Calendar date and time of day in the zone.
    pub civil: CivilTime,
    /// The zone's offset from UTC then, in seconds (e.g. 7200 for UTC+2).
    pub offset_seconds: i32,
    /// The zone's abbreviation then (`EET`, `EEST`, `EST`; some zones have numeric ones
    /// like `+03`).
    pub abbreviation: String,
}

impl Zone {
    /// The zone with this IANA name (`Europe/Helsinki`), or `None`.
    pub fn named(name: &str) -> Option<Zone> {
        let name = name.trim();
        if name.is_empty() || name.len() > 64 {
            return None;
        }
        let tz = jiff::tz::TimeZone::get(name).ok()?;
        Some(Zone {
            name: tz.iana_name().unwrap_or(name).to_string(),
            tz,
        })
    }

    /// UTC.
    pub fn utc() -> Zone {
        Zone {
            name: DEFAULT_ZONE.to_string(),
            tz: jiff::tz::TimeZone::UTC,
        }
    }

    /// Its IANA name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `t` as it reads in this zone.
    pub fn local(&self, t: Timestamp) -> LocalTime {
        let ts = jiff::Timestamp::from_millisecond(t.0).unwrap_or(if t.0 < 0 {
            jiff::Timestamp::MIN
        } else {
            jiff::Timestamp::MAX
        });
        let z = ts.to_zoned_datetime(self.tz.clone());
        let info = self.tz.to_offset_info(ts);
        LocalTime {
            civil: CivilTime {
                year: i32::from(z.year()),
                month: u8::try_from(z.month()).unwrap_or(1),
                day: u8::try_from(z.day()).unwrap_or(1),
                hour: u8::try_from(z.hour()).unwrap_or(0),
                minute: u8::try_from(z.minute()).unwrap_or(0),
                second: u8::try_from(z.second()).unwrap_or(0),
            },
            offset_seconds: z.offset().seconds(),
            abbreviation: info.abbreviation().to_string(),
        }
    }
}

impl LocalTime {
    /// RFC 3339 / ISO 8601 with the offset, to the second: `2026-03-29T04:00:00+03:00`.
    pub fn iso8601(&self) -> String {
        let c = &self.civil;
        let off = self.offset_seconds;
        let sign = if off < 0 { '-' } else { '+' };
        let off = off.unsigned_abs();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
            c.year,
            c.month,
            c.day,
            c.hour,
            c.minute,
            c.second,
            off / 3600,
            (off % 3600) / 60
        )
    }
}

/// Every zone name a person may choose, sorted.
pub fn zone_names() -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|n| n.to_string())
        // Only Area/Location names and UTC: the database also holds legacy aliases
        // (`EST5EDT`, `Etc/GMT+3`, `Navajo`) people should not have to wade through.
        .filter(|n| {
            n == DEFAULT_ZONE
                || (n.contains('/')
                    && !n.starts_with("Etc/")
                    && !n.starts_with("SystemV/")
                    && !n.starts_with("US/")
                    && !n.starts_with("posix/")
                    && !n.starts_with("right/"))
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The zone a visitor reads times in: their own when they chose a known one, else the
/// portal's, else UTC.
pub fn visitor_zone(own: Option<&str>, portal: &str) -> Zone {
    own.and_then(Zone::named)
        .or_else(|| Zone::named(portal))
        .unwrap_or_else(Zone::utc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        // Tests only: a fixed instant from RFC 3339 text.
        let t: jiff::Timestamp = s.parse().unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        Timestamp(t.as_millisecond())
    }

    #[test]
    fn helsinki_moves_its_clocks_on_the_last_sunday_of_march_at_01_utc() {
        let z = Zone::named("Europe/Helsinki").unwrap_or_else(Zone::utc);
        let before = z.local(at("2026-03-29T00:59:00Z"));
        assert_eq!((before.civil.hour, before.civil.minute), (2, 59));
        assert_eq!(
            (before.offset_seconds, before.abbreviation.as_str()),
            (7200, "EET")
        );
        let after = z.local(at("2026-03-29T01:00:00Z"));
        assert_eq!((after.civil.hour, after.civil.minute), (4, 0));
        assert_eq!(
            (after.offset_seconds, after.abbreviation.as_str()),
            (10800, "EEST")
        );
        assert_eq!(after.iso8601(), "2026-03-29T04:00:00+03:00");
    }

    #[test]
    fn new_york_moves_its_clocks_on_the_second_sunday_of_march_at_07_utc() {
        let z = Zone::named("America/New_York").unwrap_or_else(Zone::utc);
        let before = z.local(at("2026-03-08T06:59:00Z"));
        assert_eq!(before.civil.hour, 1);
        assert_eq!(before.abbreviation, "EST");
        assert_eq!(before.iso8601(), "2026-03-08T01:59:00-05:00");
        let after = z.local(at("2026-03-08T07:00:00Z"));
        assert_eq!(after.civil.hour, 3);
        assert_eq!(after.abbreviation, "EDT");
        // A date crosses midnight backwards from UTC.
        let evening = z.local(at("2026-12-07T02:30:00Z"));
        assert_eq!((evening.civil.day, evening.civil.hour), (6, 21));
    }

    #[test]
    fn a_visitor_reads_their_own_zone_else_the_portals_else_utc() {
        assert_eq!(
            visitor_zone(Some("Europe/Helsinki"), "Europe/Berlin").name(),
            "Europe/Helsinki"
        );
        assert_eq!(
            visitor_zone(Some("Mars/Olympus"), "Europe/Berlin").name(),
            "Europe/Berlin"
        );
        assert_eq!(visitor_zone(None, "nowhere").name(), "UTC");
        assert!(Zone::named("").is_none() && Zone::named("../etc/passwd").is_none());
        let names = zone_names();
        assert!(names.iter().any(|n| n == "Europe/Helsinki"));
        assert!(names.iter().any(|n| n == "UTC"));
        assert!(!names.iter().any(|n| n.starts_with("Etc/")));
        assert!(names.iter().all(|n| Zone::named(n).is_some()));
    }
}
