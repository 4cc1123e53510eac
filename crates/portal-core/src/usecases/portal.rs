//! The customer's side: list, search, export, detail, reply, close, download, file a ticket
//! (T1–T7, V1–V7, P4, P12, U2).

use std::collections::BTreeMap;

use crate::actions::{CompanyRight, UploadLimits, close_target, may_act_on, may_reply};
use crate::error::Error;
use crate::filter::Criterion;
use crate::model::{
    Attachment, AttachmentId, Author, Contact, ContactId, Message, MessageVisibility, Thread,
    Ticket, TicketId, TicketStatus, TimelineEvent, TimelineKind, Timestamp, Value,
};
use crate::organisation::AccessAction;
use crate::ports::{NewAttachment, NewMessage, NewMessageBody, NewTicket, Ports, ThreadTarget};
use crate::property::{PropertyCatalog, ticket_props};
use crate::query::{Cursor, MAX_PAGE_SIZE, TicketPage, TicketQuery, html_to_text};
use crate::settings::PortalSettings;
use crate::visibility::{Scope, View, attachment_visible, available_views, customer_thread};

/// Longest message body accepted, in characters.
pub const MAX_BODY_CHARS: usize = 65_536;
/// Longest subject accepted, in characters.
pub const MAX_SUBJECT_CHARS: usize = 255;
/// Rows fetched per round trip while exporting.
pub const EXPORT_BATCH: usize = MAX_PAGE_SIZE;
/// The list counts its rows up to this many, then shows "1,000+".
pub const LIST_COUNT_CAP: u64 = 1000;
/// A search or a filtered list counts its matches up to this many, then shows "100+":
/// counting further would read much of the scope for a number nobody needs.
pub const SEARCH_COUNT_CAP: u64 = 100;

/// One page of the ticket list with what the page around it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketList {
    /// The rows and the next cursor.
    pub page: TicketPage,
    /// All rows of the view with its filters and search (for "N tickets"), counted up to
    /// [`LIST_COUNT_CAP`] ([`SEARCH_COUNT_CAP`] with a search).
    pub total: u64,
    /// Whether there are more than `total` rows.
    pub more: bool,
    /// The view shown (the organization view falls back to "mine" without company access).
    pub view: View,
    /// The views the View menu offers (V4); one means no menu.
    pub views: Vec<View>,
    /// The scope the page was read in (for what else the page may show, such as the names
    /// of [`PortalTickets::requester_choices`]).
    pub scope: Scope,
}

/// A ticket as its customer sees it (T2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketDetail {
    /// The ticket.
    pub ticket: Ticket,
    /// The oldest thread with public messages only (V6).
    pub thread: Option<Thread>,
    /// Whether the reply box shows (T3, T4).
    pub may_reply: bool,
    /// Whether the close button shows (T5).
    pub may_close: bool,
    /// Who else is on the ticket, and what the viewer may change about it (C1).
    pub people: People,
}

/// A participant as a ticket's page shows it to one viewer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    /// The participant.
    pub contact: Contact,
    /// Whether the viewer may take them off (the requester) or leave (themselves).
    pub may_remove: bool,
}

/// The people of a ticket as one viewer sees them (C1; see `usecases::participants`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct People {
    /// The participants, in the order of their ids.
    pub participants: Vec<Participant>,
    /// Whether the viewer may copy others in.
    pub may_add: bool,
    /// Whether the viewer may hand the ticket over to a colleague (C3).
    pub may_hand_over: bool,
    /// Whether the ticket is private (C5): only the people on it see it.
    pub private: bool,
    /// Whether the viewer may make it private or share it with the company (C5).
    pub may_set_private: bool,
}

/// A customer's reply (T3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyInput {
    /// The body, already sanitized HTML.
    pub body_html: String,
    /// Files already in the blob store.
    pub attachments: Vec<NewAttachment>,
}

