//! The performance harness (docs/PERFORMANCE.md), run as `portal bench` or `portal-bench`.
//!
//! Seeds a fresh database with N tickets, starts `portal serve` (the `portal` binary next
//! to this one, or `PORTAL_BENCH_SERVER`) on it as a child process,
//! logs in as a customer with company access and drives real HTTP load on loopback with
//! Debian's `wrk` at each page, at each connection count. A Lua hook checks every response
//! (status and a marker of the real page); any mismatch fails the run. Reports req/s, p50 and
//! p99 latency, the server's CPU time per request, and the server's peak RSS.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use portal_core::access::AccessSettings;
use portal_core::model::AccountId;
use portal_core::ports::Account;
use portal_core::settings::PortalSettings;
use portal_core::settings::{Column, default_columns};
use portal_core::visibility::{CompanyAccess, VisibilitySettings};
use portal_store::seed::{SeedPlan, seed};
use portal_store::{Store, StoreConfig};

use crate::http1;
use crate::wrk::WrkReport;

/// What to measure.
#[derive(Debug, Clone)]
pub struct BenchArgs {
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// Tickets to seed.
    pub tickets: u64,
    /// Seconds per measurement.
    pub duration: u64,
    /// Connection counts.
    pub connections: Vec<u32>,
    /// PostgreSQL server URL (an administrative database; a bench database is created).
    pub pg_url: String,
    /// HTTP workers of the server.
    pub workers: usize,
    /// Only the pages whose name contains this text.
    pub only: Option<String>,
    /// The world: `company` (one company, the viewer requesting a fifth of its tickets,
    /// 30 % open) or `spread` (ten companies, the first wave's world).
    pub world: String,
}

pub(crate) const PASSWORD: &str = "bench-password-1";
pub(crate) const EMAIL: &str = "p0@c0.example";

pub(crate) struct Target {
    pub(crate) name: &'static str,
    pub(crate) method: &'static str,
    pub(crate) path: String,
    pub(crate) body: Option<(String, String)>,
    pub(crate) status: u16,
    pub(crate) marker: &'static str,
}

