//! The route table: every path the server answers, in one place. The customer portal under
//! its slug (P2), the staff side under `/admin`, the JSON API under `/api/v1`, health
//! checks and static assets. Each surface's scope turns its refusals into its own answer
//! (a page in the visitor's language, a staff page, JSON).

use actix_web::http::StatusCode;
use actix_web::web;
use portal_core::settings::RESERVED_SLUGS;

use crate::errors::PageError;
use crate::portal::assets::unknown_path;
use crate::{AppState, api, portal, staff};

/// Registers every route: health checks, static assets, the portal under `/{slug}`, the
/// staff side and the API.
pub fn routes(state: AppState) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        let limits = state.config.upload;
        cfg.app_data(web::Data::new(state))
            .app_data(web::FormConfig::default().limit(64 * 1024))
            .app_data(web::PayloadConfig::new(
                (limits.max_total_bytes + 1024 * 1024) as usize,
            ));
        cfg.service(
            web::scope("")
                .wrap(crate::screen::Screen)
                .wrap_fn(|mut req, srv| {
                    use actix_web::dev::Service as _;
                    let started = crate::observe::start(&mut req);
                    let answer = srv.call(req);
                    async move { Ok(crate::observe::finish(started, answer.await?)) }
                })
                .configure(register),
        );
    }
}