/// A support-form submission (P12, T7).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FormInput {
    /// Subject.
    pub subject: String,
    /// Description, already sanitized HTML.
    pub description_html: String,
    /// Raw values of the form's extra fields, by property name.
    pub fields: BTreeMap<String, String>,
    /// Files already in the blob store.
    pub attachments: Vec<NewAttachment>,
    /// Whether the customer asked for a private ticket (C5); `None` when the form did not
    /// ask.
    pub private: Option<bool>,
    /// The address of a colleague the ticket is filed for (C5): they become its requester,
    /// the filer a participant. Empty or `None`: for the filer.
    pub on_behalf: Option<String>,
    /// The portal's address, which the mail to that colleague links to.
    pub portal_url: String,
}

pub use crate::model::{parse_date, parse_value};

/// What every portal page reads: the settings and the catalog they refer to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalSnapshot {
    /// The portal settings.
    pub settings: PortalSettings,
    /// Pipelines with their stages.
    pub pipelines: Vec<crate::model::Pipeline>,
    /// Agents.
    pub agents: Vec<crate::model::Agent>,
    /// Inboxes.
    pub inboxes: Vec<crate::model::Inbox>,
    /// Domains.
    pub domains: Vec<crate::model::Domain>,
    /// Ticket properties (built-in and custom).
    pub ticket_props: PropertyCatalog,
}

/// The customer portal's use cases.
#[derive(Clone)]
pub struct PortalTickets {
    pub(crate) ports: Ports,
    limits: UploadLimits,
}

impl PortalTickets {
    /// The settings and the catalog every page reads (adapters cache it briefly).
    pub async fn snapshot(&self) -> Result<PortalSnapshot, Error> {
        let c = &self.ports.catalog;
        Ok(PortalSnapshot {
            settings: self.ports.settings.load().await?,
            pipelines: c.pipelines().await?,
            agents: c.agents().await?,
            inboxes: c.inboxes().await?,
            domains: c.domains().await?,
            ticket_props: PropertyCatalog::tickets(
                c.property_defs(crate::property::ObjectKind::Ticket).await?,
            ),
        })
    }

    /// Use cases over these ports with the default upload limits.
    pub fn new(ports: Ports) -> PortalTickets {
        PortalTickets {
            ports,
            limits: UploadLimits::default(),
        }
    }

    /// The same with other upload limits.
    pub fn with_limits(mut self, limits: UploadLimits) -> PortalTickets {
        self.limits = limits;
        self
    }

    /// The upload limits in force.
    pub fn limits(&self) -> UploadLimits {
        self.limits
    }

    /// The settings of a switched-on portal, or `PortalOff` (P5).
    pub async fn settings(&self) -> Result<PortalSettings, Error> {
        let s = self.ports.settings.load().await?;
        if s.enabled {
            Ok(s)
        } else {
            Err(Error::PortalOff)
        }
    }

    /// The ticket property catalog (built-ins and custom).
    pub async fn ticket_catalog(&self) -> Result<PropertyCatalog, Error> {
        let custom = self
            .ports
            .catalog
            .property_defs(crate::property::ObjectKind::Ticket)
            .await?;
        Ok(PropertyCatalog::tickets(custom))
    }

    /// Checks a list query against the settings: filters only on status and visible columns
    /// with operators that fit, sort only on a visible column or a date, a sane page size.
    pub fn check_query(
        &self,
        settings: &PortalSettings,
        catalog: &PropertyCatalog,
        query: &TicketQuery,
    ) -> Result<(), Error> {
        let visible = |p: &str| settings.columns.iter().any(|c| c.property == p);
        for (i, Criterion { property, op }) in query.filters.iter().enumerate() {
            let field = format!("filters.{i}");
            let def = catalog
                .get(property)
                .filter(|_| visible(property) || property == ticket_props::STATUS);
            match def {
                None => return Err(Error::invalid(&field, "unknown_property", property.clone())),
                Some(d) if !op.fits(d.kind) => {
                    return Err(Error::invalid(&field, "invalid_filter", op.name()));
                }
                Some(_) => {}
            }
        }
        let sortable = visible(&query.sort.property)
            || [
                ticket_props::LAST_ACTIVITY_AT,
                ticket_props::CREATED_AT,
                ticket_props::ID,
            ]
            .contains(&query.sort.property.as_str());
        if !sortable || catalog.get(&query.sort.property).is_none() {
            return Err(Error::invalid(
                "sort",
                "unknown_property",
                query.sort.property.clone(),
            ));
        }
        if !(1..=MAX_PAGE_SIZE).contains(&query.limit) {
            return Err(Error::invalid(
                "limit",
                "out_of_range",
                format!("1..={MAX_PAGE_SIZE}"),
            ));
        }
        Ok(())
    }

