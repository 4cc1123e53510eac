//! A minimal SMTP server on loopback for tests: it speaks just enough SMTP for a real client
//! (lettre) to deliver, and keeps what it received.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};

/// One delivered message.
#[derive(Debug, Clone, Default)]
pub struct Received {
    /// The MAIL FROM argument.
    pub from: String,
    /// The RCPT TO arguments.
    pub to: Vec<String>,
    /// The message as sent after DATA.
    pub data: String,
}

/// A minimal SMTP server: accepts everything, or refuses every recipient with 550.
pub fn sink(refuse: bool) -> (SocketAddr, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let got = Arc::new(Mutex::new(Vec::new()));
    let store = got.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut out) = conn else { continue };
            let store = store.clone();
            std::thread::spawn(move || {
                let mut r = BufReader::new(out.try_clone().unwrap());
                let _ = out.write_all(b"220 sink ESMTP\r\n");
                let mut mail = Received::default();
                let mut line = String::new();
                loop {
                    line.clear();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        break;
                    }
                    let cmd = line.trim_end().to_string();
                    let upper = cmd.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("MAIL FROM") {
                        mail.from = cmd[10..].trim().to_string();
                        b"250 OK\r\n"
                    } else if upper.starts_with("RCPT TO") {
                        if refuse {
                            b"550 5.1.1 no such mailbox\r\n"
                        } else {
                            mail.to.push(cmd[8..].trim().to_string());
                            b"250 OK\r\n"
                        }
                    } else if upper == "DATA" {
                        let _ = out.write_all(b"354 go ahead\r\n");
                        let mut data = String::new();
                        loop {
                            line.clear();
                            if r.read_line(&mut line).unwrap_or(0) == 0 || line == ".\r\n" {
                                break;
                            }
                            data.push_str(&line);
                        }
                        mail.data = data;
                        store.lock().unwrap().push(std::mem::take(&mut mail));
                        b"250 queued\r\n"
                    } else if upper == "QUIT" {
                        let _ = out.write_all(b"221 bye\r\n");
                        break;
                    } else {
                        b"250 OK\r\n"
                    };
                    let _ = out.write_all(reply);
                }
            });
        }
    });
    (addr, got)
}
