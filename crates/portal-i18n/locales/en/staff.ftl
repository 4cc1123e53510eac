### portal: Staff pages (inbox, tickets, settings) (en).
### Keys: dots in the code become dashes here (list.count is list-count).

## admin.agents

admin-agents-title = Agents
admin-agents-alias = Alias
admin-agents-help = Customers see the alias as the ticket owner when the owner display is set to alias.

## admin.answer

admin-answer-empty = Write a message or attach a file.

## admin.any

admin-any = Any

## admin.channel

admin-channel-portal = in the portal
admin-channel-email = by email
admin-channel-api = via the API
admin-channel-inbox = in the inbox
admin-channel-import = imported

## admin.companies

admin-companies-title = Companies
admin-companies-search = Name or domain contains
admin-companies-empty = No companies.
admin-companies-new = New company
admin-companies-edit = Edit company
admin-companies-domain = Web domain

## admin.conflict

admin-conflict-title = Changed meanwhile
admin-conflict-body = Someone saved these settings after you opened the page. Reload it and make your change again.

## admin.contact

admin-contact-event-submitted = filed the ticket in the portal
admin-contact-event-replied = replied in the portal
admin-contact-event-closed = closed the ticket in the portal
admin-contact-event-cc_added = added a person to the ticket in the portal
admin-contact-event-cc_removed = removed a person from the ticket in the portal
admin-contact-event-handed_over = handed the ticket over to a colleague in the portal
admin-contact-event-made_private = made the ticket private in the portal
admin-contact-event-made_shared = shared the ticket with the company in the portal
admin-contact-event-mail_ticket = filed the ticket by email
admin-contact-event-mail_reply = replied by email

## admin.contacts

admin-contacts-title = Contacts
admin-contacts-search = Name or email contains
admin-contacts-empty = No contacts.
admin-contacts-new = New contact
admin-contacts-edit = Edit contact
admin-contacts-first_name = First name
admin-contacts-last_name = Last name
admin-contacts-membership_email = Membership email (registration mails go here)
admin-contacts-company = Primary company
admin-contacts-language = Language
admin-contacts-login = Portal login
admin-contacts-company_admin = Company portal admin
admin-contacts-company_admin_yes = Yes: reads the company's access log in the portal
admin-contacts-company_admin_no = No
admin-contacts-company_admin_on = Make portal admin
admin-contacts-company_admin_off = No longer portal admin
admin-contacts-explain = See the portal as this contact would
admin-contacts-timeline = Timeline
admin-contacts-no_activity = No portal activity yet.
admin-contacts-tickets = Tickets
admin-contacts-no_tickets = No tickets.
admin-contacts-own = own
admin-contacts-of_company = company

## admin.done

admin-done-replied = Your reply was sent; the customer gets an email.
admin-done-noted = Your internal note was saved.
admin-done-stage = The ticket was moved.
admin-done-owner = The owner was changed.
admin-done-participant_added = The participant was added.
admin-done-participant_removed = The participant was removed.
admin-done-requester = The requester was changed.
admin-done-properties = The ticket was saved.
admin-done-contact_saved = The contact was saved.
admin-done-company_saved = The company was saved.
admin-done-pipeline_saved = The pipeline was saved.
admin-done-inbox_saved = The inbox was created.
admin-done-property_saved = The property was created.
admin-done-alias_saved = The alias was saved.
admin-done-token_revoked = The token was revoked.
admin-done-login_disabled = The login was disabled; its sessions have ended.
admin-done-login_enabled = The login was enabled.
admin-memberships-title = Companies
admin-memberships-help = The contact sees each company's tickets as its rights say: by the portal's rules (who sees, answers and closes company tickets), or as granted here for this company. The company's portal admins may limit a colleague further.
admin-memberships-rights = Rights
admin-memberships-limited = Limited by the company's portal admin
admin-memberships-primary = primary
admin-memberships-rules = The portal's rules
admin-memberships-custom = Granted here:
admin-memberships-see = see
admin-memberships-reply = answer
admin-memberships-close = close
admin-memberships-remove = Remove
admin-memberships-add = Add to company
admin-memberships-add_placeholder = Name or domain
admin-memberships-add_button = Add
admin-done-membership_saved = The company membership was saved.
admin-done-membership_removed = The contact was taken out of the company.
admin-done-company_admin_on = The contact is now a portal admin of their company: they see its access log.
admin-done-company_admin_off = The contact is no longer a portal admin of their company.