    fn scope(settings: &PortalSettings, viewer: &Contact, view: View) -> Scope {
        Scope::for_viewer(&settings.visibility, viewer, view)
    }

    /// One page of the viewer's ticket list (T1, V1–V5).
    pub async fn list(
        &self,
        settings: &PortalSettings,
        viewer: &Contact,
        query: &TicketQuery,
    ) -> Result<TicketList, Error> {
        self.list_with(settings, &self.ticket_catalog().await?, viewer, query)
            .await
    }

    /// [`PortalTickets::list`] with the property catalog the caller already holds.
    pub async fn list_with(
        &self,
        settings: &PortalSettings,
        catalog: &PropertyCatalog,
        viewer: &Contact,
        query: &TicketQuery,
    ) -> Result<TicketList, Error> {
        self.check_query(settings, catalog, query)?;
        let scope = Self::scope(settings, viewer, query.view);
        let cap = if query.search_words().is_empty()
            && query.status.is_none()
            && query.filters.is_empty()
        {
            LIST_COUNT_CAP
        } else {
            SEARCH_COUNT_CAP
        };
        let (page, counted) = self
            .ports
            .tickets
            .list_counted(&scope, query, cap + 1)
            .await?;
        let views = available_views(&settings.visibility, viewer);
        Ok(TicketList {
            page,
            total: counted.min(cap),
            more: counted > cap,
            // One company's view stays that view (C2); a view the viewer has no company
            // access for falls back to what the scope shows.
            view: match query.view {
                View::Company(_) if !scope.companies.is_empty() => query.view,
                _ => scope.view(),
            },
            views,
            scope,
        })
    }

    /// The people a viewer may pick in the "Requested by" filter: of `candidates` (say,
    /// the viewer's company), only those who requested a ticket `scope` admits. A name is
    /// data like a ticket: a viewer is shown only the names on tickets they may see.
    pub async fn requester_choices(
        &self,
        scope: &Scope,
        candidates: &[(ContactId, String)],
    ) -> Result<Vec<(ContactId, String)>, Error> {
        let ids: Vec<ContactId> = candidates.iter().map(|(id, _)| *id).collect();
        let admitted = self.ports.tickets.requesters_within(scope, &ids).await?;
        Ok(candidates
            .iter()
            .filter(|(id, _)| admitted.contains(id))
            .cloned()
            .collect())
    }

    /// An export of exactly the current view (T6): every row the list would show across all
    /// pages, in its order, fetched in batches so memory stays flat.
    pub async fn export(
        &self,
        settings: &PortalSettings,
        viewer: &Contact,
        query: &TicketQuery,
    ) -> Result<Export, Error> {
        self.export_with(
            settings,
            &self.ticket_catalog().await?,
            viewer,
            query,
            false,
        )
        .await
    }

