//! The portal's fixed answers: health checks, stylesheets and scripts, the theme, the
//! uploaded logo and favicon, and the paths that lead elsewhere.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
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

/// A path outside every scope (`/static/…`, `/healthz/…`): the portal's "not found" page in
/// the visitor's language, never the framework's empty answer.
pub(crate) async fn unknown_anywhere(req: HttpRequest, st: St) -> HttpResponse {
    let Ok(snap) = st.snapshot().await else {
        return HttpResponse::NotFound().finish();
    };
    let accept = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let cookie = req.cookie("portal_lang");
    let lang = st
        .i18n
        .choose(None, cookie.as_ref().map(|c| c.value()), accept, None);
    crate::render::plain_message(
        &st,
        &snap,
        lang,
        actix_web::http::StatusCode::NOT_FOUND,
        "error.not_found.title",
        "error.not_found.body",
    )
}

/// An unknown staff path: the staff side's "not found" page in the staff member's language.
pub(crate) async fn unknown_staff_path() -> Result<HttpResponse, crate::errors::StaffError> {
    Err(crate::errors::StaffError::Core(Error::NotFound))
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
        Ok(Ok(note)) => {
            let body = match note {
                Some(n) => format!("ready\n{n}"),
                None => "ready".to_string(),
            };
            return HttpResponse::Ok().content_type("text/plain").body(body);
        }
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
    let (primary, bg, fg) = (
        safe(&b.primary_color, "#1d4ed8"),
        safe(&b.background_color, "#ffffff"),
        safe(&b.text_color, "#111827"),
    );
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .body(theme_css(&primary, &bg, &fg))
}

/// The brand's colours as design tokens, for light and dark: text on the primary colour is
/// white or near-black, whichever reads better; in dark mode the primary colour is lightened
/// until it reads on the dark background (WCAG contrast 4.5:1), and a light background the
/// admin chose gives way to the dark one.
pub(crate) fn theme_css(primary: &str, bg: &str, fg: &str) -> String {
    const DARK_BG: &str = "#0f172a";
    let on = |c: &str| {
        if contrast(c, "#ffffff") >= contrast(c, "#111827") {
            "#ffffff"
        } else {
            "#111827"
        }
    };
    let mut dark_primary = primary.to_string();
    let mut mix = 0.0;
    while contrast(&dark_primary, DARK_BG) < 4.5 && mix < 1.0 {
        mix += 0.1;
        dark_primary = lighten(primary, mix);
    }
    let (dark_bg, dark_fg) = if luminance(bg) < 0.2 {
        (bg, fg)
    } else {
        (DARK_BG, "#e5e7eb")
    };
    format!(
        ":root {{ --primary: {primary}; --on-primary: {}; --bg: {bg}; --fg: {fg}; }}\n\
         @media (prefers-color-scheme: dark) {{ :root {{ --primary: {dark_primary}; --on-primary: {}; --bg: {dark_bg}; --fg: {dark_fg}; }} }}\n",
        on(primary),
        on(&dark_primary),
    )
}

fn rgb(hex: &str) -> [f64; 3] {
    let h = hex.trim_start_matches('#');
    let full: String = if h.len() == 3 {
        h.chars().flat_map(|c| [c, c]).collect()
    } else {
        h.to_string()
    };
    let at = |i: usize| {
        full.get(i..i + 2)
            .and_then(|x| u8::from_str_radix(x, 16).ok())
            .map_or(0.0, f64::from)
    };
    [at(0), at(2), at(4)]
}

/// WCAG relative luminance.
fn luminance(hex: &str) -> f64 {
    let lin = |c: f64| {
        let c = c / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let [r, g, b] = rgb(hex);
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// WCAG contrast ratio of two colours.
fn contrast(a: &str, b: &str) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// `hex` mixed with white (`by` from 0 to 1).
fn lighten(hex: &str, by: f64) -> String {
    let [r, g, b] = rgb(hex);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let m = |c: f64| (c + (255.0 - c) * by.min(1.0)).round() as u8;
    format!("#{:02x}{:02x}{:02x}", m(r), m(g), m(b))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_brand_colours_read_well_in_light_and_dark() {
        let css = theme_css("#1d4ed8", "#ffffff", "#111827");
        assert!(
            css.contains("--primary: #1d4ed8; --on-primary: #ffffff;"),
            "{css}"
        );
        // Dark mode: a lightened blue that reads on the dark background, dark text on it.
        let dark = css.split("prefers-color-scheme: dark").nth(1).unwrap();
        let p = dark.split("--primary: ").nth(1).unwrap().get(..7).unwrap();
        assert!(contrast(p, "#0f172a") >= 4.5, "{p}");
        assert!(dark.contains("--bg: #0f172a"));
        // A yellow brand gets dark text on its buttons.
        assert!(theme_css("#facc15", "#ffffff", "#111827").contains("--on-primary: #111827;"));
        // An admin's own dark background stays in dark mode.
        assert!(
            theme_css("#1d4ed8", "#000000", "#ffffff")
                .contains("--bg: #000000; --fg: #ffffff; } }")
        );
        assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 0.01);
    }
}