## admin.explain

admin-explain-title = Explain access
admin-explain-intro = See the portal as a contact would: every ticket of the contact and its company, with the rule that shows or hides it.
admin-explain-contact = Contact's email
admin-explain-show = Explain
admin-explain-missing = No contact has this email.
# $visible and $total (numbers): tickets the contact sees, out of all tickets.
admin-explain-summary =
    { $total ->
        [one] Sees { $visible } of { $total } ticket.
       *[other] Sees { $visible } of { $total } tickets.
    }
admin-explain-sees = Sees it
admin-explain-rule = Rule
admin-explain-own = own ticket (associated with the contact)
admin-explain-company = company ticket (company access is on)
admin-explain-group = company ticket (filter group { $n } matched)
admin-explain-not_associated = not associated with the contact or its primary company
admin-explain-company_off = company ticket, but company access is off
admin-explain-no_group = company ticket, but the contact matches no filter group
admin-explain-filtered = hidden by the ticket visibility filter
admin-explain-private = private ticket (only its requester and participants see it)
admin-explain-grant_all = Company tickets: yes, every contact of the company.
admin-explain-grant_group = Company tickets: yes, filter group { $n } matched.
admin-explain-grant_off = Company tickets: no, company access is off.
admin-explain-grant_none = Company tickets: no, the contact matches no filter group.
admin-explain-grant_no_company = Company tickets: no, the contact has no primary company.

## admin.forbidden

admin-forbidden-title = Not allowed
admin-forbidden-body = Your role does not allow this. Ask an admin.

## admin.inbox

admin-inbox-title = Inbox
admin-inbox-inbox = Inbox
admin-inbox-stage = Stage
admin-inbox-owner = Owner
admin-inbox-status = Status
admin-inbox-mine = Mine
admin-inbox-unassigned = Unassigned
admin-inbox-apply = Show
admin-inbox-subject = Subject
admin-inbox-requester = Requested by
admin-inbox-activity = Last activity
admin-inbox-empty = No tickets match.
admin-inbox-channel = Channel

## admin.inboxes

admin-inboxes-title = Inboxes
admin-inboxes-new = New inbox
admin-inboxes-default = the portal's default inbox

## admin.lists

admin-lists-title = Contact lists
admin-lists-new = New list
admin-lists-create = Create
admin-lists-name = Name
admin-lists-members = Members
admin-lists-group = access group (members may log in and get a registration email)
admin-lists-add = Add a contact by email
admin-lists-add_button = Add
admin-lists-remove = Remove
admin-lists-invite = Send the registration email again
admin-lists-has_login = has a login
admin-lists-no_login = no login yet
admin-lists-no_contact = No contact has this email.
admin-lists-not_group = This list is not an access group.
admin-lists-done_added = The contact was added.
admin-lists-done_invited = The registration email is on its way.
admin-lists-done_removed = The contact was removed from the list.
admin-lists-empty = No lists yet.

## admin.login

admin-login-title = Staff login
admin-login-disable = Disable the login
admin-login-enable = Enable the login
admin-login-disabled = disabled
admin-login-active = active

## admin.mailboxes

