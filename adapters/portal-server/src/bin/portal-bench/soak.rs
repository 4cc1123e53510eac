//! `portal bench --soak DURATION`: a mixed load for a long time, sampled every ten seconds.
//!
//! One seeded world and one server, as for the page measurements. `wrk` runs back to back in
//! ten-second windows at 64 connections (or the largest `--connections` given) with a mix of
//! what customers do: list pages (first page, own and organisation's open tickets, a status
//! plus column filter, a sort), searches, ticket pages, replies with a small attachment spread
//! over 200 open tickets, the login page, and (one in a thousand each) logins and the CSV
//! export. After each window the
//! server's resident memory, the window's p50/p99 and its errors are sampled. A response
//! counts as an error unless it is a 200 carrying one of the pages' markers or a 303 with a
//! `Location`; socket errors and timeouts count too. Any error fails the run.
//!
//! At the end the server idles for a minute (`--soak-rest`), its memory sampled every ten
//! seconds: memory that comes back. `--soak-csv FILE` writes the samples; `--soak-plot FILE` draws them (PNG).

use std::process::Command;
use std::time::{Duration, Instant};

use crate::bench::{
    BenchArgs, anonymous_login, login, open_tickets, prepare, proc_field, seed_world, start_server,
};
use crate::wrk::WrkReport;

/// Seconds per sample.
const WINDOW: u64 = 10;
/// Open tickets the replies spread over (a few dozen replies each in ten minutes).
const REPLY_TICKETS: usize = 200;
/// Bytes of each reply's attachment.
const ATTACHMENT: usize = 4096;

/// `10m`, `90s`, `1h` or plain seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = match s.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => s.split_at(i),
        None => (s, "s"),
    };
    let n: u64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a duration (like 20s, 10m or 1h)"))?;
    let secs = match unit {
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        _ => return Err(format!("`{s}` is not a duration (like 20s, 10m or 1h)")),
    };
    if secs == 0 {
        return Err("the soak needs a duration of at least one second".into());
    }
    Ok(Duration::from_secs(secs))
}

/// One ten-second window.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Seconds since the load started (end of the window).
    pub at_s: f64,
    pub rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub errors: u64,
    pub rss_mib: f64,
    pub heap_mib: f64,
}

impl Sample {
    /// Memory only, with no load (before or after it).
    fn at_rest(at_s: f64, rss_mib: f64, heap_mib: f64) -> Sample {
        Sample {
            at_s,
            rps: 0.0,
            p50_ms: 0.0,
            p99_ms: 0.0,
            errors: 0,
            rss_mib,
            heap_mib,
        }
    }
}

/// A request of the mix: how often (out of the mix's total), and the Lua `wrk.format` call.
#[derive(Clone)]
struct Mixed {
    weight: usize,
    format: String,
}

fn lua_str(s: &str) -> String {
    format!(
        "\"{}\"",
        s.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\r', "\\r")
            .replace('\n', "\\n")
    )
}

fn get(weight: usize, path: &str, cookie: &str) -> Mixed {
    Mixed {
        weight,
        format: format!(
            "wrk.format(\"GET\", {}, {{[\"Cookie\"] = {}}})",
            lua_str(path),
            lua_str(cookie)
        ),
    }
}

fn post(weight: usize, path: &str, cookie: &str, content_type: &str, body: &str) -> Mixed {
    Mixed {
        weight,
        format: format!(
            "wrk.format(\"POST\", {}, {{[\"Cookie\"] = {}, [\"Content-Type\"] = {}}}, {})",
            lua_str(path),
            lua_str(cookie),
            lua_str(content_type),
            lua_str(body)
        ),
    }
}

/// The markers of the pages a 200 may be (the list, a ticket, the login page); the export
/// is recognised by its content type and the header of its first column.
const MARKERS: [&str; 3] = ["class=\"tickets\"", "class=\"messages\"", "<title>Log in"];