pub(crate) struct ServerProcess {
    pub(crate) child: Child,
    pub(crate) addr: SocketAddr,
    /// The server's log (its request lines are written as in production, measured with
    /// the rest); removed when it stops.
    log: std::path::PathBuf,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        // Asked to stop first, so that a profiler wrapping the server writes its data.
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let mut stopped = false;
        for _ in 0..100 {
            if let Ok(Some(_)) = self.child.try_wait() {
                stopped = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        if !stopped {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        let _ = std::fs::remove_file(&self.log);
    }
}

pub(crate) fn proc_field(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// User + system CPU time of a process, in clock ticks (1/100 s).
fn cpu_ticks(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            let after = s.rsplit_once(')')?.1;
            let f: Vec<&str> = after.split_whitespace().collect();
            Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
        })
        .unwrap_or(0)
}

pub(crate) async fn prepare(args: &BenchArgs) -> Result<(String, Box<dyn FnOnce()>), String> {
    match args.backend.as_str() {
        "sqlite" => {
            let path = std::env::temp_dir().join(format!(
                "portal-bench-{}-{}.db",
                args.tickets,
                std::process::id()
            ));
            let p = path.clone();
            Ok((
                format!("sqlite://{}", path.display()),
                Box::new(move || {
                    for s in ["", "-wal", "-shm"] {
                        let _ = std::fs::remove_file(format!("{}{s}", p.display()));
                    }
                }),
            ))
        }
        "postgres" => {
            let name = format!("portal_bench_{}_{}", args.tickets, std::process::id());
            let admin = args.pg_url.clone();
            let run = |sql: String, admin: String| {
                let out = Command::new("psql")
                    .arg(&admin)
                    .arg("-qc")
                    .arg(&sql)
                    .output();
                matches!(out, Ok(o) if o.status.success())
            };
            if !run(format!("CREATE DATABASE {name}"), admin.clone()) {
                return Err(format!(
                    "cannot create database {name} on {admin} (is psql installed and the server up?)"
                ));
            }
            let base = admin
                .rsplit_once('/')
                .map_or(admin.as_str(), |(b, _)| b)
                .to_string();
            Ok((
                format!("{base}/{name}"),
                Box::new(move || {
                    run(
                        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                        admin,
                    );
                }),
            ))
        }
        other => Err(format!("unknown backend `{other}`: sqlite or postgres")),
    }
}

/// `--seed-only`: the demo world, then the seeded tickets, into the database at `url`.
pub(crate) async fn seed_only(url: &str, tickets: u64, world: &str) -> Result<String, String> {
    let store = Store::connect(&StoreConfig::new(url))
        .await
        .map_err(|e| e.to_string())?;
    let ports = portal_server::system_ports(&store);
    if !portal_server::demo::is_empty(&ports).await? {
        return Err(format!("{url} is not empty"));
    }
    portal_server::demo::write(&ports).await?;
    drop(store);
    let (secs, _) = seed_world(url, tickets, world).await?;
    Ok(format!(
        "{url}: the demo world and {tickets} tickets ({world}) seeded in {secs:.1} s"
    ))
}

/// Seeds the world; returns how long it took and the viewer's primary company.
pub(crate) async fn seed_world(url: &str, tickets: u64, world: &str) -> Result<(f64, i64), String> {
    let store = Store::connect(&StoreConfig::new(url))
        .await
        .map_err(|e| e.to_string())?;
    let plan = match world {
        "company" => SeedPlan::company(tickets),
        "spread" => SeedPlan::new(tickets),
        "collaboration" => SeedPlan::collaboration(tickets),
        other => {
            return Err(format!(
                "unknown world `{other}`: company, spread or collaboration"
            ));
        }
    };
    let t = Instant::now();
    let seeded = seed(&store, &plan, |_| {})
        .await
        .map_err(|e| e.to_string())?;
    let secs = t.elapsed().as_secs_f64();
    let ports = portal_server::system_ports(&store);
    let inbox = ports.catalog.inboxes().await.map_err(|e| e.to_string())?[0].id;
    let settings = PortalSettings {
        enabled: true,
        name: "Bench".into(),
        default_inbox: Some(inbox),
        visibility: VisibilitySettings {
            company_access: CompanyAccess::AllContacts,
            ticket_filter: None,
            company_reply: None,
            company_close: None,
        },
        access: AccessSettings {
            self_registration: true,
            ..AccessSettings::default()
        },
        // The recommended columns and the priority, which the column filter page uses.
        columns: default_columns()
            .into_iter()
            .chain([Column::of("priority")])
            .collect(),
        ..PortalSettings::default()
    };
    // Beside the demo world (`--seed-only`) these replace the demo's settings.
    let settings = PortalSettings {
        version: ports
            .settings
            .load()
            .await
            .map_err(|e| e.to_string())?
            .version,
        ..settings
    };
    ports
        .settings
        .save(&settings)
        .await
        .map_err(|e| e.to_string())?;
    let viewer = seeded.contacts[0][0];
    ports
        .accounts
        .create(Account {
            id: AccountId(0),
            contact: viewer,
            email: EMAIL.into(),
            password_hash: Some(
                ports
                    .hasher
                    .hash(PASSWORD)
                    .await
                    .map_err(|e| e.to_string())?,
            ),
            enabled: true,
            email_confirmed: true,
            language: Some("en".into()),
            time_zone: None,
            consent: None,
            created_at: ports.clock.now(),
        })
        .await
        .map_err(|e| e.to_string())?;
    Ok((secs, seeded.companies[0].0))
}

/// The `portal` binary to measure: `PORTAL_BENCH_SERVER`, else the one next to this
/// program.
fn server_binary() -> Result<std::path::PathBuf, String> {
    if let Some(p) = std::env::var_os("PORTAL_BENCH_SERVER") {
        return Ok(p.into());
    }
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let sibling = me.with_file_name(format!("portal{}", std::env::consts::EXE_SUFFIX));
    if sibling.exists() {
        Ok(sibling)
    } else {
        Err(format!(
            "no `portal` binary next to {} (build it, or set PORTAL_BENCH_SERVER)",
            me.display()
        ))
    }
}

pub(crate) fn start_server(url: &str, workers: usize) -> Result<ServerProcess, String> {
    let log = std::env::temp_dir().join(format!("portal-bench-server-{}.log", std::process::id()));
    let exe = server_binary()?;
    // `PORTAL_BENCH_WRAPPER="valgrind --tool=callgrind"` (or `perf record -g --`) starts
    // the server under a profiler; docs/PERFORMANCE.md.
    let wrapper = std::env::var("PORTAL_BENCH_WRAPPER").unwrap_or_default();
    let mut words = wrapper.split_whitespace();
    let mut cmd = match words.next() {
        Some(program) => {
            let mut c = Command::new(program);
            c.args(words).arg(exe);
            c
        }
        None => Command::new(exe),
    };
    let mut child = cmd
        .arg("serve")
        .env("PORTAL_DATABASE_URL", url)
        .env("PORTAL_LISTEN", "127.0.0.1:0")
        .env("PORTAL_DEMO", "0")
        .env("PORTAL_LOG", "warn,portal::request=info")
        .env("PORTAL_WORKERS", workers.to_string())
        .env("PORTAL_POOL_SIZE", "4")
        .env_remove("PORTAL_BASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::from(
            std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?,
        ))
        .spawn()
        .map_err(|e| e.to_string())?;
    let out = child.stdout.take().ok_or("no stdout")?;
    let mut lines = BufReader::new(out).lines();
    let addr = loop {
        match lines.next() {
            Some(Ok(l)) => {
                if let Some(a) = l.strip_prefix("portal is listening on http://") {
                    break a.trim().parse::<SocketAddr>().map_err(|e| e.to_string())?;
                }
            }
            _ => {
                let said = std::fs::read_to_string(&log).unwrap_or_default();
                let _ = child.wait();
                let _ = std::fs::remove_file(&log);
                return Err(format!("the server did not start:\n{said}"));
            }
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Ok(ServerProcess { child, addr, log })
}

fn find<'a>(html: &'a str, before: &str, after: &str) -> Option<&'a str> {
    let i = html.find(before)? + before.len();
    let rest = &html[i..];
    Some(&rest[..rest.find(after)?])
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&#x3D;", "=")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
}