admin-mailboxes-title = Mailboxes
admin-mailboxes-intro = The IMAP mailboxes portal reads for its inboxes: each new mail becomes a ticket or a reply, as in portal.toml's [[mail.inbound]] (those are read too). Changes reach every server within seconds. A password is sealed with the server's secret key and never shown again.
admin-mailboxes-address = Mailbox
admin-mailboxes-status = Last round
admin-mailboxes-off = switched off
admin-mailboxes-unchecked = not read yet
# $at: date and time of the last successful read.
admin-mailboxes-working = working (last read { $at })
# $at: since when; $error: what the mail server answered.
admin-mailboxes-failing = failing since { $at }: { $error }
# $n (number): seconds between two reads.
admin-mailboxes-every = every { $n } s
admin-mailboxes-password_unreadable = This server cannot open the stored password (it was sealed with another secret key): enter it again.
admin-mailboxes-edit = Edit
admin-mailboxes-delete = Remove
admin-mailboxes-empty = No mailbox is kept here yet.
admin-mailboxes-add = Add a mailbox
admin-mailboxes-host = IMAP server
admin-mailboxes-port = Port
admin-mailboxes-port_help = Empty: 993 with TLS, 143 without.
admin-mailboxes-tls = TLS from the first byte (IMAPS); switch it off only for a server on this machine or a private network
admin-mailboxes-user = Login name
admin-mailboxes-password = Password
admin-mailboxes-password_keep = Leave empty to keep the stored password.
admin-mailboxes-folder = Folder
admin-mailboxes-poll_seconds = Seconds between rounds (5–3600; where the server offers IDLE, new mail is taken at once)
admin-mailboxes-delete_taken = Delete taken mails from the server (otherwise they stay, marked as taken)
admin-mailboxes-enabled = Read this mailbox
admin-mailboxes-cancel = Cancel
admin-mailboxes-created = The mailbox was added; portal reads it within seconds.
admin-mailboxes-saved = The mailbox was saved.
admin-mailboxes-deleted = The mailbox was removed.

## admin.mailin

admin-mailin-title = Incoming mail on hold
admin-mailin-intro = Mails that came in but became no ticket and no reply, newest first, with the reason. Download the original, fix the cause (add the contact, say), then retry, or delete the mail.
admin-mailin-received = Received
admin-mailin-inbox = Inbox
admin-mailin-sender = From
admin-mailin-subject = Subject
admin-mailin-reason = Why
admin-mailin-download = Download
admin-mailin-retry = Try again
admin-mailin-delete = Delete
admin-mailin-retried = The mail was handled again.
admin-mailin-deleted = The mail is deleted.
admin-mailin-empty = No mail is on hold.
admin-mailin-reason-unparsable = not readable as a mail
admin-mailin-reason-too_large = larger than the upload limits allow
admin-mailin-reason-no_sender = no sender address
admin-mailin-reason-unknown_sender = no contact has the sender's address, and this inbox does not create contacts
admin-mailin-reason-attachment_limit = its attachments exceed the upload limits
admin-mailin-reason-empty = neither text nor attachments
admin-mailin-reason-invalid = the text is longer than a message may be
admin-mailin-reason-unknown_inbox = the inbox no longer exists
admin-mailin-reason-raw_missing = the original is gone from storage

## admin.menu

admin-menu = Menu

## admin.name

admin-name = Staff

## admin.no

admin-no = no

## admin.outbox

admin-outbox-title = Undelivered mail
admin-outbox-intro = Mails the server gave up on after its retries, newest first. Fix the cause (the address, the mail server), then send them again.
admin-outbox-to = To
admin-outbox-kind = Mail
admin-outbox-attempts = Attempts
admin-outbox-error = Last error
admin-outbox-resend = Send again
admin-outbox-resent = The mail is queued again.
admin-outbox-empty = Every mail was delivered.

## admin.pipelines

admin-pipelines-title = Pipelines and inboxes
admin-pipelines-new = New pipeline
admin-pipelines-label = Label
admin-pipelines-add_stage = New stage
admin-pipelines-closed = closed stage
admin-pipelines-open_stages = Open stages, one per line, in order
admin-pipelines-closed_stages = Closed stages, one per line

## admin.portal

admin-portal = Customer portal

## admin.preview

admin-preview = Open the portal as this contact (read-only)

## admin.properties

admin-properties-title = Properties
admin-properties-tickets = Ticket properties
admin-properties-contacts = Contact properties
admin-properties-new = New property
admin-properties-object = For
admin-properties-name = Internal name
admin-properties-kind = Kind
admin-properties-options = Options
admin-properties-options_help = Options for text, one per line (leave empty for free text)
admin-properties-builtin = built-in

## admin.role

admin-role-admin = admin
admin-role-agent = agent

## admin.settings

