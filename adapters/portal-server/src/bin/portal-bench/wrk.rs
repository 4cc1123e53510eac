//! Reading what a `wrk` run printed (the page measurements and the soak).

/// What a `wrk` run printed: its summary and the lines of the Lua `done` hook (`REQS`,
/// `P50`, `P99`, `BAD`, …) and `response` hook (`WRONG status body`).
pub struct WrkReport {
    text: String,
}

impl WrkReport {
    /// The run's output; an error when it measured no request (`what` names the run).
    pub fn read(out: &std::process::Output, what: &str) -> Result<WrkReport, String> {
        let report = WrkReport {
            text: String::from_utf8_lossy(&out.stdout).into_owned(),
        };
        if report.num("REQS ") == 0.0 {
            return Err(format!(
                "wrk measured nothing for {what}: {}{}",
                report.text,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(report)
    }

    /// The number after `key` at the start of a line (0 when there is none).
    pub fn num(&self, key: &str) -> f64 {
        self.text
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0.0)
    }

    /// The first unexpected responses the hook reported.
    pub fn wrong(&self) -> Vec<&str> {
        self.text
            .lines()
            .filter_map(|l| l.strip_prefix("WRONG "))
            .collect()
    }

    /// The summary line that starts with `prefix`, if any.
    pub fn line(&self, prefix: &str) -> Option<&str> {
        self.text
            .lines()
            .find(|l| l.trim_start().starts_with(prefix))
    }
}