/// Logs in; returns the cookie header and the session's CSRF token.
pub(crate) fn login(addr: SocketAddr) -> Result<(String, String), String> {
    let (cookie, csrf) = anonymous_login(addr)?;
    let form = format!(
        "email={}&password={PASSWORD}&csrf={csrf}&next=",
        EMAIL.replace('@', "%40")
    );
    let r = http1::request(
        addr,
        "POST",
        "/portal/login",
        &[
            ("Cookie", cookie),
            ("Content-Type", "application/x-www-form-urlencoded".into()),
        ],
        form.as_bytes(),
    )
    .map_err(|e| e.to_string())?;
    let session = r
        .cookies()
        .into_iter()
        .find(|(k, _)| k == "portal_session")
        .ok_or(format!("login failed: {}", r.status))?;
    let cookie = format!("portal_session={}", session.1);
    let list = http1::request(
        addr,
        "GET",
        "/portal/tickets",
        &[("Cookie", cookie.clone())],
        b"",
    )
    .map_err(|e| e.to_string())?;
    let token = find(&list.text(), "name=\"csrf\" value=\"", "\"")
        .ok_or("no csrf on the list")?
        .to_string();
    Ok((cookie, token))
}

/// A visitor's pre-session cookie and the login form's CSRF token.
pub(crate) fn anonymous_login(addr: SocketAddr) -> Result<(String, String), String> {
    let page = http1::request(addr, "GET", "/portal/login", &[], b"").map_err(|e| e.to_string())?;
    let csrf = find(&page.text(), "name=\"csrf\" value=\"", "\"")
        .ok_or("no csrf on the login page")?
        .to_string();
    let cookie: String = page
        .cookies()
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    Ok((cookie, csrf))
}

