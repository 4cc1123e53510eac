//! The `portal` binary: `serve` (the default), `migrate`, `demo`, `check-config`.
#![allow(clippy::print_stdout)]

use std::net::TcpListener;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use portal_core::usecases::import::ImportKind;
use portal_server::{build, config, demo, open_store_once, system_ports};

#[derive(Parser)]
#[command(
    name = "portal",
    version,
    about = "A self-hostable customer portal for support tickets"
)]
struct Cli {
    /// Configuration file (default: ./portal.toml when it exists).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal (the default).
    Serve,
    /// Apply pending database migrations and exit; with `--status`, list the applied and
    /// pending ones and change nothing.
    Migrate {
        /// Only list applied and pending migrations.
        #[arg(long)]
        status: bool,
    },
    /// Write the demo world into an empty database and exit.
    Demo,
    /// Check the configuration and the database, read only (nothing is created or
    /// migrated), and print the effective settings with every secret redacted.
    CheckConfig {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Queue registration emails for the access groups' members without a login (A1); with
    /// `--contact EMAIL`, (re)send one contact's invitation. Running servers deliver them.
    Invite {
        /// One contact's email.
        #[arg(long)]
        contact: Option<String>,
    },
    /// Create or update a staff login (admin by default; `--role agent` for an agent). The
    /// password comes from PORTAL_ADMIN_PASSWORD or the first line of standard input.
    CreateAdmin {
        /// Login email (the agent is created when missing).
        #[arg(long)]
        email: String,
        /// Display name, "First Last".
        #[arg(long, default_value = "")]
        name: String,
        /// `admin` (holds the portal-settings permission) or `agent`.
        #[arg(long, default_value = "admin")]
        role: String,
    },
    /// Import companies, contacts and tickets from CSV files with a header row (see
    /// docs/import.md for the columns). Rejected rows are listed with their line, field and
    /// reason and written to `--report`; the good rows are imported.
    Import {
        /// Companies: name, domain.
        #[arg(long)]
        companies: Option<std::path::PathBuf>,
        /// Contacts: email, first_name, last_name, company, language, membership_email,
        /// custom contact properties.
        #[arg(long)]
        contacts: Option<std::path::PathBuf>,
        /// Tickets: external_id, subject, body, requester_email, inbox, stage, created_at,
        /// owner_email, custom ticket properties.
        #[arg(long)]
        tickets: Option<std::path::PathBuf>,
        /// Messages of imported tickets' threads: external_id, ticket_external_id,
        /// author_email, body, internal, created_at, attachments (paths, `;` between).
        #[arg(long)]
        messages: Option<std::path::PathBuf>,
        /// An export directory (`portal export`) to import instead of CSV files: every
        /// record keyed by its id, so a second import of the same files changes nothing.
        #[arg(long, conflicts_with_all = ["companies", "contacts", "tickets", "messages"])]
        from: Option<std::path::PathBuf>,
        /// Where to write the rejected rows, each in full with its reason (CSV). The exit
        /// status is 2 when rows were rejected.
        #[arg(long, default_value = "import-rejected.csv")]
        report: std::path::PathBuf,
    },
    /// Write the whole installation into a new directory in portal's export format (JSON
    /// Lines per table, attachments as files named by their SHA-256; docs/export.md).
    Export {
        /// The directory (new or empty).
        #[arg(long)]
        out: PathBuf,
        /// Include the login sessions.
        #[arg(long)]
        sessions: bool,
    },
    /// Make an API token for a staff login (JSON API at /api/v1) and print it once; only its
    /// hash is stored. Staff can also make and revoke tokens at /admin/api-tokens.
    ApiToken {
        /// The staff login's email.
        #[arg(long)]
        email: String,
        /// What the token is for, e.g. "CRM sync".
        #[arg(long, default_value = "command line")]
        name: String,
    },
    /// Take one mail from standard input into an inbox, the way Postfix or Exim hand a
    /// message to a program (docs/email.md). The mail is stored raw first, then becomes a
    /// ticket, a reply, or waits in the quarantine. Exit status: 0 stored, 67 no such
    /// inbox, 65 larger than 256 MiB, 75 not stored now (the mail server retries).
    MailIn {
        /// The inbox the mail came to (its id, as on the staff side).
        #[arg(long)]
        inbox: i64,
    },
    /// Copy the whole installation into another database and compare the two table by table
    /// (SQLite → PostgreSQL, back, or between PostgreSQL servers; docs/deployment.md). Stop
    /// the servers that write to the source first. The target is migrated; it must be empty
    /// unless `--resume` or `--replace` says otherwise.
    Copy {
        /// The source (default: the configured database).
        #[arg(long)]
        from: Option<String>,
        /// The target: `sqlite://PATH` or `postgres://…` (the database must exist).
        #[arg(long)]
        to: String,
        /// Copy the login sessions too (by default everyone signs in again).
        #[arg(long)]
        sessions: bool,
        /// Continue an interrupted copy after what the target already holds.
        #[arg(long, conflicts_with = "replace")]
        resume: bool,
        /// Delete everything the target holds first.
        #[arg(long)]
        replace: bool,
        /// Rows per batch.
        #[arg(long, default_value_t = 1000)]
        batch: usize,
        /// Copy nothing: only compare the two databases table by table (e.g. a restored
        /// backup with the original).
        #[arg(long, conflicts_with_all = ["resume", "replace"])]
        compare_only: bool,
    },
    /// Write a consistent backup of the configured database while servers run: a SQLite file
    /// (`VACUUM INTO`) or, on PostgreSQL, a `pg_dump` custom-format archive for `pg_restore`.
    Backup {
        /// The file to write (never overwritten).
        #[arg(long)]
        out: PathBuf,
    },
    /// Print a fresh 256-bit secret for the JWT single sign-on (`[sso.jwt] secret`); it is
    /// shown once and never again in full.
    SsoSecret,
    /// Measure the portal under HTTP load (docs/PERFORMANCE.md); needs Debian's `wrk`. Runs
    /// the `portal-bench` binary next to this one, which holds the load driver, with these
    /// arguments (`portal bench --help` lists them).
    #[command(disable_help_flag = true)]
    Bench {
        /// The load driver's arguments.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

/// `portal bench …`: the `portal-bench` binary beside this one, with the same arguments (its
/// HTTP client and load scripts are not part of the server).
fn run_bench(args: &[String]) -> Result<(), String> {
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let driver = me.with_file_name(format!("portal-bench{}", std::env::consts::EXE_SUFFIX));
    let status = std::process::Command::new(&driver)
        .args(args)
        .env("PORTAL_BENCH_SERVER", &me)
        .status()
        .map_err(|e| {
            format!(
                "{}: {e} (build it with `cargo build -p portal-server`)",
                driver.display()
            )
        })?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the benchmark failed ({status})"))
    }
}

/// Log lines to standard error (standard output keeps the commands' own output): text,
/// with colours only on a terminal, or one JSON object per line; filtered by `PORTAL_LOG`
/// (default `info`: one line per request and what goes wrong).
fn init_logging(format: config::LogFormat) {
    use std::io::IsTerminal as _;
    let filter =
        tracing_subscriber::EnvFilter::try_from_env("PORTAL_LOG").unwrap_or_else(|_| "info".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        config::LogFormat::Json => builder.json().with_ansi(false).init(),
        config::LogFormat::Text => builder.with_ansi(std::io::stderr().is_terminal()).init(),
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The glibc allocator setting the server runs with, chosen by measurement
/// (docs/PERFORMANCE.md, "Memory that comes back"): an allocation over 128 KiB (a large
/// upload's buffers) gets its own mapping, returned to the system when freed, instead of
/// staying in a heap that rarely shrinks.
const ALLOCATOR_TUNABLES: &str = "glibc.malloc.mmap_threshold=131072";

/// glibc reads its settings from the environment before `main`, so the process sets them
/// and replaces itself (same process id) once, before any thread starts. An operator's own
/// `GLIBC_TUNABLES`, even empty, is kept as it is.
fn with_allocator_settings() {
    const KEY: &str = "GLIBC_TUNABLES";
    if !cfg!(all(target_os = "linux", target_env = "gnu")) || std::env::var_os(KEY).is_some() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    use std::os::unix::process::CommandExt;
    let error = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env(KEY, ALLOCATOR_TUNABLES)
        .exec();
    // Only a failed exec returns: the server runs on with glibc's defaults.
    eprintln!("portal: cannot restart with the allocator settings ({error}); running without");
}

/// `portal mail-in`: reads the message, stores and handles it, and answers the mail server
/// with an exit status it understands.
async fn mail_in(config: Option<&std::path::Path>, inbox: i64) -> u8 {
    use portal_server::mail_in::{MAX_PIPE_BYTES, pipe, service, status};
    use std::io::Read as _;
    let mut raw = Vec::new();
    if let Err(e) = std::io::stdin()
        .take(MAX_PIPE_BYTES + 1)
        .read_to_end(&mut raw)
    {
        eprintln!("portal mail-in: reading the message: {e}");
        return status::TEMPFAIL;
    }
    if raw.len() as u64 > MAX_PIPE_BYTES {
        eprintln!("portal mail-in: the message is larger than {MAX_PIPE_BYTES} bytes");
        return status::DATAERR;
    }
    let config = match config::load(config, env) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("portal mail-in: {e}");
            return status::TEMPFAIL;
        }
    };
    let store = match open_store_once(&config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("portal mail-in: {e}");
            return status::TEMPFAIL;
        }
    };
    let (code, line) = pipe(&service(&config, system_ports(&store)), inbox, raw).await;
    eprintln!("portal mail-in: {line}");
    code
}

/// `portal import`: CSV files or an export directory; `Ok(true)` when rows were rejected.
async fn import(
    config: Option<&std::path::Path>,
    files: [(ImportKind, Option<PathBuf>); 4],
    from: Option<PathBuf>,
    report: PathBuf,
) -> Result<bool, String> {
    let config = config::load(config, env)?;
    let files: Vec<(ImportKind, PathBuf)> = files
        .into_iter()
        .filter_map(|(k, p)| p.map(|p| (k, p)))
        .collect();
    let rejected = if let Some(dir) = from {
        let url = config.database_url.clone();
        tokio::task::spawn_blocking(move || portal_server::moving::import_export(&url, &dir))
            .await
            .map_err(|e| e.to_string())??
    } else if files.is_empty() {
        return Err(
            "name --from DIR (an export) or at least one of --companies, --contacts, --tickets"
                .into(),
        );
    } else {
        let store = open_store_once(&config).await?;
        let result = portal_server::import::run(system_ports(&store), &files).await?;
        for (file, n) in &result.created {
            println!("{file}: {n} created");
        }
        for (file, n) in &result.updated {
            println!("{file}: {n} updated");
        }
        for (file, n) in &result.existing {
            println!("{file}: {n} existed already as they are (kept)");
        }
        for r in &result.rejected {
            println!("  {} line {}: {}: {}", r.file, r.line, r.field, r.reason);
        }
        result.rejected
    };
    if rejected.is_empty() {
        println!("no rows rejected");
        return Ok(false);
    }
    portal_server::import::write_rejections(&report, &rejected)?;
    println!(
        "{} problems in rejected rows; the rows with their reasons are in {}",
        rejected.len(),
        report.display()
    );
    Ok(true)
}

fn main() -> std::process::ExitCode {
    with_allocator_settings();
    actix_web::rt::System::new().block_on(start())
}

async fn start() -> std::process::ExitCode {
    let cli = Cli::parse();
    // The log format is a setting; a configuration that does not load is reported by the
    // command itself, in text.
    let format = config::load(cli.config.as_deref(), env)
        .map(|c| c.log_format)
        .unwrap_or_default();
    init_logging(format);
    if let Some(Command::MailIn { inbox }) = cli.command {
        return std::process::ExitCode::from(mail_in(cli.config.as_deref(), inbox).await);
    }
    if let Some(Command::Import {
        companies,
        contacts,
        tickets,
        messages,
        from,
        report,
    }) = cli.command
    {
        let files = [
            (ImportKind::Companies, companies),
            (ImportKind::Contacts, contacts),
            (ImportKind::Tickets, tickets),
            (ImportKind::Messages, messages),
        ];
        return match import(cli.config.as_deref(), files, from, report).await {
            Ok(false) => std::process::ExitCode::SUCCESS,
            // Done, with rejected rows (listed and written to the report).
            Ok(true) => std::process::ExitCode::from(2),
            Err(e) => {
                eprintln!("portal: {e}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("portal: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    if let Some(Command::Bench { args }) = &cli.command {
        return run_bench(args);
    }
    if let Some(Command::SsoSecret) = cli.command {
        use portal_core::ports::RandomSource;
        let bytes = portal_server::system::OsRandom.token_bytes();
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        println!("{hex}");
        return Ok(());
    }
    let config = config::load(cli.config.as_deref(), env)?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Bench { .. } | Command::SsoSecret | Command::MailIn { .. } => Ok(()),
        Command::Export { out, sessions } => {
            let url = config.database_url.clone();
            let line = tokio::task::spawn_blocking(move || {
                portal_server::moving::export(&url, &out, sessions)
            })
            .await
            .map_err(|e| e.to_string())??;
            println!("{line}");
            Ok(())
        }
        Command::Serve => {
            let listener = TcpListener::bind(&config.listen)
                .map_err(|e| format!("listen {}: {e}", config.listen))?;
            let app = build(&config, listener).await?;
            let settings = app.ports.settings.load().await.map_err(|e| e.to_string())?;
            println!("portal is listening on http://{}", app.addr);
            println!("customer portal: {}/{}/", app.base_url, settings.slug);
            if let Some(d) = &app.demo {
                println!("demo world written; log in with:");
                for (email, what) in &d.logins {
                    println!("  {email} / {}   ({what})", demo::DEMO_PASSWORD);
                }
                println!("staff side: {}/admin/ with:", app.base_url);
                for (email, what) in &d.staff {
                    println!("  {email} / {}   ({what})", demo::DEMO_PASSWORD);
                }
            } else if config.demo {
                println!(
                    "demo logins (password {}): {}",
                    demo::DEMO_PASSWORD,
                    demo::LOGINS.join(", ")
                );
                println!(
                    "staff side: {}/admin/ (password {}): {}",
                    app.base_url,
                    demo::DEMO_PASSWORD,
                    demo::STAFF_LOGINS.join(", ")
                );
            }
            app.server.await.map_err(|e| e.to_string())
        }
        Command::Copy {
            from,
            to,
            sessions,
            resume,
            replace,
            batch,
            compare_only,
        } => {
            use portal_store::copy::{CopyOptions, Start};
            let from = from.unwrap_or_else(|| config.database_url.clone());
            let options = CopyOptions {
                start: if resume {
                    Start::Resume
                } else if replace {
                    Start::Replace
                } else {
                    Start::Empty
                },
                sessions,
                batch_rows: batch,
            };
            let (from, to) = (from.clone(), to.clone());
            if compare_only {
                return tokio::task::spawn_blocking(move || {
                    portal_server::moving::compare(&from, &to, sessions)
                })
                .await
                .map_err(|e| e.to_string())?;
            }
            tokio::task::spawn_blocking(move || portal_server::moving::copy(&from, &to, &options))
                .await
                .map_err(|e| e.to_string())?
                .map(|_| ())
        }
        Command::Backup { out } => {
            let url = config.database_url.clone();
            let line =
                tokio::task::spawn_blocking(move || portal_server::moving::backup(&url, &out))
                    .await
                    .map_err(|e| e.to_string())??;
            println!("{line}");
            Ok(())
        }
        Command::CreateAdmin { email, name, role } => {
            let role = portal_core::model::StaffRole::parse(&role)
                .ok_or_else(|| format!("--role: `{role}` is not admin or agent"))?;
            let password = match env("PORTAL_ADMIN_PASSWORD") {
                Some(p) => p,
                None => {
                    let mut line = String::new();
                    std::io::stdin()
                        .read_line(&mut line)
                        .map_err(|e| format!("reading the password: {e}"))?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            let store = open_store_once(&config).await?;
            let ports = system_ports(&store);
            let (first, last) = name.trim().split_once(' ').unwrap_or((name.trim(), ""));
            let agent = portal_core::usecases::inbox::StaffAuth::new(ports)
                .create_login(&email, first, last, &password, role)
                .await
                .map_err(|e| match e {
                    portal_core::Error::Invalid(errs) => errs
                        .iter()
                        .map(|f| format!("{}: {}", f.field, f.detail))
                        .collect::<Vec<_>>()
                        .join("; "),
                    other => other.to_string(),
                })?;
            println!(
                "staff login {} ({}) is ready at /admin/login",
                agent.email,
                role.as_str()
            );
            Ok(())
        }
        Command::Import { .. } => Ok(()),
        Command::ApiToken { email, name } => {
            let store = open_store_once(&config).await?;
            let ports = system_ports(&store);
            let login = ports
                .staff
                .staff_by_email(&email)
                .await
                .map_err(|e| e.to_string())?
                .filter(|l| l.enabled)
                .ok_or_else(|| format!("no enabled staff login has the email {email}"))?;
            let (_, token) = portal_core::usecases::inbox::StaffAuth::new(ports)
                .create_api_token(login.agent.id, &name)
                .await
                .map_err(|e| e.to_string())?;
            println!("{token}");
            Ok(())
        }
        Command::Migrate { status: true } => {
            let m = portal_server::check::migrations(&config).await?;
            for v in &m.applied {
                println!("applied  {v}");
            }
            for n in &m.pending {
                println!("pending  {n}");
            }
            if !m.exists {
                println!("no database yet: `portal migrate` creates it");
            }
            Ok(())
        }
        Command::Migrate { status: false } => {
            open_store_once(&config).await?;
            println!(
                "migrations applied to {}",
                portal_server::check::redact_url(&config.database_url)
            );
            Ok(())
        }
        Command::Demo => {
            let store = open_store_once(&config).await?;
            let ports = system_ports(&store);
            if !demo::is_empty(&ports).await? {
                return Err(
                    "the database is not empty; the demo world goes into a fresh one".into(),
                );
            }
            let d = demo::write(&ports).await?;
            println!("demo world written: {} tickets", d.tickets);
            Ok(())
        }
        Command::Invite { contact } => {
            let store = open_store_once(&config).await?;
            let ports = system_ports(&store);
            let settings = ports.settings.load().await.map_err(|e| e.to_string())?;
            let base = config
                .base_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", config.listen));
            let domains = ports.catalog.domains().await.map_err(|e| e.to_string())?;
            let portal_url = settings.address(&domains, &base);
            let accounts = portal_core::usecases::accounts::Accounts::new(ports.clone());
            match contact {
                Some(email) => {
                    let c = ports
                        .directory
                        .contact_by_email(&email)
                        .await
                        .map_err(|e| e.to_string())?
                        .ok_or(format!("no contact {email}"))?;
                    accounts
                        .invite(c.id, &portal_url)
                        .await
                        .map_err(|e| e.to_string())?;
                    println!("invitation queued for {email}");
                }
                None => {
                    let n = accounts
                        .invite_access_groups(&portal_url)
                        .await
                        .map_err(|e| e.to_string())?;
                    println!("{n} invitations queued; running portal servers deliver them");
                }
            }
            Ok(())
        }
        Command::CheckConfig { json } => {
            let rows = portal_server::check::rows(&config);
            let checks = portal_server::check::checks(&config).await;
            let m = portal_server::check::migrations(&config).await?;
            // The portal's own settings are read only from a database that needs nothing:
            // opening the store applies migrations.
            let portal = if m.exists && m.pending.is_empty() {
                let store = open_store_once(&config).await?;
                let s = system_ports(&store)
                    .settings
                    .load()
                    .await
                    .map_err(|e| e.to_string())?;
                Some(format!(
                    "portal `{}` at /{} is {}",
                    s.name,
                    s.slug,
                    if s.enabled { "on" } else { "off" }
                ))
            } else {
                None
            };
            let state = match (&portal, m.exists) {
                (Some(p), _) => format!("database reachable; {p}"),
                (None, false) => {
                    "no database yet: `portal migrate` (or `portal serve`) creates it".into()
                }
                (None, true) => format!(
                    "database reachable; {} migration(s) pending: `portal migrate` applies them",
                    m.pending.len()
                ),
            };
            if json {
                let settings: serde_json::Map<String, serde_json::Value> = rows
                    .iter()
                    .map(|(k, v)| (k.to_string(), serde_json::Value::from(v.clone())))
                    .collect();
                let checks: serde_json::Map<String, serde_json::Value> = checks
                    .iter()
                    .map(|(k, r)| {
                        let v = match r {
                            Ok(t) => serde_json::json!({ "ok": true, "detail": t }),
                            Err(e) => serde_json::json!({ "ok": false, "problem": e }),
                        };
                        (k.to_string(), v)
                    })
                    .collect();
                let doc = serde_json::json!({
                    "settings": settings,
                    "checks": checks,
                    "database": { "exists": m.exists, "applied": m.applied, "pending": m.pending },
                    "state": state,
                });
                println!("{doc:#}");
            } else {
                let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
                for (k, v) in &rows {
                    println!("{k:width$}  {v}");
                }
                println!();
                println!(
                    "migrations: {} applied, {} pending",
                    m.applied.len(),
                    m.pending.len()
                );
                println!("{state}");
                println!();
                for (k, r) in &checks {
                    match r {
                        Ok(t) => println!("ok       {k}: {t}"),
                        Err(e) => println!("PROBLEM  {k}: {e}"),
                    }
                }
            }
            let problems: Vec<&str> = checks
                .iter()
                .filter(|(_, r)| r.is_err())
                .map(|(k, _)| *k)
                .collect();
            if problems.is_empty() {
                Ok(())
            } else {
                Err(format!(
                    "the configuration has problems: {}",
                    problems.join(", ")
                ))
            }
        }
    }
}
