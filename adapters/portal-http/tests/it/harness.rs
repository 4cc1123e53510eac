//! A test portal (the testkit's fixture world with logins) and a cookie-keeping client.

use std::collections::BTreeMap;
use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use actix_web::{App, test};
use portal_core::access::AccessSettings;
use portal_core::model::*;
use portal_core::ports::{Account, Ports};
use portal_core::settings::{Column, PortalSettings, default_columns};
use portal_core::visibility::{CompanyAccess, VisibilitySettings};
use portal_http::{AppState, HttpConfig};
use portal_testkit::fixtures::{T0, World, seed_world};
use portal_testkit::memory::{TestClock, memory_ports};

pub const PASSWORD: &str = "correct horse battery";

pub struct Portal {
    pub ports: Ports,
    pub world: World,
    pub clock: Arc<TestClock>,
    pub state: AppState,
}

/// The fixture world with portal settings and an account for every contact.
pub async fn portal(f: impl FnOnce(&World, &mut PortalSettings)) -> Portal {
    let t = memory_ports(T0);
    let world = seed_world(&t.ports).await;
    let mut columns = default_columns();
    columns.push(Column::of("priority"));
    let mut s = PortalSettings {
        enabled: true,
        name: "Acme Help".into(),
        default_inbox: Some(world.inbox),
        columns,
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
        ..PortalSettings::default()
    };
    s.actions.allow_close = true;
    s.actions
        .close_stages
        .insert(world.returns.id, world.returns.stages[2].id);
    f(&world, &mut s);
    t.ports.settings.save(&s).await.unwrap();
    for c in [&world.alice, &world.bob, &world.carol, &world.dave] {
        t.ports
            .accounts
            .create(Account {
                id: AccountId(0),
                contact: c.id,
                email: c.email.clone(),
                password_hash: Some(t.ports.hasher.hash(PASSWORD).await.unwrap()),
                enabled: true,
                email_confirmed: true,
                language: None,
                time_zone: None,
                consent: None,
                created_at: T0,
            })
            .await
            .unwrap();
    }
    let mut config = HttpConfig::new("http://portal.test");
    config.cache_ttl = std::time::Duration::ZERO;
    let state = AppState::new(t.ports.clone(), config).unwrap();
    Portal {
        ports: t.ports,
        world,
        clock: t.clock,
        state,
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn location(&self) -> String {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }

    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }

    /// The first `name="csrf"` value on the page.
    pub fn csrf(&self) -> String {
        let at = self
            .body
            .find("name=\"csrf\" value=\"")
            .expect("a csrf field");
        let rest = &self.body[at + 19..];
        rest[..rest.find('"').unwrap()].to_string()
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all("set-cookie")
            .filter_map(|v| v.to_str().ok())
            .map(str::to_string)
            .collect()
    }
}

/// A browser-like client: keeps cookies, sends a language.
pub struct Client<S> {
    app: S,
    pub cookies: BTreeMap<String, String>,
    pub accept_language: Option<String>,
    /// Headers sent with every request (say, a forged `X-Forwarded-For`).
    pub headers: Vec<(String, String)>,
    /// The connection's peer address.
    pub peer: Option<std::net::SocketAddr>,
}

pub async fn client(
    p: &Portal,
) -> Client<
    impl Service<
        actix_http::Request,
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
    >,
> {
    let app = test::init_service(
        App::new()
            .wrap(portal_http::security_headers(false))
            .configure(portal_http::routes(p.state.clone())),
    )
    .await;
    Client {
        app,
        cookies: BTreeMap::new(),
        accept_language: None,
        headers: Vec::new(),
        peer: None,
    }
}

