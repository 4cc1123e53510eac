//! Throwaway PostgreSQL clusters for the tests that stop a database or need a streaming
//! replica: each on its own loopback port and socket directory under the temp dir, run as
//! the `postgres` user (`runuser`, so the tests need root), never the shared server, and
//! stopped and removed when dropped.

use std::path::PathBuf;
use std::process::Command;

pub(super) struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
}

fn server_binaries() -> PathBuf {
    std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL's server binaries")
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").exists())
        .max()
        .expect("an initdb")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Cluster {
    /// An empty directory for a cluster called `name`, owned by `postgres`.
    fn empty(name: &str) -> Cluster {
        let dir = std::env::temp_dir().join(format!("portal-pg-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        assert!(
            Command::new("chown")
                .args(["postgres:postgres"])
                .arg(&dir)
                .status()
                .unwrap()
                .success()
        );
        Cluster {
            dir,
            bin: server_binaries(),
            port: free_port(),
        }
    }

    /// A new cluster (trust authentication, replication allowed from loopback), started.
    pub(super) fn start(name: &str) -> Cluster {
        let cluster = Cluster::empty(name);
        cluster.as_postgres(&[
            "initdb",
            "-D",
            &cluster.data(),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
        ]);
        cluster.ctl("start");
        cluster
    }

    /// A streaming replica of `primary` from `pg_basebackup`, with `settings` added to its
    /// configuration (e.g. `recovery_min_apply_delay = '3s'`), started.
    pub(super) fn replica_of(primary: &Cluster, name: &str, settings: &[&str]) -> Cluster {
        let cluster = Cluster::empty(name);
        let port = primary.port.to_string();
        cluster.as_postgres(&[
            "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            &port,
            "-U",
            "postgres",
            "-D",
            &cluster.data(),
            "-R",
            "-X",
            "stream",
            "--checkpoint=fast",
            "--no-sync",
        ]);
        let conf = format!("{}/postgresql.auto.conf", cluster.data());
        let mut text = std::fs::read_to_string(&conf).unwrap();
        for s in settings {
            text.push_str(s);
            text.push('\n');
        }
        std::fs::write(&conf, text).unwrap();
        cluster.ctl("start");
        cluster
    }

    fn data(&self) -> String {
        self.dir.join("data").display().to_string()
    }

    fn as_postgres(&self, args: &[&str]) {
        let program = self.bin.join(args[0]);
        let out = Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(program)
            .args(&args[1..])
            .output()
            .expect("runuser runs");
        assert!(
            out.status.success(),
            "{args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// `pg_ctl start` or `stop` (fast), waiting for it.
    pub(super) fn ctl(&self, what: &str) {
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.display()
        );
        let log = self.dir.join("log").display().to_string();
        let data = self.data();
        let mut args = vec!["pg_ctl", "-D", &data, "-l", &log, "-w", "-o", &opts];
        if what == "stop" {
            args.extend(["-m", "fast"]);
        }
        args.push(what);
        self.as_postgres(&args);
    }

    /// Runs `sql` in database `postgres`; panics when it fails.
    pub(super) fn psql(&self, sql: &str) {
        self.value("postgres", sql);
    }

    /// The output of `sql` in database `db`, trimmed; panics when it fails.
    pub(super) fn value(&self, db: &str, sql: &str) -> String {
        let out = Command::new("psql")
            .arg(self.url(db))
            .args(["-qtAc", sql])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// The URL of database `db`.
    pub(super) fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data();
        let _ = Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join("pg_ctl"))
            .args(["-D", &data, "-m", "immediate", "-w", "stop"])
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
