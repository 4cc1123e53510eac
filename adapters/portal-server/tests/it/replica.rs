//! O5, read replicas, on a real streaming replica: a throwaway primary cluster, a standby
//! made from it by `pg_basebackup` that applies the primary's changes 3 s late, and a
//! server with `database_read_url` on the standby. The customer's lists are read on the
//! standby (its own table statistics count the scans); a customer who just replied finds
//! the reply at once (read from the primary) while the standby has not replayed it yet;
//! without that mark the standby answers, and finds it once replayed; a stopped standby
//! is left aside without one failed page, and `/readyz` says so.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use super::cluster::Cluster;
use super::faults::{login, repliable, reply, ticket_ids};
use super::{get, http, spawn_server, temp_dir};

/// Sequential and index scans of the ticket tables counted by the standby itself.
fn standby_scans(standby: &Cluster) -> i64 {
    standby
        .value(
            "portal",
            "SELECT COALESCE(sum(COALESCE(seq_scan, 0) + COALESCE(idx_scan, 0)), 0) \
             FROM pg_stat_user_tables WHERE relname IN ('tickets', 'ticket_contacts', 'ticket_companies')",
        )
        .parse()
        .unwrap()
}

fn until(within: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < within {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    done()
}

/// The customer's list searched for `word`, with `cookie`: whether ticket `id` is on it.
fn finds(addr: SocketAddr, cookie: &str, word: &str, id: i64) -> bool {
    let (status, _, page) = http(
        addr,
        "GET",
        &format!("/portal/tickets?q={word}"),
        cookie,
        None,
    );
    assert_eq!(status, 200, "{page}");
    page.contains(&format!("/portal/tickets/{id}\""))
}

#[test]
fn o5_lists_are_read_from_a_streaming_replica_writers_read_their_writes_and_a_stopped_replica_is_left_aside()
 {
    let primary = Cluster::start("primary");
    primary.psql("CREATE DATABASE portal");
    let standby = Cluster::replica_of(&primary, "standby", &["recovery_min_apply_delay = '3s'"]);
    let dir = temp_dir("replica");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
        .arg("demo")
        .env("PORTAL_DATA_DIR", &dir)
        .env("PORTAL_DATABASE_URL", primary.url("portal"))
        .env("PORTAL_LOG", "warn")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        until(Duration::from_secs(30), || {
            standby.value(
                "portal",
                "SELECT count(*) FROM pg_tables WHERE tablename = 'tickets'",
            ) == "1"
                && standby.value("portal", "SELECT count(*) FROM tickets") != "0"
        }),
        "the standby replays the demo world"
    );
    let (mut server, addr) = spawn_server(
        &dir,
        &[
            ("PORTAL_DATABASE_URL", &primary.url("portal")),
            ("PORTAL_DATABASE_READ_URL", &standby.url("portal")),
            ("PORTAL_READ_REPLICA_MAX_LAG", "30"),
            ("PORTAL_DEMO", "0"),
        ],
    );
    let result = std::panic::catch_unwind(|| {
        assert!(
            until(Duration::from_secs(10), || get(addr, "/readyz")
                .1
                .contains("read replica: in use")),
            "{}",
            get(addr, "/readyz").1
        );
        let cookie = login(addr, "anna@acme.example");
        // The lists are read on the standby.
        let before = standby_scans(&standby);
        for _ in 0..5 {
            assert!(!ticket_ids(addr, &cookie).is_empty());
        }
        assert!(
            until(Duration::from_secs(10), || standby_scans(&standby) > before),
            "the standby's statistics show the list scans"
        );
        // A reply, then at once the writer's search (marked: the primary) finds it while
        // the standby has not replayed it.
        let (id, csrf) = repliable(addr, &cookie);
        let (status, head) = reply(addr, (&cookie, &csrf), id, "zebracorn sighting", None);
        assert_eq!(status, 303);
        assert!(head.contains("portal_wrote=1"), "{head}");
        let marked = format!("{cookie}; portal_wrote=1");
        assert!(
            finds(addr, &marked, "zebracorn", id),
            "the writer reads its write"
        );
        assert!(
            !finds(addr, &cookie, "zebracorn", id),
            "unmarked: the standby, 3 s behind"
        );
        assert_eq!(
            standby.value(
                "portal",
                "SELECT count(*) FROM messages WHERE body LIKE '%zebracorn%'"
            ),
            "0",
            "the standby had not replayed the reply when the writer found it"
        );
        assert!(
            until(Duration::from_secs(20), || finds(
                addr,
                &cookie,
                "zebracorn",
                id
            )),
            "the standby catches up"
        );
        // A stopped standby: every page still answers, from the primary.
        standby.ctl("stop");
        for _ in 0..10 {
            assert!(!ticket_ids(addr, &cookie).is_empty());
            assert!(finds(addr, &cookie, "zebracorn", id));
        }
        let (status, body) = get(addr, "/readyz");
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("read replica: not used"), "{body}");
    });
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
    drop(standby);
    drop(primary);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}