impl<S, B> Client<S>
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    pub async fn send(&mut self, mut req: test::TestRequest) -> Reply {
        if !self.cookies.is_empty() {
            let c = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            req = req.insert_header(("cookie", c));
        }
        if let Some(l) = &self.accept_language {
            req = req.insert_header(("accept-language", l.clone()));
        }
        for (k, v) in &self.headers {
            req = req.insert_header((k.as_str(), v.as_str()));
        }
        if let Some(peer) = self.peer {
            req = req.peer_addr(peer);
        }
        let res = test::call_service(&self.app, req.to_request()).await;
        let status = res.status();
        let headers = res.headers().clone();
        for v in headers.get_all("set-cookie") {
            let s = v.to_str().unwrap_or("");
            let pair = s.split(';').next().unwrap_or("");
            if let Some((k, val)) = pair.split_once('=') {
                if val.is_empty() || s.contains("Max-Age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_string(), val.to_string());
                }
            }
        }
        let bytes = test::read_body(res).await;
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        self.send(test::TestRequest::get().uri(path)).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Reply {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.send(
            test::TestRequest::post()
                .uri(path)
                .insert_header(("content-type", "application/x-www-form-urlencoded"))
                .set_payload(body),
        )
        .await
    }

    /// A multipart POST with text fields and files `(field, file name, bytes)`.
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, Vec<u8>)],
    ) -> Reply {
        let (content_type, body) = multipart_body(fields, files);
        self.send(
            test::TestRequest::post()
                .uri(path)
                .insert_header(("content-type", content_type))
                .set_payload(body),
        )
        .await
    }

    /// [`Client::post_multipart`] to the API with a bearer token.
    pub async fn api_multipart(
        &mut self,
        path: &str,
        token: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, Vec<u8>)],
    ) -> Reply {
        let (content_type, body) = multipart_body(fields, files);
        self.send(
            test::TestRequest::post()
                .uri(path)
                .insert_header(("authorization", format!("Bearer {token}")))
                .insert_header(("content-type", content_type))
                .set_payload(body),
        )
        .await
    }

    /// A POST of raw bytes with this content type.
    pub async fn post_raw(&mut self, path: &str, content_type: &str, body: Vec<u8>) -> Reply {
        self.send(
            test::TestRequest::post()
                .uri(path)
                .insert_header(("content-type", content_type.to_string()))
                .set_payload(body),
        )
        .await
    }

    /// An API request with a raw (possibly broken) JSON body.
    pub async fn api_raw(&mut self, method: &str, path: &str, token: &str, body: Vec<u8>) -> Reply {
        self.send(
            test::TestRequest::default()
                .method(method.parse().unwrap())
                .uri(path)
                .insert_header(("authorization", format!("Bearer {token}")))
                .insert_header(("content-type", "application/json"))
                .set_payload(body),
        )
        .await
    }

    /// An API request: optional bearer token and JSON body.
    pub async fn api(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> Reply {
        let mut req = match method {
            "GET" => test::TestRequest::get(),
            "POST" => test::TestRequest::post(),
            "PATCH" => test::TestRequest::patch(),
            "PUT" => test::TestRequest::put(),
            "DELETE" => test::TestRequest::delete(),
            other => test::TestRequest::default().method(other.parse().unwrap()),
        }
        .uri(path);
        if let Some(t) = token {
            req = req.insert_header(("authorization", format!("Bearer {t}")));
        }
        if let Some(b) = body {
            req = req
                .insert_header(("content-type", "application/json"))
                .set_payload(b.to_string());
        }
        self.send(req).await
    }

    /// Logs in to the staff side.
    pub async fn staff_login(&mut self, email: &str) -> Reply {
        let page = self.get("/admin/login").await;
        assert_eq!(page.status, StatusCode::OK);
        let csrf = page.csrf();
        let r = self
            .post(
                "/admin/login",
                &[("email", email), ("password", PASSWORD), ("csrf", &csrf)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        r
    }

    /// Logs in through the login form.
    pub async fn login(&mut self, email: &str) -> Reply {
        let page = self.get("/portal/login").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let csrf = page.csrf();
        self.post(
            "/portal/login",
            &[
                ("email", email),
                ("password", PASSWORD),
                ("csrf", &csrf),
                ("next", ""),
            ],
        )
        .await
    }
}

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The ids of the tickets linked from a list page.
/// A multipart body of text fields and files `(field, file name, bytes)`, with its content
/// type.
fn multipart_body(fields: &[(&str, &str)], files: &[(&str, &str, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "----portal-test-boundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    for (k, name, bytes) in files {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"; filename=\"{name}\"\r\nContent-Type: text/html\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub fn listed(body: &str) -> Vec<i64> {
    body.match_indices("href=\"/portal/tickets/")
        .filter_map(|(i, _)| {
            let rest = &body[i + 22..];
            rest[..rest.find('"')?].parse().ok()
        })
        .collect()
}

/// Gives the world's agent a staff login with `role`.
pub async fn make_staff(p: &Portal, role: StaffRole) {
    let hash = p.ports.hasher.hash(PASSWORD).await.unwrap();
    p.ports
        .staff
        .set_staff_login(p.world.agent.id, role, &hash, true)
        .await
        .unwrap();
}
