//! Read-your-writes with a read replica: a request that changed tickets (a successful
//! `POST` under `/tickets`, on the portal, the staff side or the API) marks the browser with
//! a short-lived cookie, and requests carrying it read from the primary for as long as the
//! replica may lag (`read_replica_max_lag`), so the writer's next page shows the write. The
//! mark is no secret and grants nothing: a client that sends it only reads from the
//! primary. Without a replica nothing is read or set.

use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;

/// The cookie's name.
const WROTE: &str = "portal_wrote";

/// Whether the request reads from the primary, and for how many seconds to mark the
/// client after it when it is a write (`fresh_for`: the replica's lag bound, `None`
/// without a replica).
pub(crate) fn routing(req: &ServiceRequest, fresh_for: Option<u64>) -> (bool, Option<u64>) {
    let Some(secs) = fresh_for else {
        return (false, None);
    };
    let primary = req.cookie(WROTE).is_some();
    let writes = matches!(
        *req.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    ) && req.path().contains("/tickets");
    (primary, writes.then_some(secs))
}

/// Marks the client of a write that succeeded.
pub(crate) fn mark<B>(res: &mut ServiceResponse<B>, wrote: Option<u64>, secure: bool) {
    if let Some(secs) = wrote
        && res.status().as_u16() < 400
    {
        let cookie = Cookie::build(WROTE, "1")
            .path("/")
            .max_age(Duration::seconds(secs as i64))
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Lax)
            .finish();
        let _ = res.response_mut().add_cookie(&cookie);
    }
}