admin-settings-title = Portal settings
admin-settings-saved = Saved.
admin-settings-save = Save
admin-settings-general = General
admin-settings-domain = Domain
admin-settings-inbox = Inbox
admin-settings-permissions = Customer permissions
admin-settings-visibility = Ticket visibility
admin-settings-columns = Ticket list columns
admin-settings-display = Owner and status display
admin-settings-actions = Ticket actions
admin-settings-access = Access control
admin-settings-consent = Consent notice
admin-settings-form = Support form and branding
admin-settings-enabled = The portal is on
admin-settings-name = Portal name (browser tab)
admin-settings-slug = Path (slug)
admin-settings-ticket_singular = Name for a ticket
admin-settings-ticket_plural = … and for several
admin-settings-idle = Log out after inactivity
admin-settings-absolute = Longest session (hours)
admin-settings-kb = Show the knowledge-base link
admin-settings-notify_text = Reply emails include the reply text
admin-settings-any_domain = Any domain of this instance
admin-settings-new_host = Add a domain
admin-settings-language = Primary language
admin-settings-default_inbox = Default inbox
admin-settings-company_own = Contacts see only their own tickets
admin-settings-company_all = Contacts also see their company's tickets
admin-settings-company_filtered = Only contacts matching these groups see their company's tickets
admin-settings-filter_groups = Filter groups (one per line)
admin-settings-filter_help = One group per line; within a line, conditions joined by AND all must hold; any line may match. Example: tier = gold AND seats > 10. Operators: =, !=, in, not in, contains, starts with, is known, is unknown, >, <. Properties:
admin-settings-ticket_filter = Only tickets matching these groups show in the portal (empty: every ticket)
admin-settings-column_label = label
admin-settings-up = Move up
admin-settings-down = Move down
admin-settings-remove = Remove
admin-settings-add_column = Add a column
admin-settings-add = Add
admin-settings-reset_columns = Reset to the recommended columns
admin-settings-owner_display = Show the ticket owner as
admin-settings-owner_first = First name
admin-settings-owner_full = Full name
admin-settings-owner_last = Last name
admin-settings-owner_alias = Alias
admin-settings-status_display = Show the status as
admin-settings-status_open_closed = Open or Closed
admin-settings-status_stages = The pipeline stage
admin-settings-reply_when_closed = Customers may reply to closed tickets
admin-settings-allow_close = Customers may close tickets
admin-settings-customers_add_ccs = Requesters may add people to their tickets by email (they then see and answer them)
admin-settings-ccs_same_company = People added by customers must belong to the requester's company
admin-settings-company_reply = Who may answer company tickets
admin-settings-company_close = Who may close company tickets
admin-settings-right_same = Everyone who sees them
admin-settings-right_none = Nobody (company tickets are read only; own tickets as always)
admin-settings-right_filtered = Those who see them and meet this filter (one group per line, as above)
admin-settings-private_by_default = New tickets from customers are private (only their requester and the people added see them)
admin-settings-customers_choose_privacy = Customers choose whether a ticket is private or shared with their company, when filing it and later
admin-settings-access_log_days = Keep the companies' access logs (days)
admin-settings-access_log_days_help = Company portal admins read who in their company viewed, exported, answered, closed and handed over the company's tickets; older entries are deleted.
admin-settings-close_stage = Closed stage for
admin-settings-access_groups = Access groups (their members get a registration email)
admin-settings-self_registration = Anyone may register (self-registration)
admin-settings-password_login = Offer email and password login
admin-settings-sso = Single sign-on
admin-settings-sso_off = Off
admin-settings-sso_all = Every user of the identity provider
admin-settings-sso_lists = Only contacts on these lists
admin-settings-sso_create = Create a contact for an unknown user
admin-settings-sso_company = The organization sets the primary company
admin-settings-consent_text = Notice
admin-settings-consent_label = Checkbox label
admin-settings-links = Links, one per line: label | URL
admin-settings-form_enabled = The support form is connected
admin-settings-form_menu = Menu text
admin-settings-form_header = Header text
admin-settings-form_fields = Extra fields, one per line: property | label | required
admin-settings-branding = Branding
admin-settings-primary_color = Primary colour
admin-settings-background_color = Background
admin-settings-text_color = Text
admin-settings-nav = Navigation links, one per line: label | URL
admin-settings-login_link = Customers may ask for an emailed login link
admin-settings-logo = Logo
admin-settings-favicon = Favicon
admin-settings-upload = Upload
admin-settings-remove_image = remove it
admin-settings-image_hint = PNG, JPEG, GIF, WebP or ICO, at most 1 MiB.
admin-settings-kb_url = Knowledge base address
admin-settings-translations = Texts in other languages
admin-settings-translations_help = One per line: language | field | text, e.g. de | support_form.menu_text | Anfrage stellen. Fields:
admin-settings-mail_creates_contacts = Mail from unknown senders
admin-settings-mail_creates_hint = In the inboxes ticked here, a mail from an address no contact has creates the contact (in the company whose web domain is the address's) and its ticket. Elsewhere such a mail waits under "Incoming mail on hold".
admin-settings-time_zone = Time zone
admin-settings-time_zone_help = Times are shown in it to staff and to customers who chose none (customers can choose their own on their account page; a first login takes the browser's).

## admin.setup

admin-setup-title = Set up the portal
admin-setup-step = Step { $n }
admin-setup-name = Name the portal
admin-setup-address = Where customers find it
admin-setup-tickets = New tickets and what customers see
admin-setup-switch_on = Switch the portal on
admin-setup-next = Save and continue
admin-setup-finish = Finish

## admin.templates

admin-templates-title = Templates
admin-templates-pages = Pages
admin-templates-mails = Emails (per language)
admin-templates-customized = customized
admin-templates-custom = This is your own template.
admin-templates-builtin = This is the built-in template; saving makes it yours.
# Keep the {{…}} variable names as they are: they are template syntax.
admin-templates-mail_help = First line: Subject: …, then a blank line and the text. Variables: {"{{"}name{"}}"}, {"{{"}link{"}}"}, {"{{"}portal{"}}"}; replies also {"{{"}author{"}}"}, {"{{"}subject{"}}"}, {"{{"}reply{"}}"}.
admin-templates-page_help = Handlebars, with the layout and the t helper for translated text. A template that fails at render time falls back to the built-in one (and is logged).
admin-templates-source = Template
admin-templates-preview = Preview
admin-templates-reset = Back to the built-in template
admin-templates-no_preview = This page needs a customer to preview; use Explain access to see a contact's portal.
admin-templates-preview_contact = Preview as the contact with this email
admin-templates-preview_contact_missing = No contact has this email.
admin-templates-preview_no_ticket = This contact has no ticket to show.

## admin.ticket

admin-ticket-pipeline = Pipeline
admin-ticket-contacts = Contacts
admin-ticket-companies = Companies
admin-ticket-created = Created
admin-ticket-move = Move
admin-ticket-assign = Assign
admin-ticket-people = People on the ticket
admin-ticket-remove_participant = Remove
admin-ticket-add_participant = Add a participant (email of a contact)
admin-ticket-add = Add
admin-ticket-new_requester = New requester (email of a contact)
admin-ticket-keep_requester = The previous requester stays a participant
admin-ticket-change_requester = Change requester
admin-ticket-thread = Conversation
admin-ticket-internal = internal note
admin-ticket-answer = Answer
admin-ticket-text = Message (Markdown)
admin-ticket-as_note = Internal note (customers never see it)
admin-ticket-send = Send
admin-ticket-edit = Subject and properties
admin-ticket-activity = Activity in the portal
admin-ticket-customer_thread = The conversation the customer sees
admin-ticket-other_thread = Another conversation (the customer does not see it)
admin-ticket-new_conversation = Start a new conversation (the customer neither sees nor is told about it)
admin-ticket-original_mail = original mail

## admin.tokens

admin-tokens-title = API tokens
admin-tokens-help = A token lets a program use the JSON API at /api/v1 as you, with your role. Send it as "Authorization: Bearer" followed by the token.
admin-tokens-once = Copy this token now: it is shown only once.
admin-tokens-name = Name of the new token
admin-tokens-revoke = Revoke
admin-tokens-empty = No tokens.

## admin.yes

admin-yes = yes