/// The ids of up to `n` of the viewer's open tickets, newest activity first (at least one).
pub(crate) fn open_tickets(
    addr: SocketAddr,
    cookie: &str,
    n: usize,
) -> Result<Vec<String>, String> {
    let mut ids = Vec::new();
    let mut path = "/portal/tickets?status=open".to_string();
    while ids.len() < n {
        let page = http1::request(addr, "GET", &path, &[("Cookie", cookie.to_string())], b"")
            .map_err(|e| e.to_string())?;
        let text = page.text();
        let before = ids.len();
        let mut rest = text.as_str();
        let link = "<td class=\"subject\"><a href=\"/portal/tickets/";
        while let Some(id) = find(rest, link, "\"") {
            ids.push(id.to_string());
            rest = &rest[rest.find(link).unwrap_or(0) + link.len()..];
        }
        if ids.len() == before {
            if ids.is_empty() {
                return Err(format!(
                    "no ticket on the list ({}): {}",
                    page.status,
                    &text[text.find("<main").unwrap_or(0)
                        ..text.len().min(text.find("<main").unwrap_or(0) + 3000)]
                ));
            }
            break;
        }
        let Some(next) = text
            .find("rel=\"next\"")
            .and_then(|i| text[..i].rfind("href=\""))
            .and_then(|i| text[i + 6..].split('"').next())
        else {
            break;
        };
        path = unescape(next);
    }
    ids.truncate(n);
    Ok(ids)
}

fn lua(t: &Target, cookie: &str) -> String {
    // The login page is measured as an anonymous visitor sees it.
    let mut headers = if t.path.ends_with("/login") {
        String::new()
    } else {
        format!("wrk.headers[\"Cookie\"] = \"{cookie}\"\n")
    };
    let mut body = String::new();
    if let Some((ct, b)) = &t.body {
        headers.push_str(&format!("wrk.headers[\"Content-Type\"] = \"{ct}\"\n"));
        body = format!(
            "wrk.body = \"{}\"\n",
            b.replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('\r', "\\r")
                .replace('\n', "\\n")
        );
    }
    format!(
        r#"wrk.method = "{method}"
{headers}{body}
local threads = {{}}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
  if status ~= {status} or not string.find(body, "{marker}", 1, true) then
    bad = bad + 1
    if bad <= 3 then
      io.write(string.format("WRONG %d %s\n", status, string.gsub(string.sub(body, 1, 400), "%s+", " ")))
    end
  end
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("bad") end
  io.write(string.format("BAD %d\nREQS %d\nP50 %d\nP99 %d\n", total, summary.requests, latency:percentile(50), latency:percentile(99)))
end
"#,
        method = t.method,
        status = t.status,
        marker = t.marker.replace('"', "\\\""),
    )
}

struct Measured {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    cpu_us: f64,
    /// PostgreSQL's processes' CPU per request (SQLite runs inside the server).
    db_cpu_us: Option<f64>,
    bad: u64,
    requests: u64,
    /// The first unexpected responses, status and start of the body.
    wrong: String,
}

/// User + system CPU time of every PostgreSQL process on this machine, in clock ticks: the
/// backends serving the server's connections share its two cores.
fn postgres_ticks() -> u64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0;
    };
    dir.filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|c| c.trim() == "postgres")
        })
        .map(cpu_ticks)
        .sum()
}

fn run_wrk(
    server: &ServerProcess,
    t: &Target,
    cookie: &str,
    connections: u32,
    seconds: u64,
    postgres: bool,
) -> Result<Measured, String> {
    let script = std::env::temp_dir().join(format!("portal-bench-{}.lua", std::process::id()));
    std::fs::write(&script, lua(t, cookie)).map_err(|e| e.to_string())?;
    let pid = server.child.id();
    let before = cpu_ticks(pid);
    let db_before = if postgres { postgres_ticks() } else { 0 };
    let out = Command::new("wrk")
        .arg(format!("-t{}", connections.clamp(1, 2)))
        .arg(format!("-c{connections}"))
        .arg(format!("-d{seconds}s"))
        .arg("-s")
        .arg(&script)
        .arg(format!("http://{}{}", server.addr, t.path))
        .output()
        .map_err(|e| format!("wrk: {e} (install Debian's wrk)"))?;
    let cpu = cpu_ticks(pid).saturating_sub(before);
    let db_cpu = postgres.then(|| postgres_ticks().saturating_sub(db_before));
    let _ = std::fs::remove_file(&script);
    let report = WrkReport::read(&out, t.name)?;
    let requests = report.num("REQS ") as u64;
    Ok(Measured {
        rps: report.num("Requests/sec:"),
        p50_ms: report.num("P50 ") / 1000.0,
        p99_ms: report.num("P99 ") / 1000.0,
        cpu_us: cpu as f64 * 10_000.0 / requests as f64,
        db_cpu_us: db_cpu.map(|t| t as f64 * 10_000.0 / requests as f64),
        bad: report.num("BAD ") as u64,
        requests,
        wrong: report.wrong().join("\n"),
    })
}