    /// [`PortalTickets::export`] with the property catalog the caller already holds. An
    /// export is recorded in the viewer's company's access log (C4), unless it is a staff
    /// `preview` (A6: a preview writes nothing).
    pub async fn export_with(
        &self,
        settings: &PortalSettings,
        catalog: &PropertyCatalog,
        viewer: &Contact,
        query: &TicketQuery,
        preview: bool,
    ) -> Result<Export, Error> {
        let mut query = query.clone();
        query.after = None;
        query.limit = EXPORT_BATCH;
        self.check_query(settings, catalog, &query)?;
        let scope = Self::scope(settings, viewer, query.view);
        // C4: counted only when some company's log records it (a staff preview records nothing).
        let logs = if preview {
            Vec::new()
        } else {
            crate::organisation::export_companies(viewer, query.view)
        };
        if !logs.is_empty() {
            let count = self.ports.tickets.count(&scope, &query).await?;
            self.log_export(viewer, &logs, count).await?;
        }
        Ok(Export {
            ports: self.ports.clone(),
            scope,
            query,
            done: false,
        })
    }

    pub(crate) async fn visible_ticket(
        &self,
        settings: &PortalSettings,
        viewer: &Contact,
        id: TicketId,
    ) -> Result<Ticket, Error> {
        // The widest view: a ticket the viewer may see in any view opens by URL.
        let scope = Self::scope(settings, viewer, View::Organization);
        self.ports
            .tickets
            .find(&scope, id)
            .await?
            .ok_or(Error::NotFound)
    }

    /// A ticket's page (T2, V6, V7).
    pub async fn detail(
        &self,
        settings: &PortalSettings,
        viewer: &Contact,
        id: TicketId,
    ) -> Result<TicketDetail, Error> {
        let pipelines = self.ports.catalog.pipelines().await?;
        self.detail_with(settings, &pipelines, viewer, id, false)
            .await
    }

    /// [`PortalTickets::detail`] with the pipelines the caller already holds. The view is
    /// recorded in the viewer's company's access log (C4), unless it is a staff `preview`
    /// (A6: a preview writes nothing).
    pub async fn detail_with(
        &self,
        settings: &PortalSettings,
        pipelines: &[crate::model::Pipeline],
        viewer: &Contact,
        id: TicketId,
        preview: bool,
    ) -> Result<TicketDetail, Error> {
        let ticket = self.visible_ticket(settings, viewer, id).await?;
        if !preview {
            super::organisation::log_action(&self.ports, viewer, &ticket, AccessAction::Viewed)
                .await?;
        }
        let threads = self.ports.tickets.threads(id).await?;
        let may_close = match pipelines.iter().find(|p| p.id == ticket.pipeline) {
            Some(p) => {
                close_target(&settings.actions, p, &ticket).is_ok()
                    && may_act_on(&settings.visibility, viewer, &ticket, CompanyRight::Close)
                        .is_ok()
            }
            None => false,
        };
        Ok(TicketDetail {
            may_reply: may_reply(&settings.actions, &ticket).is_ok()
                && may_act_on(&settings.visibility, viewer, &ticket, CompanyRight::Reply).is_ok(),
            may_close,
            people: self.people_of(settings, viewer, &ticket).await?,
            thread: customer_thread(&threads),
            ticket,
        })
    }

    async fn pipeline_of(&self, ticket: &Ticket) -> Result<Option<crate::model::Pipeline>, Error> {
        Ok(self
            .ports
            .catalog
            .pipelines()
            .await?
            .into_iter()
            .find(|p| p.id == ticket.pipeline))
    }

    /// Replies to a ticket (T3, T4): into the customer's thread, or into a new thread of the
    /// default inbox when the ticket has none (P4); recorded on the timeline (U2).
    pub async fn reply(
        &self,
        settings: &PortalSettings,
        viewer: &Contact,
        id: TicketId,
        input: ReplyInput,
    ) -> Result<Message, Error> {
        self.reply_by(settings, viewer, id, input, None).await
    }