fn script(mix: &[Mixed]) -> String {
    let mut reqs = String::new();
    for (i, m) in mix.iter().enumerate() {
        reqs.push_str(&format!("  reqs[{}] = {}\n", i + 1, m.format));
    }
    // A smooth weighted round robin: every kind spread evenly over the cycle, so that any
    // stretch of the load (and every window) has the same mix.
    let total: usize = mix.iter().map(|m| m.weight).sum();
    let mut credit = vec![0i64; mix.len()];
    let mut order = Vec::with_capacity(total);
    for _ in 0..total {
        for (c, m) in credit.iter_mut().zip(mix) {
            *c += m.weight as i64;
        }
        let best = (0..mix.len())
            .max_by_key(|&k| (credit[k], std::cmp::Reverse(k)))
            .unwrap_or(0);
        credit[best] -= total as i64;
        order.push((best + 1).to_string());
    }
    let order = order.join(",");
    let markers = MARKERS
        .iter()
        .map(|m| lua_str(m))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        r#"local threads = {{}}
function setup(thread) table.insert(threads, thread) end
local markers = {{{markers}}}
function init(args)
  bad = 0
  n = 0
  reqs = {{}}
{reqs}  order = {{{order}}}
end
function request()
  n = n + 1
  return reqs[order[(n % #order) + 1]]
end
function wrong(status, body)
  bad = bad + 1
  if bad <= 3 then
    io.write(string.format("WRONG %d %s\n", status, string.gsub(string.sub(body, 1, 300), "%s+", " ")))
  end
end
function response(status, headers, body)
  if status == 303 then
    if headers["Location"] == nil and headers["location"] == nil then wrong(status, body) end
    return
  end
  if status ~= 200 then wrong(status, body) return end
  local ct = headers["Content-Type"] or headers["content-type"] or ""
  if string.find(ct, "text/csv", 1, true) then
    if string.sub(body, 1, 8) ~= "Subject," then wrong(status, body) end
    return
  end
  for _, m in ipairs(markers) do
    if string.find(body, m, 1, true) then return end
  end
  wrong(status, body)
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("bad") end
  local e = summary.errors
  io.write(string.format("BAD %d\nREQS %d\nP50 %d\nP99 %d\nSOCKET %d\nSTATUS %d\n", total, summary.requests, latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.status))
end
"#
    )
}

fn window(
    addr: std::net::SocketAddr,
    script: &std::path::Path,
    connections: u32,
) -> Result<(f64, f64, f64, u64), String> {
    let out = Command::new("wrk")
        .arg("-t2")
        .arg(format!("-c{connections}"))
        .arg(format!("-d{WINDOW}s"))
        .arg("--timeout")
        .arg("5s")
        .arg("-s")
        .arg(script)
        .arg(format!("http://{addr}/"))
        .output()
        .map_err(|e| format!("wrk: {e} (install Debian's wrk)"))?;
    let report = WrkReport::read(&out, "a soak window")?;
    let errors = (report.num("BAD ") + report.num("SOCKET ") + report.num("STATUS ")) as u64;
    for w in report.wrong() {
        eprintln!("soak: unexpected response: {w}");
    }
    if report.num("SOCKET ") > 0.0 {
        eprintln!(
            "soak: {}",
            report.line("Socket errors").unwrap_or("socket errors")
        );
    }
    Ok((
        report.num("Requests/sec:"),
        report.num("P50 ") / 1000.0,
        report.num("P99 ") / 1000.0,
        errors,
    ))
}

/// Runs the soak; returns the report (markdown), or it with the errors.
pub async fn run(
    args: &BenchArgs,
    duration: Duration,
    rest_s: u64,
    csv: Option<&std::path::Path>,
    plot: Option<&std::path::Path>,
) -> Result<String, String> {
    let (url, cleanup) = prepare(args).await?;
    let result = soak(args, &url, duration, rest_s, csv, plot).await;
    cleanup();
    result
}

async fn soak(
    args: &BenchArgs,
    url: &str,
    duration: Duration,
    rest_s: u64,
    csv: Option<&std::path::Path>,
    plot: Option<&std::path::Path>,
) -> Result<String, String> {
    let (seed_s, _) = seed_world(url, args.tickets, &args.world).await?;
    let server = start_server(url, args.workers)?;
    let addr = server.addr;
    let (cookie, csrf, tickets, anon) =
        tokio::task::spawn_blocking(move || -> Result<_, String> {
            let (cookie, csrf) = login(addr)?;
            let tickets = open_tickets(addr, &cookie, REPLY_TICKETS)?;
            let anon = anonymous_login(addr)?;
            Ok((cookie, csrf, tickets, anon))
        })
        .await
        .map_err(|e| e.to_string())??;
    let boundary = "soakboundary";
    let file: String = "the printer queue is stuck again\n"
        .chars()
        .cycle()
        .take(ATTACHMENT)
        .collect();
    let reply = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\nStill happening, the log is attached.\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"printer.log\"\r\nContent-Type: text/plain\r\n\r\n{file}\r\n--{boundary}--\r\n"
    );
    let multipart = format!("multipart/form-data; boundary={boundary}");
    let login_form = format!(
        "email={}&password={}&csrf={}&next=",
        crate::bench::EMAIL.replace('@', "%40"),
        crate::bench::PASSWORD,
        anon.1
    );
    // Weights per thousand requests. A login (an Argon2 hash of 19 MiB, tens of
    // milliseconds) and an export of the whole organisation are rare in real use.
    let mut mix = vec![
        get(150, "/portal/tickets", &cookie),
        get(120, "/portal/tickets?view=mine&status=open", &cookie),
        get(
            100,
            "/portal/tickets?view=organization&status=open",
            &cookie,
        ),
        get(80, "/portal/tickets?q=printer", &cookie),
        get(
            50,
            "/portal/tickets?view=organization&status=open&q=printer",
            &cookie,
        ),
        get(50, "/portal/tickets?status=open&f.priority=high", &cookie),
        get(50, "/portal/tickets?sort=created_at&dir=asc", &cookie),
        get(38, "/portal/login", ""),
        post(
            1,
            "/portal/login",
            &anon.0,
            "application/x-www-form-urlencoded",
            &login_form,
        ),
        get(1, "/portal/tickets/export.csv", &cookie),
    ];
    // Ticket pages: 250 of 1,000 requests read one of 25 open tickets (one in eight).
    for t in tickets.iter().step_by(8).take(25) {
        mix.push(get(10, &format!("/portal/tickets/{t}"), &cookie));
    }
    let connections = args.connections.iter().copied().max().unwrap_or(64).max(64);
    let pid = server.child.id();
    let mib = |field| proc_field(pid, field) as f64 / 1024.0;
    let (idle, idle_heap) = (mib("VmRSS:"), mib("RssAnon:"));
    let script_path = std::env::temp_dir().join(format!("portal-soak-{}.lua", std::process::id()));
    let started = Instant::now();
    let mut samples: Vec<Sample> = Vec::new();
    let mut round = 0usize;
    while started.elapsed() < duration {
        // This window's replies (10 in 1,000 requests) go to the next ten of the open
        // tickets: over the run they spread over all of them.
        let mut this = mix.clone();
        for k in 0..10 {
            let t = &tickets[(round * 10 + k) % tickets.len()];
            this.push(post(
                1,
                &format!("/portal/tickets/{t}/reply"),
                &cookie,
                &multipart,
                &reply,
            ));
        }
        std::fs::write(&script_path, script(&this)).map_err(|e| e.to_string())?;
        let path = script_path.clone();
        let (rps, p50_ms, p99_ms, errors) =
            tokio::task::spawn_blocking(move || window(addr, &path, connections))
                .await
                .map_err(|e| e.to_string())??;
        round += 1;
        let s = Sample {
            at_s: started.elapsed().as_secs_f64(),
            rps,
            p50_ms,
            p99_ms,
            errors,
            rss_mib: mib("VmRSS:"),
            heap_mib: mib("RssAnon:"),
        };
        eprintln!(
            "soak {:>5.0} s: {:>6.0} req/s, p99 {:>6.2} ms, {} errors, {:.1} MiB resident",
            s.at_s, s.rps, s.p99_ms, s.errors, s.rss_mib
        );
        samples.push(s);
    }
    let _ = std::fs::remove_file(&script_path);
    let load_s = started.elapsed().as_secs_f64();
    // A time without requests (a minute by default): what comes back.
    let mut rest: Vec<Sample> = Vec::new();
    for _ in 0..rest_s.div_ceil(WINDOW) {
        tokio::time::sleep(Duration::from_secs(WINDOW)).await;
        rest.push(Sample::at_rest(
            started.elapsed().as_secs_f64(),
            mib("VmRSS:"),
            mib("RssAnon:"),
        ));
    }
    let after = rest.last().map_or(0.0, |s| s.rss_mib);
    let peak = mib("VmHWM:");
    let errors: u64 = samples.iter().map(|s| s.errors).sum();
    let max_rss = samples.iter().map(|s| s.rss_mib).fold(idle, f64::max);
    let worst_p99 = samples.iter().map(|s| s.p99_ms).fold(0.0, f64::max);
    let mean_rps = samples.iter().map(|s| s.rps).sum::<f64>() / samples.len().max(1) as f64;
    let mut out = format!(
        "### soak · {} · {} tickets, {} world (seeded in {seed_s:.1} s) · {} workers · {connections} connections · {load_s:.0} s\n\n| s | req/s | p50 ms | p99 ms | errors | RSS MiB | heap MiB |\n|---|---|---|---|---|---|---|\n",
        args.backend, args.tickets, args.world, args.workers
    );
    for s in &samples {
        out.push_str(&format!(
            "| {:.0} | {:.0} | {:.2} | {:.2} | {} | {:.1} | {:.1} |\n",
            s.at_s, s.rps, s.p50_ms, s.p99_ms, s.errors, s.rss_mib, s.heap_mib
        ));
    }
    out.push_str(&format!(
        "\nMean {mean_rps:.0} req/s; worst p99 {worst_p99:.2} ms; {errors} errors. Resident memory: {idle:.1} MiB idle before the load, at most {max_rss:.1} MiB sampled during it (peak {peak:.1} MiB), {after:.1} MiB after {rest_s} s without requests ({}).\n",
        rest.iter()
            .map(|r| format!("{:.1}", r.rss_mib))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    if let Some(path) = csv {
        let mut text =
            String::from("seconds,requests_per_second,p50_ms,p99_ms,errors,rss_mib,heap_mib\n");
        for s in &samples {
            text.push_str(&format!(
                "{:.1},{:.1},{:.3},{:.3},{},{:.2},{:.2}\n",
                s.at_s, s.rps, s.p50_ms, s.p99_ms, s.errors, s.rss_mib, s.heap_mib
            ));
        }
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if let Some(path) = plot {
        // From the idle server through the load to the minute of rest.
        let points: Vec<crate::plot::Point> =
            std::iter::once(Sample::at_rest(0.0, idle, idle_heap))
                .chain(samples.iter().cloned())
                .chain(rest.iter().cloned())
                .map(|s| crate::plot::Point {
                    at_s: s.at_s,
                    rss_mib: s.rss_mib,
                    heap_mib: s.heap_mib,
                })
                .collect();
        crate::plot::write(path, &points, idle, load_s)?;
    }
    drop(server);
    if errors > 0 {
        return Err(format!("{out}\nthe soak saw {errors} errors"));
    }
    Ok(out)
}
