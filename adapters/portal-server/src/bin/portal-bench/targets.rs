//! The pages `portal bench` measures, in order, as the seeded viewer sees them.

use crate::bench::Target;

/// The pages: `ticket` an open ticket of the viewer's, `deep` a list cursor 5,000 rows in,
/// `csrf` the viewer's form token, `first_company` the viewer's primary company.
pub(crate) fn pages(ticket: &str, deep: String, csrf: &str, first_company: i64) -> Vec<Target> {
    let boundary = "benchboundary";
    let reply = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\nStill happening, see **log**.\r\n--{boundary}--\r\n"
    );
    vec![
        Target {
            name: "login page (anonymous)",
            method: "GET",
            path: "/portal/login".into(),
            body: None,
            status: 200,
            marker: "<title>Log in",
        },
        Target {
            name: "ticket list, first page (organization)",
            method: "GET",
            path: "/portal/tickets".into(),
            body: None,
            status: 200,
            marker: "class=\"tickets\"",
        },
        Target {
            name: "ticket list, my tickets",
            method: "GET",
            path: "/portal/tickets?view=mine".into(),
            body: None,
            status: 200,
            marker: "class=\"tickets\"",
        },
        Target {
            name: "ticket list, 5,000 rows deep",
            method: "GET",
            path: deep,
            body: None,
            status: 200,
            marker: "class=\"tickets\"",
        },
        Target {
            name: "ticket list, my open tickets",
            method: "GET",
            path: "/portal/tickets?view=mine&status=open".into(),
            body: None,
            status: 200,
            marker: "class=\"tickets\"",
        },
        Target {
            name: "ticket list, organization's open tickets",
            method: "GET",
            path: "/portal/tickets?view=organization&status=open".into(),
            body: None,
            status: 200,
            marker: "class=\"tickets\"",
        },
        Target {
            name: "ticket list, search",
            method: "GET",
            path: "/portal/tickets?q=printer".into(),
            body: None,
            status: 200,
            marker: "class=\"tickets\"",
        },
        Target {
            name: "ticket list, search in the organization's open tickets",
            method: "GET",
            path: "/portal/tickets?view=organization&status=open&q=printer".into(),
            body: None,
            status: 200,
            marker: "class=\"tickets\"",
        },
        Target {
            name: "ticket list, filter (closed)",
            method: "GET",
            path: "/portal/tickets?status=closed".into(),
            body: None,
            status: 200,
            marker: "class=\"tickets\"",
        },
        Target {
            name: "ticket list, filter (open, priority high)",
            method: "GET",
            path: "/portal/tickets?status=open&f.priority=high".into(),
            body: None,
            status: 200,
            marker: "class=\"tickets\"",
        },
        Target {
            name: "ticket list, shared with me",
            method: "GET",
            path: "/portal/tickets?view=shared".into(),
            body: None,
            status: 200,
            // Empty in a world without participants: the list page with its View menu.
            marker: "<option value=\"shared\" selected>",
        },
        Target {
            name: "ticket list, one of the viewer's companies",
            method: "GET",
            path: format!("/portal/tickets?view=company-{}", first_company),
            body: None,
            status: 200,
            marker: "class=\"tickets\"",
        },
        Target {
            name: "ticket list, sorted by creation, oldest first",
            method: "GET",
            path: "/portal/tickets?sort=created_at&dir=asc".into(),
            body: None,
            status: 200,
            marker: "class=\"tickets\"",
        },
        Target {
            name: "ticket detail",
            method: "GET",
            path: format!("/portal/tickets/{ticket}"),
            body: None,
            status: 200,
            marker: "class=\"messages\"",
        },
        Target {
            name: "reply (POST)",
            method: "POST",
            path: format!("/portal/tickets/{ticket}/reply"),
            body: Some((format!("multipart/form-data; boundary={boundary}"), reply)),
            status: 303,
            marker: "",
        },
    ]
}
