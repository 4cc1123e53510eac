//! The one outgoing request portal makes: an HTTP(S) GET of identity provider metadata at
//! start-up, through `ureq` (rustls with the Mozilla roots; `HTTPS_PROXY`, `HTTP_PROXY`,
//! `ALL_PROXY` and `NO_PROXY` honoured), with a 1 MiB limit, a 10 s timeout and no
//! redirects. It runs on tokio's blocking pool, never on a worker.

use std::time::Duration;

/// The largest answer read.
const LIMIT: u64 = 1024 * 1024;

/// Why the metadata could not be fetched.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// Not an `http://` or `https://` URL.
    #[error("only http:// and https:// URLs")]
    Scheme,
    /// No connection, TLS failure, timeout, or an answer too large or not UTF-8.
    #[error("{0}")]
    Transport(String),
    /// An answer other than `200 OK` (redirects are not followed).
    #[error("answered {0}")]
    Status(u16),
}

/// The body of a `200 OK` answer to `GET url`.
pub async fn get(url: &str) -> Result<String, FetchError> {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(FetchError::Scheme);
    }
    let url = url.to_string();
    tokio::task::spawn_blocking(move || fetch(&url))
        .await
        .map_err(|e| FetchError::Transport(format!("the request task failed: {e}")))?
}

fn fetch(url: &str) -> Result<String, FetchError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .max_redirects(0)
        .http_status_as_error(false)
        .proxy(ureq::Proxy::try_from_env())
        .user_agent("portal")
        .build()
        .into();
    let mut answer = agent
        .get(url)
        .header(
            "Accept",
            "application/samlmetadata+xml, application/xml, text/xml",
        )
        .call()
        .map_err(|e| FetchError::Transport(e.to_string()))?;
    if answer.status() != 200 {
        return Err(FetchError::Status(answer.status().as_u16()));
    }
    answer
        .body_mut()
        .with_config()
        .limit(LIMIT)
        .read_to_string()
        .map_err(|e| FetchError::Transport(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    /// A one-shot HTTP server on loopback answering `answer`; its address.
    fn serve(answer: Vec<u8>) -> (String, std::thread::JoinHandle<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/metadata.xml", listener.local_addr().unwrap());
        let handle = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let _ = s.write_all(&answer);
        });
        (url, handle)
    }

    fn answer(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
        let mut a = format!(
            "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        a.extend_from_slice(body);
        a
    }

    #[tokio::test]
    async fn metadata_is_fetched_within_its_limits() {
        let (url, h) = serve(answer("200 OK", "", b"<EntityDescriptor/>"));
        assert_eq!(get(&url).await.unwrap(), "<EntityDescriptor/>");
        h.join().unwrap();
        // A redirect is not followed.
        let (url, h) = serve(answer(
            "302 Found",
            "Location: http://example.test/\r\n",
            b"",
        ));
        assert!(matches!(get(&url).await, Err(FetchError::Status(302))));
        h.join().unwrap();
        // More than 1 MiB is refused.
        let (url, h) = serve(answer("200 OK", "", &vec![b'x'; 1024 * 1024 + 1]));
        assert!(matches!(get(&url).await, Err(FetchError::Transport(_))));
        h.join().unwrap();
        assert!(matches!(
            get("ftp://example.test/").await,
            Err(FetchError::Scheme)
        ));
    }
}