    /// [`PortalTickets::reply`] through a channel: `mail_in` names the stored mail the
    /// reply came as (its timeline event says so), `None` the portal.
    pub(crate) async fn reply_by(
        &self,
        settings: &PortalSettings,
        viewer: &Contact,
        id: TicketId,
        input: ReplyInput,
        mail_in: Option<i64>,
    ) -> Result<Message, Error> {
        let ticket = self.visible_ticket(settings, viewer, id).await?;
        may_reply(&settings.actions, &ticket)?;
        may_act_on(&settings.visibility, viewer, &ticket, CompanyRight::Reply)?;
        check_body("body", &input.body_html, !input.attachments.is_empty())?;
        let sizes: Vec<u64> = input.attachments.iter().map(|a| a.size).collect();
        self.limits.check(&sizes)?;
        let target = match self.ports.tickets.oldest_thread(id).await? {
            Some(t) => ThreadTarget::Existing(t),
            None => ThreadTarget::New(
                settings
                    .default_inbox
                    .ok_or_else(|| Error::Unavailable("the portal has no default inbox".into()))?,
            ),
        };
        let now = self.ports.clock.now();
        let message = self
            .ports
            .tickets
            .add_message(NewMessage {
                mails: Vec::new(),
                ticket: id,
                thread: target,
                content: NewMessageBody {
                    author: Author::Contact(viewer.id),
                    visibility: MessageVisibility::Public,
                    body: input.body_html,
                    attachments: input.attachments,
                    mail_in,
                    channel: match mail_in {
                        Some(_) => crate::model::Channel::Email,
                        None => crate::model::Channel::Portal,
                    },
                },
                at: now,
            })
            .await?;
        super::organisation::log_action(&self.ports, viewer, &ticket, AccessAction::Replied)
            .await?;
        let kind = match mail_in {
            Some(_) => TimelineKind::MailReply {
                message: message.id,
            },
            None => TimelineKind::PortalReply {
                message: message.id,
            },
        };
        self.ports
            .timeline
            .append(TimelineEvent {
                contact: viewer.id,
                ticket: id,
                kind,
                at: now,
            })
            .await?;
        Ok(message)
    }

    /// Closes a ticket into its pipeline's chosen closed stage (T5).
    pub async fn close(
        &self,
        settings: &PortalSettings,
        viewer: &Contact,
        id: TicketId,
    ) -> Result<(), Error> {
        let ticket = self.visible_ticket(settings, viewer, id).await?;
        let pipeline = self
            .pipeline_of(&ticket)
            .await?
            .ok_or_else(|| Error::Internal(format!("ticket {id} has an unknown pipeline")))?;
        let stage = close_target(&settings.actions, &pipeline, &ticket)?;
        may_act_on(&settings.visibility, viewer, &ticket, CompanyRight::Close)?;
        let now = self.ports.clock.now();
        self.ports
            .tickets
            .move_to_stage(id, stage, TicketStatus::Closed, now)
            .await?;
        self.ports
            .timeline
            .append(TimelineEvent {
                contact: viewer.id,
                ticket: id,
                kind: TimelineKind::TicketClosed,
                at: now,
            })
            .await?;
        super::organisation::log_action(&self.ports, viewer, &ticket, AccessAction::Closed).await?;
        Ok(())
    }

    /// An attachment the viewer may download: it belongs to a public message of the
    /// customer's thread of a ticket in scope (V6, V7); `NotFound` otherwise.
    pub async fn attachment(
        &self,
        settings: &PortalSettings,
        viewer: &Contact,
        id: AttachmentId,
    ) -> Result<Attachment, Error> {
        let (ticket, attachment) = self
            .ports
            .tickets
            .attachment(id)
            .await?
            .ok_or(Error::NotFound)?;
        self.visible_ticket(settings, viewer, ticket).await?;
        let threads = self.ports.tickets.threads(ticket).await?;
        if attachment_visible(&threads, id) {
            Ok(attachment)
        } else {
            Err(Error::NotFound)
        }
    }

    /// An attachment the viewer may see, with its bytes (V7: `NotFound` otherwise).
    pub async fn download(
        &self,
        settings: &PortalSettings,
        viewer: &Contact,
        id: AttachmentId,
    ) -> Result<crate::usecases::files::Download, Error> {
        let attachment = self.attachment(settings, viewer, id).await?;
        crate::usecases::files::Files::new(self.ports.clone())
            .download(attachment)
            .await
    }

