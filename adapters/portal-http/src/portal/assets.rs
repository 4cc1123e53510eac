//! The portal's fixed answers: health checks, stylesheets and scripts, the theme, the
//! uploaded logo and favicon, and the paths that lead elsewhere.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use portal_core::Error;

use crate::AppState;
use crate::context::Visitor;
use crate::errors::PageError;
use crate::format::{self};
use crate::render::{error_response, redirect};

type St = web::Data<AppState>;

/// Any other path under the portal: the not-found page in the visitor's language.
pub(crate) async fn unknown_path() -> Result<HttpResponse, PageError> {
    Err(Error::NotFound.into())
}

pub(crate) async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// Ready when the database answers within a second (a monitor must not wait for the pool's
/// own timeout); otherwise 503 with the reason and `Retry-After`.
pub(crate) async fn readyz(st: St) -> HttpResponse {
    let answer =
        actix_web::rt::time::timeout(std::time::Duration::from_secs(1), st.admin.ready()).await;
    let reason = match answer {
        Ok(Ok(())) => return HttpResponse::Ok().content_type("text/plain").body("ready"),
        Ok(Err(e)) => format!("database unavailable: {e}"),
        Err(_) => "database unavailable: no answer within 1 s".to_string(),
    };
    tracing::warn!(%reason, "not ready");
    HttpResponse::ServiceUnavailable()
        .content_type("text/plain")
        .insert_header((
            actix_web::http::header::RETRY_AFTER,
            crate::errors::RETRY_AFTER_SECONDS,
        ))
        .body(reason)
}

pub(crate) async fn css() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../assets/portal.css"))
}

pub(crate) async fn admin_js() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../assets/admin.js"))
}

pub(crate) async fn js() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../assets/portal.js"))
}

pub(crate) async fn root(st: St) -> HttpResponse {
    match st.snapshot().await {
        Ok(s) => redirect(None, &format!("/{}/tickets", s.settings.slug)),
        Err(_) => HttpResponse::ServiceUnavailable().finish(),
    }
}

pub(crate) async fn theme(Visitor(p): Visitor) -> HttpResponse {
    let b = &p.snap.settings.branding;
    let safe = |c: &str, d: &str| {
        if portal_core::settings::is_hex_color(c) {
            c.to_string()
        } else {
            d.to_string()
        }
    };
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .body(format!(
            ":root {{ --primary: {}; --bg: {}; --fg: {}; }}\n",
            safe(&b.primary_color, "#1d4ed8"),
            safe(&b.background_color, "#ffffff"),
            safe(&b.text_color, "#111827")
        ))
}

/// The logo or favicon the admin uploaded (P10), public like the login page.
pub(crate) async fn branding(
    st: St,
    Visitor(p): Visitor,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (_, which) = path.into_inner();
    let b = &p.snap.settings.branding;
    let key = match which.as_str() {
        "logo" => b.logo.as_deref(),
        "favicon" => b.favicon.as_deref(),
        _ => None,
    };
    let Some(key) = key else {
        return error_response(&st, &p, &Error::NotFound);
    };
    match st.files.read(key).await {
        Ok(bytes) => HttpResponse::Ok()
            .content_type(format::sniff(&bytes))
            .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
            .body(bytes),
        Err(e) => error_response(&st, &p, &e),
    }
}

pub(crate) async fn home(Visitor(p): Visitor) -> HttpResponse {
    redirect(Some(&p), &format!("{}/tickets", p.base()))
}
