//! O4, moving and keeping data: `portal copy` between SQLite and PostgreSQL (and back), its
//! refusal of a non-empty target, a resumed copy after an interruption, and `portal backup`
//! of a running installation restored and accepted by `check-config`, on both backends.
//! Every comparison is the store's table-by-table digest (`portal_store::copy::compare`).

use std::path::Path;
use std::process::{Command, Output};

use sha2::Digest;

use super::faults::{login, repliable, reply, ticket_ids};
use super::{spawn_server, temp_dir};

/// A database of its own on the shared PostgreSQL server, dropped when the test ends.
struct PgDb {
    admin: String,
    name: String,
}

impl PgDb {
    fn create(what: &str) -> PgDb {
        let admin = std::env::var("PORTAL_TEST_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let db = PgDb {
            admin,
            name: format!("portal_{what}_{}", std::process::id()),
        };
        db.psql(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", db.name));
        assert!(
            db.psql(&format!("CREATE DATABASE {}", db.name)),
            "PostgreSQL at {}",
            db.admin
        );
        db
    }

    fn psql(&self, sql: &str) -> bool {
        Command::new("psql")
            .arg(&self.admin)
            .args(["-qtAc", sql])
            .env("PGOPTIONS", "-c client_min_messages=warning")
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    }

    fn url(&self) -> String {
        match self.admin.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{}", self.name),
            None => panic!("PORTAL_TEST_PG_URL names no database"),
        }
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        self.psql(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
    }
}

fn portal(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_portal"));
    cmd.args(args)
        .env("PORTAL_DATA_DIR", dir)
        .env_remove("PORTAL_DATABASE_URL")
        .env("PORTAL_LOG", "warn")
        .current_dir(dir);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// Asserts every table compares equal and returns how many attachments were hashed.
fn equal(a: &str, b: &str) -> u64 {
    equal_but(a, b, &[])
}

/// [`equal`], but the tables in `moving` may differ (a server ran in between).
fn equal_but(a: &str, b: &str, moving: &[&str]) -> u64 {
    let (tables, blobs) = portal_store::copy::compare(a, b, false).unwrap();
    assert!(tables.len() > 20, "{tables:?}");
    for t in tables
        .iter()
        .filter(|t| !moving.contains(&t.table.as_str()))
    {
        assert!(t.equal, "{t:?}");
    }
    assert!(
        tables
            .iter()
            .any(|t| t.table == "tickets" && t.source_rows > 0)
    );
    blobs
}

/// The demo world in `dir/portal.db`, plus a reply with an attachment and a session, made
/// over HTTP by a real server (stopped again).
fn demo_world(dir: &Path) -> String {
    ok(&portal(dir, &["demo"], &[]));
    let (mut server, addr) = spawn_server(dir, &[("PORTAL_DEMO", "0")]);
    let result = std::panic::catch_unwind(|| {
        let cookie = login(addr, "anna@acme.example");
        let (id, csrf) = repliable(addr, &cookie);
        let (status, _) = reply(
            addr,
            (&cookie, &csrf),
            id,
            "moving day",
            Some(b"log line\n"),
        );
        assert_eq!(status, 303);
    });
    let _ = server.kill();
    let _ = server.wait();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
    format!("sqlite://{}", dir.join("portal.db").display())
}

#[test]
fn o4_portal_copy_moves_sqlite_to_postgresql_and_back_and_every_table_compares_equal() {
    let dir = temp_dir("copy");
    let pg = PgDb::create("copy");
    let original = demo_world(&dir);
    // And 500 tickets of the benchmark's company world beside it (threads, properties).
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let store = portal_store::Store::connect(&portal_store::StoreConfig::new(&original))
                .await
                .unwrap();
            portal_store::seed::seed(&store, &portal_store::seed::SeedPlan::company(500), |_| {})
                .await
                .unwrap();
        });
    // SQLite → PostgreSQL, from the configured database.
    let out = ok(&portal(&dir, &["copy", "--to", &pg.url()], &[]));
    assert!(out.contains("attachment files hashed"), "{out}");
    assert!(!out.contains("DIFFERENT"), "{out}");
    let blobs = equal(&original, &pg.url());
    assert!(
        blobs >= 3,
        "the demo's attachments and the reply's: {blobs}"
    );
    // A second copy into the now full target is refused, and changes nothing.
    let again = portal(&dir, &["copy", "--to", &pg.url()], &[]);
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("not empty"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    // PostgreSQL → SQLite.
    let back = format!("sqlite://{}", dir.join("back.db").display());
    ok(&portal(
        &dir,
        &["copy", "--from", &pg.url(), "--to", &back],
        &[],
    ));
    equal(&original, &back);
    let compared = ok(&portal(
        &dir,
        &["copy", "--compare-only", "--to", &back],
        &[],
    ));
    assert!(
        compared.contains("tickets") && !compared.contains("DIFFERENT"),
        "{compared}"
    );
    // An interrupted copy (the last half of the messages and everything after them in the
    // copy's order missing) is finished by --resume.
    {
        use diesel::Connection;
        use diesel::connection::SimpleConnection;
        let mut c =
            diesel::SqliteConnection::establish(dir.join("back.db").to_str().unwrap()).unwrap();
        c.batch_execute(
            "PRAGMA foreign_keys = ON; DELETE FROM messages WHERE id > (SELECT max(id) / 2 FROM messages); \
             DELETE FROM timeline; DELETE FROM audit_log;",
        )
        .unwrap();
    }
    let (tables, _) = portal_store::copy::compare(&original, &back, false).unwrap();
    let differ: Vec<&str> = tables
        .iter()
        .filter(|t| !t.equal)
        .map(|t| t.table.as_str())
        .collect();
    assert!(
        differ.contains(&"messages") && differ.contains(&"timeline"),
        "{differ:?}"
    );
    ok(&portal(
        &dir,
        &["copy", "--from", &pg.url(), "--to", &back, "--resume"],
        &[],
    ));
    equal(&original, &back);
    // The PostgreSQL copy serves the portal: the customer sees her tickets and a reply is
    // stored (the id sequences continue after the copied ids).
    let serve = temp_dir("copy-serve");
    let (mut server, addr) = spawn_server(
        &serve,
        &[("PORTAL_DATABASE_URL", &pg.url()), ("PORTAL_DEMO", "0")],
    );
    let result = std::panic::catch_unwind(|| {
        let cookie = login(addr, "anna@acme.example");
        assert!(!ticket_ids(addr, &cookie).is_empty());
        let (id, csrf) = repliable(addr, &cookie);
        assert_eq!(
            reply(addr, (&cookie, &csrf), id, "after the move", Some(b"x")).0,
            303
        );
    });
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&serve);
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn o4_a_backup_of_a_running_installation_restores_and_check_config_accepts_it() {
    let dir = temp_dir("backup");
    let original = demo_world(&dir);
    // SQLite: VACUUM INTO while a server runs.
    let (mut server, _addr) = spawn_server(&dir, &[("PORTAL_DEMO", "0")]);
    let file = dir.join("backup.db");
    let out = portal(&dir, &["backup", "--out", file.to_str().unwrap()], &[]);
    let twice = portal(&dir, &["backup", "--out", file.to_str().unwrap()], &[]);
    let _ = server.kill();
    let _ = server.wait();
    assert!(ok(&out).contains("backup written"));
    assert!(!twice.status.success(), "a backup never overwrites a file");
    let restored = format!("sqlite://{}", file.display());
    let check = ok(&portal(
        &dir,
        &["check-config"],
        &[("PORTAL_DATABASE_URL", &restored)],
    ));
    assert!(check.contains("database reachable"), "{check}");
    // The server's mail sender may have delivered queued mail after the backup.
    assert!(equal_but(&original, &restored, &["outbox"]) >= 3);
    // PostgreSQL: pg_dump's custom format, restored with pg_restore into a new database.
    let pg = PgDb::create("backup");
    ok(&portal(&dir, &["copy", "--to", &pg.url()], &[]));
    let dump = dir.join("backup.pgdump");
    ok(&portal(
        &dir,
        &["backup", "--out", dump.to_str().unwrap()],
        &[("PORTAL_DATABASE_URL", &pg.url())],
    ));
    let target = PgDb::create("restore");
    let status = Command::new("pg_restore")
        .args(["--no-owner", "--exit-on-error", "--dbname"])
        .arg(target.url())
        .arg(&dump)
        .status()
        .unwrap();
    assert!(status.success());
    let check = ok(&portal(
        &dir,
        &["check-config"],
        &[("PORTAL_DATABASE_URL", &target.url())],
    ));
    assert!(check.contains("database reachable"), "{check}");
    assert!(equal(&pg.url(), &target.url()) >= 3);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The `written` column of a table in `portal import --from`'s table.
fn written(stdout: &str, table: &str) -> Option<u64> {
    stdout
        .lines()
        .find(|l| l.split_whitespace().next() == Some(table))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.replace(',', "").parse().ok())
}

#[test]
fn o4_portal_export_then_import_reproduces_the_installation_and_a_second_import_changes_nothing() {
    let dir = temp_dir("export");
    let original = demo_world(&dir);
    let export = dir.join("export");
    let out = ok(&portal(
        &dir,
        &["export", "--out", export.to_str().unwrap()],
        &[],
    ));
    assert!(out.contains("exported"), "{out}");
    let again = portal(&dir, &["export", "--out", export.to_str().unwrap()], &[]);
    assert!(
        !again.status.success(),
        "an export never writes into a full directory"
    );
    // The format: a manifest, a JSON object per row, files named by their SHA-256.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(export.join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["format"], "portal-export");
    assert_eq!(manifest["version"], 1);
    let tickets = std::fs::read_to_string(export.join("tables/tickets.jsonl")).unwrap();
    assert_eq!(
        tickets.lines().count() as u64,
        manifest["tables"]["tickets"]["rows"].as_u64().unwrap()
    );
    let first: serde_json::Value = serde_json::from_str(tickets.lines().next().unwrap()).unwrap();
    assert!(
        first["subject"].is_string() && first["id"].is_i64(),
        "{first}"
    );
    let mut files = 0;
    for f in std::fs::read_dir(export.join("files")).unwrap() {
        let f = f.unwrap();
        let bytes = std::fs::read(f.path()).unwrap();
        let sha: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(f.file_name().to_string_lossy(), sha);
        files += 1;
    }
    assert!(files >= 2, "the demo's attachments and the reply's");
    // Into an empty SQLite database and an empty PostgreSQL one: the same installation,
    // and a second import of the same files writes nothing.
    let pg = PgDb::create("import");
    let sqlite = format!("sqlite://{}", dir.join("imported.db").display());
    for target in [sqlite.as_str(), pg.url().as_str()] {
        let env = [("PORTAL_DATABASE_URL", target)];
        let first = ok(&portal(
            &dir,
            &["import", "--from", export.to_str().unwrap()],
            &env,
        ));
        assert!(first.contains("no rows rejected"), "{first}");
        assert!(written(&first, "tickets").unwrap() > 0, "{first}");
        equal(&original, target);
        let second = ok(&portal(
            &dir,
            &["import", "--from", export.to_str().unwrap()],
            &env,
        ));
        for table in ["tickets", "messages", "contacts", "blobs", "settings"] {
            assert_eq!(written(&second, table), Some(0), "{table}: {second}");
        }
        equal(&original, target);
    }
    // A file altered and a message whose thread is not there: those rows are rejected in
    // full with their reasons, exit status 2; the rest lands.
    let bad = dir.join("bad-export");
    std::fs::create_dir_all(bad.join("tables")).unwrap();
    std::fs::create_dir_all(bad.join("files")).unwrap();
    for sub in ["tables", "files"] {
        for f in std::fs::read_dir(export.join(sub)).unwrap() {
            let f = f.unwrap();
            std::fs::copy(f.path(), bad.join(sub).join(f.file_name())).unwrap();
        }
    }
    std::fs::copy(export.join("manifest.json"), bad.join("manifest.json")).unwrap();
    let victim = std::fs::read_dir(bad.join("files"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::write(&victim, b"not what was exported").unwrap();
    let messages = std::fs::read_to_string(bad.join("tables/messages.jsonl")).unwrap();
    let mut lines: Vec<String> = messages.lines().map(str::to_string).collect();
    let mut orphan: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    orphan["id"] = serde_json::json!(9_999_999);
    orphan["thread_id"] = serde_json::json!(8_888_888);
    let orphan = orphan.to_string();
    lines.push(orphan.clone());
    std::fs::write(bad.join("tables/messages.jsonl"), lines.join("\n") + "\n").unwrap();
    let target = format!("sqlite://{}", dir.join("bad.db").display());
    let out = portal(
        &dir,
        &[
            "import",
            "--from",
            bad.to_str().unwrap(),
            "--report",
            "bad.csv",
        ],
        &[("PORTAL_DATABASE_URL", &target)],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut report = csv::Reader::from_path(dir.join("bad.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = report.records().map(|r| r.unwrap()).collect();
    assert!(
        rows.iter().any(|r| r[0] == *"tables/blobs.jsonl"
            && r[3].contains("does not match its SHA-256")
            && r[4].contains(&*victim.file_name().unwrap().to_string_lossy())),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|r| r[0] == *"tables/messages.jsonl"
            && r[3].to_lowercase().contains("foreign key")
            && r[4] == orphan),
        "{rows:?}"
    );
    let (tables, _) = portal_store::copy::compare(&original, &target, false).unwrap();
    let tickets = tables.iter().find(|t| t.table == "tickets").unwrap();
    assert!(tickets.equal, "the other rows landed: {tickets:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The store at `db`, its ports, and the ticket imported under `external_id`.
async fn imported_ticket(
    db: &str,
    external_id: &str,
) -> (
    portal_store::Store,
    portal_core::ports::Ports,
    portal_core::model::Ticket,
) {
    let store = portal_store::Store::connect(&portal_store::StoreConfig::new(db))
        .await
        .unwrap();
    let ports = portal_server::system_ports(&store);
    let id = ports
        .directory
        .imported("ticket", external_id)
        .await
        .unwrap()
        .expect("the ticket was imported");
    let ticket = ports
        .tickets
        .get(portal_core::model::TicketId(id))
        .await
        .unwrap()
        .unwrap();
    (store, ports, ticket)
}

#[tokio::test]
async fn o4_a_csv_import_keyed_by_external_ids_brings_whole_threads_and_a_second_run_changes_nothing()
 {
    use portal_core::model::{Author, MessageVisibility};
    let dir = temp_dir("csv-keys");
    ok(&portal(&dir, &["demo"], &[]));
    std::fs::create_dir_all(dir.join("files/notes")).unwrap();
    std::fs::write(dir.join("files/notes/basement.txt"), b"Basement, room 4").unwrap();
    std::fs::write(dir.join("files/photo.txt"), b"a photo, as text").unwrap();
    std::fs::write(
        dir.join("companies.csv"),
        "external_id,name,domain\nC-1,Initech,initech.test\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("contacts.csv"),
        "external_id,email,first_name,last_name,company\nP-1,peter@initech.test,Peter,Gibbons,Initech\n",
    )
    .unwrap();
    let tickets = "external_id,subject,body,requester_email,stage,created_at,owner_email\n\
                   T-1,Stapler gone,Where is it?,peter@initech.test,,2026-10-01,sam@support.example\n";
    std::fs::write(dir.join("tickets.csv"), tickets).unwrap();
    std::fs::write(
        dir.join("files/messages.csv"),
        "external_id,ticket_external_id,author_email,body,internal,created_at,attachments\n\
         M-1,T-1,sam@support.example,We are looking into it,false,2026-10-02,\n\
         M-2,T-1,sam@support.example,Check the basement,true,2026-10-03,notes/basement.txt\n\
         M-3,T-1,peter@initech.test,Found it!,false,2026-10-04,photo.txt;notes/basement.txt\n\
         M-4,T-9,peter@initech.test,Lost,false,,\n\
         M-5,T-1,peter@initech.test,Secret,true,,\n",
    )
    .unwrap();
    let args = [
        "import",
        "--companies",
        "companies.csv",
        "--contacts",
        "contacts.csv",
        "--tickets",
        "tickets.csv",
        "--messages",
        "files/messages.csv",
        "--report",
        "rejected.csv",
    ];
    let first = portal(&dir, &args, &[]);
    assert_eq!(
        first.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let out = String::from_utf8_lossy(&first.stdout).to_string();
    for line in [
        "companies: 1 created",
        "contacts: 1 created",
        "tickets: 1 created",
        "messages: 3 created",
    ] {
        assert!(out.contains(line), "{line}: {out}");
    }
    let report = std::fs::read_to_string(dir.join("rejected.csv")).unwrap();
    assert!(
        report.contains("messages,5,ticket_external_id,"),
        "{report}"
    );
    assert!(
        report.contains("M-4,T-9,peter@initech.test,Lost"),
        "the row in full: {report}"
    );
    assert!(
        report.contains("messages,6,internal,"),
        "a customer writes no internal note: {report}"
    );
    // The thread as the other system had it: authors, notes, dates, files, owner.
    let db = format!("sqlite://{}", dir.join("portal.db").display());
    {
        let (_store, ports, ticket) = imported_ticket(&db, "T-1").await;
        let id = ticket.id;
        let sam = ports.catalog.agents().await.unwrap();
        let sam = sam
            .iter()
            .find(|a| a.email == "sam@support.example")
            .unwrap();
        assert_eq!(ticket.owner, Some(sam.id));
        let threads = ports.tickets.threads(id).await.unwrap();
        assert_eq!(threads.len(), 1, "one conversation");
        let m = &threads[0].messages;
        assert_eq!(m.len(), 4, "the ticket's body and three messages");
        assert_eq!(m[1].author, Author::Agent(sam.id));
        assert_eq!(m[2].visibility, MessageVisibility::Internal);
        assert!(matches!(m[3].author, Author::Contact(_)));
        assert!(m[1].created_at < m[2].created_at && m[2].created_at < m[3].created_at);
        assert_eq!(m[3].attachments.len(), 2);
        let basement = &m[3].attachments[1];
        assert_eq!(basement.file_name, "basement.txt");
        assert_eq!(
            ports.blobs.get(&basement.blob_key).await.unwrap().unwrap(),
            b"Basement, room 4"
        );
    }
    // The same files again: nothing written (the database compares equal to a copy taken
    // before), every record reported as already there.
    let before = dir.join("before.db");
    ok(&portal(
        &dir,
        &["backup", "--out", before.to_str().unwrap()],
        &[],
    ));
    let second = portal(&dir, &args, &[]);
    assert_eq!(
        second.status.code(),
        Some(2),
        "M-4 and M-5 are still rejected"
    );
    let out = String::from_utf8_lossy(&second.stdout).to_string();
    assert!(
        !out.contains("created") && !out.contains("updated"),
        "{out}"
    );
    assert!(out.contains("messages: 3 existed already"), "{out}");
    assert!(out.contains("tickets: 1 existed already"), "{out}");
    equal(&format!("sqlite://{}", before.display()), &db);
    // A change in the other system updates the record it was imported as.
    std::fs::write(
        dir.join("tickets.csv"),
        tickets
            .replace("Stapler gone,", "Red stapler gone,")
            .replace(",,2026", ",Closed,2026"),
    )
    .unwrap();
    let third = portal(&dir, &args[..7], &[]);
    let out = String::from_utf8_lossy(&third.stdout).to_string();
    assert!(third.status.success(), "{out}");
    assert!(out.contains("tickets: 1 updated"), "{out}");
    let (store, _, ticket) = imported_ticket(&db, "T-1").await;
    assert_eq!(ticket.subject, "Red stapler gone");
    assert_eq!(ticket.status, portal_core::model::TicketStatus::Closed);
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}