    /// Files a ticket through the support form (P12, T7) into the form's inbox or the
    /// default inbox (P4), associated with the viewer and its primary company.
    pub async fn submit_form(
        &self,
        settings: &PortalSettings,
        viewer: &Contact,
        input: FormInput,
    ) -> Result<Ticket, Error> {
        let form = &settings.support_form;
        if !settings.support_form_open() {
            return Err(Error::NotFound);
        }
        let mut problems = Vec::new();
        let subject = input.subject.trim().to_string();
        if subject.is_empty() {
            problems.push(field_error("subject", "required"));
        } else if subject.chars().count() > MAX_SUBJECT_CHARS {
            problems.push(field_error("subject", "too_long"));
        }
        if let Err(Error::Invalid(mut e)) =
            check_body("description", &input.description_html, false)
        {
            problems.append(&mut e);
        }
        let catalog = self.ticket_catalog().await?;
        let mut properties = BTreeMap::new();
        for field in &form.fields {
            let Some(def) = catalog.get(&field.property) else {
                continue;
            };
            let raw = input.fields.get(&field.property).map_or("", String::as_str);
            match parse_value(def.kind, raw) {
                Ok(None) if field.required => problems.push(field_error(&def.name, "required")),
                Ok(None) => {}
                Ok(Some(Value::Text(t)))
                    if !def.options.is_empty() && !def.options.contains(&t) =>
                {
                    problems.push(field_error(&def.name, "invalid_option"))
                }
                Ok(Some(v)) => {
                    properties.insert(def.name.clone(), v);
                }
                Err(code) => problems.push(field_error(&def.name, code)),
            }
        }
        let sizes: Vec<u64> = input.attachments.iter().map(|a| a.size).collect();
        if let Err(e) = self.limits.check(&sizes) {
            return Err(e.into());
        }
        let private = crate::actions::new_ticket_private(&settings.actions, input.private)?;
        let for_whom = match input.on_behalf.as_deref().map(str::trim) {
            Some(email) if !email.is_empty() => match self.colleague_for(viewer, email).await? {
                Some(c) => Some(c),
                None => {
                    problems.push(field_error("on_behalf", "not_a_colleague"));
                    None
                }
            },
            _ => None,
        };
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let inbox_id = form
            .inbox
            .or(settings.default_inbox)
            .ok_or_else(|| Error::Unavailable("the portal has no default inbox".into()))?;
        let inbox = self
            .ports
            .catalog
            .inboxes()
            .await?
            .into_iter()
            .find(|i| i.id == inbox_id)
            .ok_or_else(|| Error::Internal(format!("inbox {inbox_id} is missing")))?;
        // The ticket must show in the requester's own portal (V5): with the values the
        // customer chose, the visibility filter must admit it. Nothing is written otherwise.
        if let Some(filter) = &settings.visibility.ticket_filter {
            let pipelines = self.ports.catalog.pipelines().await?;
            let hidden = crate::settings::filed_ticket_probe(&inbox, &pipelines)
                .map(|mut probe| {
                    probe.properties = properties.clone();
                    !filter.matches(&probe)
                })
                .unwrap_or(false);
            if hidden {
                return Err(Error::Invalid(vec![field_error(
                    "form",
                    "hidden_by_ticket_filter",
                )]));
            }
        }
        let now = self.ports.clock.now();
        let ticket = file_ticket(
            &self.ports,
            CustomerTicket {
                inbox: &inbox,
                requester: for_whom.as_ref().unwrap_or(viewer),
                subject,
                properties,
                body_html: input.description_html,
                attachments: input.attachments,
                at: now,
                mail_in: None,
                channel: crate::model::Channel::Portal,
                private,
                filer: for_whom.as_ref().map(|_| viewer),
            },
        )
        .await?;
        if let Some(colleague) = &for_whom {
            let link = format!(
                "{}/tickets/{}",
                input.portal_url.trim_end_matches('/'),
                ticket.id.0
            );
            self.tell_filed_for(settings, viewer, colleague, &ticket, &link, now)
                .await?;
        }
        self.ports
            .timeline
            .append(TimelineEvent {
                contact: viewer.id,
                ticket: ticket.id,
                kind: TimelineKind::TicketSubmitted,
                at: now,
            })
            .await?;
        Ok(ticket)
    }
}