/// Runs the whole benchmark; returns the report (markdown).
pub async fn run(args: &BenchArgs) -> Result<String, String> {
    let (url, cleanup) = prepare(args).await?;
    let result = measure(args, &url).await;
    cleanup();
    result
}

async fn measure(args: &BenchArgs, url: &str) -> Result<String, String> {
    let (seed_s, first_company) = seed_world(url, args.tickets, &args.world).await?;
    let server = start_server(url, args.workers)?;
    let addr = server.addr;
    let (cookie, csrf) = tokio::task::spawn_blocking(move || login(addr))
        .await
        .map_err(|e| e.to_string())??;
    // A ticket to open and a cursor 5,000 rows deep (200 pages of 25).
    let c2 = cookie.clone();
    let (ticket, deep) =
        tokio::task::spawn_blocking(move || -> Result<(String, String), String> {
            // An open ticket, so that replies are allowed.
            let ticket = open_tickets(addr, &c2, 1)?.remove(0);
            let mut path = "/portal/tickets".to_string();
            for _ in 0..200 {
                let page = http1::request(addr, "GET", &path, &[("Cookie", c2.clone())], b"")
                    .map_err(|e| e.to_string())?;
                let t = page.text();
                let Some(next) = t
                    .find("rel=\"next\"")
                    .and_then(|i| t[..i].rfind("href=\""))
                    .and_then(|i| t[i + 6..].split('"').next())
                else {
                    break;
                };
                path = unescape(next);
            }
            Ok((ticket, path))
        })
        .await
        .map_err(|e| e.to_string())??;
    let reply_path = format!("/portal/tickets/{ticket}/reply");
    let targets = crate::targets::pages(&ticket, deep, &csrf, first_company);
    let postgres = args.backend == "postgres";
    let (db_head, db_rule) = if postgres {
        (" PostgreSQL CPU µs/req |", "---|")
    } else {
        ("", "")
    };
    let mut out = format!(
        "### {} · {} tickets, {} world (seeded in {:.1} s) · {} workers\n\n| page | conn | req/s | p50 ms | p99 ms | server CPU µs/req |{db_head} requests | wrong |\n|---|---|---|---|---|---|{db_rule}---|---|\n",
        args.backend, args.tickets, args.world, seed_s, args.workers
    );
    for t in targets
        .iter()
        .filter(|t| args.only.as_deref().is_none_or(|o| t.name.contains(o)))
    {
        for &c in &args.connections {
            let m = run_wrk(&server, t, &cookie, c, args.duration, postgres)?;
            if m.bad > 0 {
                return Err(format!(
                    "{}: {} of {} responses were not the expected page, like:\n{}",
                    t.name, m.bad, m.requests, m.wrong
                ));
            }
            let db = m
                .db_cpu_us
                .map(|d| format!(" {d:.0} |"))
                .unwrap_or_default();
            out.push_str(&format!(
                "| {} | {c} | {:.0} | {:.2} | {:.2} | {:.0} |{db} {} | {} |\n",
                t.name, m.rps, m.p50_ms, m.p99_ms, m.cpu_us, m.requests, m.bad
            ));
        }
    }
    if args.only.as_deref().is_some_and(|o| !"export".contains(o)) {
        let peak = proc_field(server.child.id(), "VmHWM:");
        out.push_str(&format!(
            "\nServer peak RSS: {:.1} MiB.\n",
            peak as f64 / 1024.0
        ));
        return Ok(out);
    }
    // The export of the whole organization view, downloaded whole.
    let mut times = Vec::new();
    let mut rows = 0;
    for _ in 0..3 {
        let ck = cookie.clone();
        let (elapsed, n) = tokio::task::spawn_blocking(move || -> Result<(f64, usize), String> {
            let t = Instant::now();
            let r = http1::request(
                addr,
                "GET",
                "/portal/tickets/export.csv",
                &[("Cookie", ck)],
                b"",
            )
            .map_err(|e| e.to_string())?;
            if r.status != 200 {
                return Err(format!("export answered {}", r.status));
            }
            Ok((
                t.elapsed().as_secs_f64(),
                r.text().lines().count().saturating_sub(1),
            ))
        })
        .await
        .map_err(|e| e.to_string())??;
        times.push(elapsed);
        rows = n;
    }
    times.sort_by(f64::total_cmp);
    let peak = proc_field(server.child.id(), "VmHWM:");
    out.push_str(&format!(
        "\nCSV export of the organization view: {rows} rows in {:.2} s (median of 3). Server peak RSS: {:.1} MiB.\n",
        times[1],
        peak as f64 / 1024.0
    ));
    out.push_str(&memory_after_burst(&server, &cookie, &csrf, &reply_path).await?);
    Ok(out)
}