fn register(cfg: &mut web::ServiceConfig) {
    // The customer portal first, in one scope under its slug: a request is matched against
    // the scope's one pattern and then, inside, against short paths (the hot ones first)
    // instead of trying every admin and API pattern before it. Reserved first segments
    // (`/admin`, `/api`, `/static`, …) skip the scope and reach their own routes.
    cfg.service(
        web::scope("/{slug}")
            .guard(actix_web::guard::fn_guard(|ctx| {
                let path = ctx.head().uri.path().trim_start_matches('/');
                let first = path.split('/').next().unwrap_or("");
                !RESERVED_SLUGS.contains(&first)
            }))
            .route("/tickets", web::get().to(portal::list::list))
            .route("/tickets/export.csv", web::get().to(portal::list::export))
            .route("/tickets/{id}", web::get().to(portal::ticket::detail))
            .route("/tickets/{id}/reply", web::post().to(portal::ticket::reply))
            .route("/tickets/{id}/close", web::post().to(portal::ticket::close))
            .route(
                "/tickets/{id}/participants",
                web::post().to(portal::participants::add),
            )
            .route(
                "/tickets/{id}/participants/{contact}/remove",
                web::post().to(portal::participants::remove),
            )
            .route(
                "/tickets/{id}/hand-over",
                web::post().to(portal::participants::hand_over),
            )
            .route(
                "/tickets/{id}/privacy",
                web::post().to(portal::participants::privacy),
            )
            .route(
                "/company/access-log",
                web::get().to(portal::organisation::log_page),
            )
            .route(
                "/company/access-log.csv",
                web::get().to(portal::organisation::log_csv),
            )
            .route(
                "/company/people",
                web::get().to(portal::organisation::people_page),
            )
            .route(
                "/company/people/{contact}",
                web::post().to(portal::organisation::limit),
            )
            .route("/attachments/{id}", web::get().to(portal::ticket::download))
            .route("/new", web::get().to(portal::ticket::new_form))
            .route("/new", web::post().to(portal::ticket::new_ticket))
            .route("", web::get().to(portal::home::home))
            .route("/", web::get().to(portal::home::home))
            .route("/theme.css", web::get().to(portal::assets::theme))
            .route("/branding/{which}", web::get().to(portal::assets::branding))
            .route("/login", web::get().to(portal::account::login_form))
            .route("/login", web::post().to(portal::account::login))
            .route("/logout", web::post().to(portal::account::logout))
            .route("/register", web::get().to(portal::account::register_form))
            .route(
                "/register",
                web::post().to(portal::account::register_account),
            )
            .route(
                "/confirm/{token}",
                web::get().to(portal::account::confirm_form),
            )
            .route("/confirm/{token}", web::post().to(portal::account::confirm))
            .route(
                "/welcome/{token}",
                web::get().to(portal::account::welcome_form),
            )
            .route("/welcome/{token}", web::post().to(portal::account::welcome))
            .route("/account", web::get().to(portal::account::account_form))
            .route(
                "/account/time-zone",
                web::post().to(portal::account::set_time_zone),
            )
            .route("/account", web::post().to(portal::account::change_password))
            .route("/login/link", web::get().to(portal::account::link_form))
            .route("/login/link", web::post().to(portal::account::link_request))
            .route(
                "/login/link/{token}",
                web::get().to(portal::account::link_confirm_form),
            )
            .route(
                "/login/link/{token}",
                web::post().to(portal::account::link_login),
            )
            .route("/reset", web::get().to(portal::account::reset_form))
            .route("/reset", web::post().to(portal::account::reset_request))
            .route(
                "/reset/{token}",
                web::get().to(portal::account::reset_set_form),
            )
            .route("/reset/{token}", web::post().to(portal::account::reset_set))
            .route(
                "/sso/saml/metadata",
                web::get().to(portal::sso::saml_metadata),
            )
            .route("/sso/saml/login", web::get().to(portal::sso::saml_login))
            .service(
                // Responses carry signed XML (up to 256 KiB decoded); cross-site POST by
                // design, so no CSRF token: the signature, request id and replay checks
                // protect it (rule 8).
                web::resource("/sso/saml/acs")
                    .app_data(web::FormConfig::default().limit(512 * 1024))
                    .route(web::post().to(portal::sso::saml_acs)),
            )
            .route("/sso/jwt", web::get().to(portal::sso::jwt_get))
            .route("/sso/jwt", web::post().to(portal::sso::jwt_post))
            .route(
                "/sso/jwt/login",
                web::get().to(portal::sso::jwt_login_redirect),
            )
            .route("/language", web::post().to(portal::account::language))
            // N1: an unknown portal path, an id that is not a number or a malformed form is
            // a page in the visitor's language with the right status, never a bare text.
            .default_service(web::to(unknown_path))
            .app_data(web::PathConfig::default().error_handler(|e, _| {
                PageError::BadInput(StatusCode::NOT_FOUND, e.to_string()).into()
            }))
            .app_data(web::QueryConfig::default().error_handler(|e, _| {
                PageError::BadInput(StatusCode::BAD_REQUEST, e.to_string()).into()
            }))
            .app_data(form_config(|status, detail| {
                PageError::BadInput(status, detail).into()
            }))
            .wrap_fn(|req, srv| {
                use actix_web::dev::Service as _;
                let fut = srv.call(req);
                async move { crate::context::render_page_errors(fut.await?).await }
            }),
    );
    api_routes(cfg);
    cfg.service(
        web::scope("/admin")
            .configure(staff_routes)
            .default_service(web::to(portal::assets::unknown_staff_path))
            // An oversized or malformed form, a bad id in the path or a bad query is a page
            // in the staff member's language, never the framework's English text.
            .app_data(form_config(|status, detail| {
                crate::errors::StaffError::BadInput(status, detail).into()
            }))
            .app_data(web::PathConfig::default().error_handler(|e, _| {
                crate::errors::StaffError::BadInput(StatusCode::NOT_FOUND, e.to_string()).into()
            }))
            .app_data(web::QueryConfig::default().error_handler(|e, _| {
                crate::errors::StaffError::BadInput(StatusCode::BAD_REQUEST, e.to_string()).into()
            }))
            .wrap_fn(|req, srv| {
                use actix_web::dev::Service as _;
                let fut = srv.call(req);
                async move { staff::render_staff_errors(fut.await?).await }
            }),
    );
    cfg.route("/healthz", web::get().to(portal::assets::healthz))
        .route("/readyz", web::get().to(portal::assets::readyz))
        .route("/metrics", web::get().to(crate::observe::metrics_page))
        .route("/static/portal.css", web::get().to(portal::assets::css))
        .route("/static/portal.js", web::get().to(portal::assets::js))
        .route("/static/admin.js", web::get().to(portal::assets::admin_js))
        .route("/", web::get().to(portal::assets::root))
        .default_service(web::to(portal::assets::unknown_anywhere));
}

/// Forms of at most 64 KiB; one that is larger (413) or does not parse (400) becomes
/// `refusal`, which the scope renders as a page in the visitor's language.
fn form_config(refusal: fn(StatusCode, String) -> actix_web::Error) -> web::FormConfig {
    web::FormConfig::default()
        .limit(64 * 1024)
        .error_handler(move |e, _| {
            let status = match e {
                actix_web::error::UrlencodedError::Overflow { .. } => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::BAD_REQUEST,
            };
            refusal(status, e.to_string())
        })
}

