//! `portal-bench`: the load driver of the performance harness (docs/PERFORMANCE.md), a binary
//! of its own so that its HTTP client and its `wrk` scripts stay out of the production
//! `portal` binary. `portal bench …` runs it with the same arguments.

// A command-line tool prints its report.
#![allow(clippy::print_stdout)]

mod bench;
mod http1;
mod mailbench;
mod plot;
mod soak;
mod targets;
mod wrk;

use clap::Parser;

/// Measure the portal under HTTP load (docs/PERFORMANCE.md); needs Debian's `wrk`.
#[derive(Parser, Debug)]
#[command(name = "portal-bench", version)]
struct Args {
    /// `sqlite` or `postgres`.
    #[arg(long, default_value = "sqlite")]
    backend: String,
    /// Tickets to seed.
    #[arg(long, default_value_t = 100_000)]
    tickets: u64,
    /// Seconds per measurement.
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Connection counts, comma-separated.
    #[arg(long, default_value = "1,32", value_delimiter = ',')]
    connections: Vec<u32>,
    /// HTTP workers of the measured server.
    #[arg(long, default_value_t = 2)]
    workers: usize,
    /// PostgreSQL server for `--backend postgres` (a bench database is created on it).
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    pg_url: String,
    /// Only the pages whose name contains this text.
    #[arg(long)]
    only: Option<String>,
    /// The seeded world: `company` (one company; the viewer requests a fifth of its
    /// tickets, 30 % of them open), `spread` (ten companies of twenty contacts, 80 % open) or
    /// `collaboration` (`company` for two companies, a participant from the other company on
    /// every fourth ticket, and the viewer in both companies).
    #[arg(long, default_value = "company")]
    world: String,
    /// Instead of the page measurements, a mixed load at 64 connections (or the largest of
    /// `--connections`) for this long (`20s`, `10m`, `1h`), sampled every ten seconds; fails
    /// on any error.
    #[arg(long)]
    soak: Option<String>,
    /// With `--soak`: seconds without requests after the load, memory sampled every ten.
    #[arg(long, default_value_t = 60)]
    soak_rest: u64,
    /// With `--soak`: write the samples to this CSV file.
    #[arg(long)]
    soak_csv: Option<std::path::PathBuf>,
    /// With `--soak`: draw resident memory over time into this PNG file.
    #[arg(long)]
    soak_plot: Option<std::path::PathBuf>,
    /// Measure mail in instead of pages: this many mails (docs/PERFORMANCE.md).
    #[arg(long)]
    mail: Option<usize>,
    /// With `--mail`: also append the mails to this IMAP server (`host:port`, plain IMAP)
    /// and take them with the poller.
    #[arg(long)]
    imap: Option<String>,
    /// The IMAP login for `--imap`.
    #[arg(long, default_value = "support")]
    imap_user: String,
    /// The IMAP password for `--imap`.
    #[arg(long, default_value = "")]
    imap_password: String,
    /// Instead of measuring: write the demo world and `--tickets` tickets of `--world` into
    /// this empty database (`sqlite://PATH` or `postgres://…`) and exit, e.g. to measure
    /// `portal copy` (docs/PERFORMANCE.md).
    #[arg(long)]
    seed_only: Option<String>,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let a = Args::parse();
    if let Some(n) = a.mail {
        let imap = a.imap.map(|addr| mailbench::ImapTarget {
            addr,
            user: a.imap_user,
            password: a.imap_password,
        });
        return finish(mailbench::run(n, imap).await);
    }
    if let Some(url) = a.seed_only {
        return finish(bench::seed_only(&url, a.tickets, &a.world).await);
    }
    let args = bench::BenchArgs {
        backend: a.backend,
        tickets: a.tickets,
        duration: a.duration,
        connections: a.connections,
        pg_url: a.pg_url,
        workers: a.workers,
        only: a.only,
        world: a.world,
    };
    if let Some(d) = a.soak {
        let duration = match soak::parse_duration(&d) {
            Ok(d) => d,
            Err(e) => return finish(Err(e)),
        };
        return finish(
            soak::run(
                &args,
                duration,
                a.soak_rest,
                a.soak_csv.as_deref(),
                a.soak_plot.as_deref(),
            )
            .await,
        );
    }
    finish(bench::run(&args).await)
}

/// Prints the report, or the error and fails.
fn finish(result: Result<String, String>) -> std::process::ExitCode {
    match result {
        Ok(report) => {
            println!("{report}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("portal-bench: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