/// Uploads in the burst, how many at a time, and the size of each one's attachment.
const BURST: (usize, usize, usize) = (24, 8, 19 << 20);

/// Resident memory after the load, at the peak of a burst of large uploads (replies with a
/// 19 MiB attachment, 8 at a time), and 10 s and a minute after it: whether memory comes
/// back.
async fn memory_after_burst(
    server: &ServerProcess,
    cookie: &str,
    csrf: &str,
    path: &str,
) -> Result<String, String> {
    let (pid, addr) = (server.child.id(), server.addr);
    let mib = |field| proc_field(pid, field) as f64 / 1024.0;
    let (before, before_anon) = (mib("VmRSS:"), mib("RssAnon:"));
    let (total, at_once, size) = BURST;
    let boundary = "benchburst";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\nThe log is attached.\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"server.log\"\r\nContent-Type: text/plain\r\n\r\n"
    )
    .into_bytes();
    let line = b"2026-12-05 10:00:00 INFO the printer queue is stuck again\n";
    while body.len() < size {
        body.extend_from_slice(line);
    }
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let body = std::sync::Arc::new(body);
    let started = Instant::now();
    for _ in 0..total / at_once {
        let mut round = Vec::new();
        for _ in 0..at_once {
            let (body, cookie, path) = (body.clone(), cookie.to_string(), path.to_string());
            round.push(tokio::task::spawn_blocking(move || {
                let headers = [
                    ("Cookie", cookie),
                    (
                        "Content-Type",
                        format!("multipart/form-data; boundary={boundary}"),
                    ),
                ];
                http1::request(addr, "POST", &path, &headers, &body)
            }));
        }
        for r in round {
            let r = r
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| e.to_string())?;
            if r.status != 303 {
                return Err(format!("a large reply answered {}", r.status));
            }
        }
    }
    let burst_s = started.elapsed().as_secs_f64();
    let peak = mib("VmHWM:");
    tokio::time::sleep(std::time::Duration::from_secs(10)).await;
    let (after, anon) = (mib("VmRSS:"), mib("RssAnon:"));
    tokio::time::sleep(std::time::Duration::from_secs(50)).await;
    let (minute, minute_anon) = (mib("VmRSS:"), mib("RssAnon:"));
    Ok(format!(
        "\nMemory: {before:.1} MiB resident after the load ({before_anon:.1} MiB heap); a burst of {total} replies with a {} MiB attachment, {at_once} at a time ({burst_s:.1} s), peaked at {peak:.1} MiB; 10 s later {after:.1} MiB ({anon:.1} MiB heap), a minute later {minute:.1} MiB ({minute_anon:.1} MiB heap).\n",
        size >> 20
    ))
}