pub(crate) fn field_error(field: &str, code: &str) -> crate::settings::FieldError {
    crate::settings::FieldError {
        field: field.into(),
        code: code.into(),
        detail: code.replace('_', " "),
    }
}

pub(crate) fn check_body(field: &str, html: &str, may_be_empty: bool) -> Result<(), Error> {
    let text = html_to_text(html);
    if text.trim().is_empty() && !may_be_empty {
        Err(Error::Invalid(vec![field_error(field, "required")]))
    } else if html.chars().count() > MAX_BODY_CHARS {
        Err(Error::Invalid(vec![field_error(field, "too_long")]))
    } else {
        Ok(())
    }
}

/// A running CSV export (T6): call [`Export::next_batch`] until it returns `None`.
pub struct Export {
    ports: Ports,
    scope: Scope,
    query: TicketQuery,
    done: bool,
}

impl Export {
    /// The next batch of rows, in list order; `None` after the last.
    pub async fn next_batch(&mut self) -> Result<Option<Vec<Ticket>>, Error> {
        if self.done {
            return Ok(None);
        }
        let page = self.ports.tickets.list(&self.scope, &self.query).await?;
        match page.next {
            Some(Cursor { key, id }) => self.query.after = Some(Cursor { key, id }),
            None => self.done = true,
        }
        if page.tickets.is_empty() {
            self.done = true;
            return Ok(None);
        }
        Ok(Some(page.tickets))
    }
}

/// A ticket a customer files, or staff file for one.
pub(crate) struct CustomerTicket<'a> {
    pub inbox: &'a crate::model::Inbox,
    pub requester: &'a Contact,
    pub subject: String,
    pub properties: crate::model::Properties,
    pub body_html: String,
    pub attachments: Vec<NewAttachment>,
    pub at: Timestamp,
    /// The stored mail the ticket is filed from (issue 17).
    pub mail_in: Option<i64>,
    /// The way it came in.
    pub channel: crate::model::Channel,
    /// Private (C5): company access does not reach it.
    pub private: bool,
    /// Who filed it for the requester (C5): they wrote the first message and are a
    /// participant; `None` when the requester filed it.
    pub filer: Option<&'a Contact>,
}

/// Writes a customer's ticket: in the inbox's pipeline at its first open stage, associated
/// with the requester and its primary company, the first message the requester's.
pub(crate) async fn file_ticket(ports: &Ports, t: CustomerTicket<'_>) -> Result<Ticket, Error> {
    let pipeline = ports
        .catalog
        .pipelines()
        .await?
        .into_iter()
        .find(|p| p.id == t.inbox.pipeline)
        .ok_or_else(|| Error::Internal(format!("pipeline {} is missing", t.inbox.pipeline)))?;
    let stage = pipeline
        .first_open_stage()
        .ok_or_else(|| Error::Internal(format!("pipeline {} has no open stage", pipeline.id)))?;
    Ok(ports
        .tickets
        .create(NewTicket {
            subject: t.subject,
            pipeline: pipeline.id,
            stage: stage.id,
            status: TicketStatus::Open,
            inbox: Some(t.inbox.id),
            requester: Some(t.requester.id),
            contacts: std::iter::once(t.requester.id)
                .chain(t.filer.map(|f| f.id))
                .collect(),
            companies: t.requester.primary_company.into_iter().collect(),
            private: t.private,
            properties: t.properties,
            owner: None,
            created_at: t.at,
            first_message: Some(NewMessageBody {
                author: Author::Contact(t.filer.unwrap_or(t.requester).id),
                visibility: MessageVisibility::Public,
                body: t.body_html,
                attachments: t.attachments,
                mail_in: t.mail_in,
                channel: t.channel,
            }),
        })
        .await?)
}