/// The staff side, inside the `/admin` scope.
fn staff_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("", web::get().to(staff::inbox::home))
        .route("/", web::get().to(staff::inbox::home))
        .route("/login", web::get().to(staff::inbox::login_form))
        .route("/login", web::post().to(staff::inbox::login))
        .route("/logout", web::post().to(staff::inbox::logout))
        .route("/inbox", web::get().to(staff::inbox::inbox))
        .route("/tickets/{id}", web::get().to(staff::inbox::ticket))
        .route("/tickets/{id}/answer", web::post().to(staff::inbox::answer))
        .route(
            "/tickets/{id}/participants",
            web::post().to(staff::people::add),
        )
        .route(
            "/tickets/{id}/participants/{contact}/remove",
            web::post().to(staff::people::remove),
        )
        .route(
            "/tickets/{id}/requester",
            web::post().to(staff::people::requester),
        )
        .route(
            "/tickets/{id}/stage",
            web::post().to(staff::inbox::set_stage),
        )
        .route(
            "/tickets/{id}/owner",
            web::post().to(staff::inbox::set_owner),
        )
        .route("/attachments/{id}", web::get().to(staff::inbox::download))
        .route("/explain", web::get().to(staff::access::explain))
        .route("/preview", web::post().to(staff::access::start_preview))
        .route("/preview/end", web::get().to(staff::access::end_preview))
        .route("/lists", web::get().to(staff::access::lists))
        .route("/lists", web::post().to(staff::access::create_list))
        .route("/lists/{id}", web::get().to(staff::access::list_page))
        .route(
            "/lists/{id}/members",
            web::post().to(staff::access::add_member),
        )
        .route(
            "/lists/{id}/members/{contact}/remove",
            web::post().to(staff::access::remove_member),
        )
        .route(
            "/lists/{id}/members/{contact}/invite",
            web::post().to(staff::access::resend_invite),
        )
        .route("/mail-in", web::get().to(staff::access::quarantine))
        .route("/mail-in/{id}/raw", web::get().to(staff::access::raw_mail))
        .route(
            "/mail-in/{id}/retry",
            web::post().to(staff::access::retry_mail),
        )
        .route(
            "/mail-in/{id}/delete",
            web::post().to(staff::access::delete_mail),
        )
        .route("/mailboxes", web::get().to(staff::mailboxes::list))
        .route("/mailboxes", web::post().to(staff::mailboxes::create))
        .route("/mailboxes/{id}", web::get().to(staff::mailboxes::edit))
        .route("/mailboxes/{id}", web::post().to(staff::mailboxes::update))
        .route(
            "/mailboxes/{id}/delete",
            web::post().to(staff::mailboxes::delete),
        )
        .route("/outbox", web::get().to(staff::access::outbox))
        .route("/outbox/{id}/resend", web::post().to(staff::access::resend))
        .route("/contacts", web::get().to(staff::records::contacts))
        .route("/contacts", web::post().to(staff::records::create_contact))
        .route("/contacts/{id}", web::get().to(staff::records::contact))
        .route(
            "/contacts/{id}",
            web::post().to(staff::records::update_contact),
        )
        .route("/companies", web::get().to(staff::records::companies))
        .route("/companies", web::post().to(staff::records::create_company))
        .route("/companies/{id}", web::get().to(staff::records::company))
        .route(
            "/companies/{id}",
            web::post().to(staff::records::update_company),
        )
        .route("/pipelines", web::get().to(staff::catalog::pipelines))
        .route(
            "/pipelines",
            web::post().to(staff::catalog::create_pipeline),
        )
        .route(
            "/pipelines/{id}/stages",
            web::post().to(staff::catalog::add_stage),
        )
        .route("/inboxes", web::post().to(staff::catalog::create_inbox))
        .route("/properties", web::get().to(staff::catalog::properties))
        .route(
            "/properties",
            web::post().to(staff::catalog::define_property),
        )
        .route("/agents", web::get().to(staff::catalog::agents))
        .route(
            "/agents/{id}/alias",
            web::post().to(staff::catalog::set_alias),
        )
        .route(
            "/agents/{id}/login",
            web::post().to(staff::catalog::set_staff_login),
        )
        .route(
            "/contacts/{id}/login",
            web::post().to(staff::catalog::set_portal_login),
        )
        .route(
            "/contacts/{id}/company-admin",
            web::post().to(staff::catalog::set_company_admin),
        )
        .route(
            "/contacts/{id}/memberships",
            web::post().to(staff::memberships::set_membership),
        )
        .route(
            "/contacts/{id}/memberships/{company}/remove",
            web::post().to(staff::memberships::remove_membership),
        )
        .route(
            "/tickets/{id}/properties",
            web::post().to(staff::catalog::edit_ticket),
        )
        .route("/api-tokens", web::get().to(staff::catalog::tokens))
        .route("/api-tokens", web::post().to(staff::catalog::create_token))
        .route(
            "/api-tokens/{id}/revoke",
            web::post().to(staff::catalog::revoke_token),
        )
        .route(
            "/settings/branding/{which}",
            web::post().to(staff::settings::upload_branding),
        )
        .route("/settings", web::get().to(staff::settings::show))
        .route("/settings/{section}", web::post().to(staff::settings::save))
        .route("/setup", web::get().to(staff::setup::setup_show))
        .route("/setup/{step}", web::post().to(staff::setup::setup_save))
        .route("/templates", web::get().to(staff::templates::index))
        .route("/templates/{key}", web::get().to(staff::templates::edit))
        .route("/templates/{key}", web::post().to(staff::templates::act));
}

/// The JSON API.
fn api_routes(cfg: &mut web::ServiceConfig) {
    let json_cfg = web::JsonConfig::default()
        .limit(256 * 1024)
        .error_handler(|e, _| {
            let (status, code) = match &e {
                actix_web::error::JsonPayloadError::ContentType => {
                    (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
                }
                actix_web::error::JsonPayloadError::Overflow { .. }
                | actix_web::error::JsonPayloadError::OverflowKnownLength { .. } => {
                    (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
                }
                _ => (StatusCode::BAD_REQUEST, "bad_request"),
            };
            let detail = e.to_string();
            actix_web::error::InternalError::from_response(
                e,
                crate::errors::api_answer(status, code, &detail, Vec::new()),
            )
            .into()
        });
    let query_cfg = web::QueryConfig::default().error_handler(|e, _| {
        let detail = e.to_string();
        actix_web::error::InternalError::from_response(
            e,
            crate::errors::api_answer(StatusCode::BAD_REQUEST, "bad_request", &detail, Vec::new()),
        )
        .into()
    });
    let path_cfg = web::PathConfig::default().error_handler(|e, _| {
        actix_web::error::InternalError::from_response(
            e,
            crate::errors::api_answer(
                StatusCode::NOT_FOUND,
                "not_found",
                "no such resource",
                Vec::new(),
            ),
        )
        .into()
    });
    cfg.service(
        web::scope("/api/v1")
            .app_data(json_cfg)
            .app_data(query_cfg)
            .app_data(path_cfg)
            .service(api::resource("/openapi.json").route(web::get().to(api::openapi)))
            .service(
                api::resource("/companies")
                    .route(web::get().to(api::records::list_companies))
                    .route(web::post().to(api::records::create_company)),
            )
            .service(
                api::resource("/companies/{id}")
                    .route(web::get().to(api::records::get_company))
                    .route(web::patch().to(api::records::update_company)),
            )
            .service(
                api::resource("/contacts")
                    .route(web::get().to(api::records::list_contacts))
                    .route(web::post().to(api::records::create_contact)),
            )
            .service(
                api::resource("/contacts/{id}")
                    .route(web::get().to(api::records::get_contact))
                    .route(web::patch().to(api::records::update_contact)),
            )
            .service(
                api::resource("/contacts/{id}/login")
                    .route(web::put().to(api::records::set_contact_login)),
            )
            .service(
                api::resource("/agents/{id}/login")
                    .route(web::put().to(api::records::set_agent_login)),
            )
            .service(
                api::resource("/lists")
                    .route(web::get().to(api::records::list_lists))
                    .route(web::post().to(api::records::create_list)),
            )
            .service(
                api::resource("/lists/{id}")
                    .route(web::get().to(api::records::get_list))
                    .route(web::patch().to(api::records::update_list)),
            )
            .service(
                api::resource("/lists/{id}/members/{contact}")
                    .route(web::put().to(api::records::add_member))
                    .route(web::delete().to(api::records::remove_member)),
            )
            .service(
                api::resource("/tickets")
                    .route(web::get().to(api::tickets::list_tickets))
                    .route(web::post().to(api::tickets::create_ticket)),
            )
            .service(
                api::resource("/tickets/{id}")
                    .route(web::get().to(api::tickets::get_ticket))
                    .route(web::patch().to(api::tickets::update_ticket)),
            )
            .service(
                api::resource("/tickets/{id}/messages")
                    .route(web::get().to(api::tickets::list_messages))
                    .route(
                        web::post()
                            .guard(actix_web::guard::fn_guard(|ctx| {
                                ctx.head()
                                    .headers()
                                    .get(actix_web::http::header::CONTENT_TYPE)
                                    .and_then(|v| v.to_str().ok())
                                    .is_some_and(|v| {
                                        v.to_ascii_lowercase().starts_with("multipart/form-data")
                                    })
                            }))
                            .to(api::files::create_message_with_files),
                    )
                    .route(web::post().to(api::tickets::create_message)),
            )
            .service(
                api::resource("/attachments/{id}")
                    .route(web::get().to(api::files::download_attachment)),
            )
            .service(
                api::resource("/tickets/{id}/messages/{message}")
                    .route(web::get().to(api::tickets::get_message))
                    .route(web::patch().to(api::tickets::update_message)),
            )
            .default_service(web::to(|| async {
                crate::errors::api_answer(
                    StatusCode::NOT_FOUND,
                    "not_found",
                    "no such resource",
                    Vec::new(),
                )
            })),
    );
}
