### portal: Customer portal pages (en).
### Keys: dots in the code become dashes here (list.count is list-count).

## lang: The language itself: its name in the language menu.

lang-name = English

## a11y: Accessibility helpers read by screen readers.

a11y-skip = Skip to content
a11y-close = Close

## nav: The header and navigation of the customer portal.

nav-tickets = Tickets
nav-new_ticket = File a support ticket
nav-logout = Log out
nav-language = Language
nav-change = Change
nav-account = Account
nav-knowledge_base = Knowledge base
nav-new_ticket_custom = File a new { $singular }

## label: What tickets are called when the admin has not renamed them.

label-ticket = Ticket
label-tickets = Tickets

## login: The login page.

login-title = Log in
login-intro = Log in to see and manage your support tickets.
login-email = Email
login-password = Password
login-submit = Log in
login-failed = The email or password is not correct.
# $n (number): seconds to wait before the next try.
login-throttled =
    { $n ->
        [one] Too many attempts. Please wait { $n } second and try again.
       *[other] Too many attempts. Please wait { $n } seconds and try again.
    }
login-logged_out = You are logged out.
login-expired = Your session has ended. Please log in again.
login-forgot = Forgot your password?
login-reset_done = Your password was changed. Log in with the new one.
login-register = No login yet? Create an account
login-confirmed = Your email address is confirmed. You can log in now.
login-welcome_done = Your password is set. Log in now.
login-sso_saml = Log in with your company account
login-sso_jwt = Log in with single sign-on
login-or = or

## list: The ticket list: search, view, filters, sorting, counts.

list-view = View
list-view_organization = Organization tickets
list-view_all_companies = All my companies' tickets
list-view_all_companies_custom = All my companies' { $plural }
list-view_mine = My tickets
list-view_shared = Shared with me
list-search = Search
list-search_placeholder = Search subject and messages
list-status = Status
list-status_any = All
list-filter = Filter
list-filter_any = Any
list-apply = Apply
list-clear = Clear
list-export = Export to CSV
# $n (number): the cap above which the list stops counting (1000).
list-count_more = More than { $n } tickets
# $n (number): how many tickets the view holds.
list-count =
    { $n ->
        [one] { $n } ticket
       *[other] { $n } tickets
    }
list-empty = No tickets match.
list-next = Next page
list-first = First page
# $column: a column's name, for the button that sorts by it (read by screen readers).
list-sort_by = Sort by { $column }
list-sorted_asc = sorted ascending
list-sorted_desc = sorted descending
# $n (number); $singular and $plural: the admin's own word for a ticket.
list-count_custom =
    { $n ->
        [one] { $n } { $singular }
       *[other] { $n } { $plural }
    }
# $n (number); $plural: the admin's own word for tickets.
list-count_more_custom = More than { $n } { $plural }
list-view_organization_custom = Organization: { $plural }
list-view_mine_custom = My { $plural }
list-view_shared_custom = { $plural } shared with me
list-empty_custom = No { $plural } match.
list-welcome = Welcome! You have no tickets yet.
list-welcome_custom = Welcome! You have no { $plural } yet.
list-welcome_next = Start here:
list-date_from = from
list-date_to = to
list-export_excel = CSV for Excel
list-filters = Filters
list-active_filters = Active filters
list-remove_filter = Remove filter: { $filter }

## col: Ticket list columns.

col-id = Ticket ID
col-subject = Subject
col-requested_by = Requested by
col-created_at = Create date
col-owner = Ticket owner
col-last_activity_at = Last activity date
col-status = Status
col-pipeline = Pipeline
col-stage = Stage
col-inbox = Inbox
col-owner_custom = Owner
col-id_custom = { $singular } ID

## status: Ticket states.

status-open = Open
status-closed = Closed

## detail: One ticket: its messages, reply form, closing.

detail-back = Back to the list
detail-properties = Details
detail-conversation = Conversation
detail-no_messages = No messages yet.
detail-you = You
detail-support = Support
detail-attachments = Attachments
detail-reply = Reply
detail-reply_help = Formatting: **bold**, *italic*, - lists, [links](https://example.com).
detail-attach = Attach files
# $files (number): how many files; $file_mb and $total_mb: sizes in megabytes.
detail-attach_help =
    { $files ->
        [one] Up to { $files } file, { $file_mb } MB each, { $total_mb } MB in all.
       *[other] Up to { $files } files, { $file_mb } MB each, { $total_mb } MB in all.
    }
detail-send = Send reply
detail-close = Close ticket
detail-closed_no_reply = This ticket is closed. Replies are not possible.
detail-replied = Your reply was sent.
detail-closed = The ticket is closed.
detail-bold = Bold
detail-italic = Italic
detail-list = List
detail-close_custom = Close { $singular }
detail-closed_no_reply_custom = This { $singular } is closed. Replies are not possible.
detail-closed_custom = The { $singular } is closed.
detail-people = People on this ticket
detail-people_custom = People on this { $singular }
detail-people_help = People you add see this ticket and its replies, can answer it and are told of new replies.
detail-people_help_custom = People you add see this { $singular } and its replies, can answer it and are told of new replies.
detail-add_person = Add a person by email
detail-add_person_button = Add
detail-remove_person = Remove
detail-leave = Leave this ticket
detail-leave_custom = Leave this { $singular }
detail-person_added = The person was added to the ticket.
detail-person_added_custom = The person was added to the { $singular }.
detail-person_removed = The person was removed from the ticket.
detail-person_removed_custom = The person was removed from the { $singular }.
detail-hand_over = Hand this ticket over to a colleague (email)
detail-hand_over_custom = Hand this { $singular } over to a colleague (email)
detail-hand_over_stay = Stay on the ticket
detail-hand_over_stay_custom = Stay on the { $singular }
detail-hand_over_button = Hand over
detail-hand_over_help = Your colleague becomes the requester; you both get an email.
detail-handed_over = The ticket was handed over.
detail-handed_over_custom = The { $singular } was handed over.
detail-private = This ticket is private: only the people on it see it.
detail-private_custom = This { $singular } is private: only the people on it see it.
detail-shared = Everyone at your company with access to its tickets sees this ticket.
detail-shared_custom = Everyone at your company with access to its { $plural } sees this { $singular }.
detail-make_private = Make private
detail-make_shared = Share with my company
detail-made_private = The ticket is private now.
detail-made_private_custom = The { $singular } is private now.
detail-made_shared = The ticket is shared with your company now.
detail-made_shared_custom = The { $singular } is shared with your company now.

## new: Filing a new ticket.

new-title = File a support ticket
new-subject = Subject
new-description = Description
new-submit = Submit
new-created = Your ticket was created.
new-created_custom = Your { $singular } was created.
new-on_behalf = For a colleague (their email, optional)
new-on_behalf_help = Your colleague becomes the requester and gets an email; you stay on the ticket.
new-on_behalf_help_custom = Your colleague becomes the requester and gets an email; you stay on the { $singular }.
new-privacy = Who sees this ticket
new-privacy_custom = Who sees this { $singular }
new-shared = Everyone at my company with access
new-private = Only me and the people I add
new-header = How can we help?
new-title_custom = File a new { $singular }

## error: Errors shown on pages.

error-not_found-title = Not found
error-not_found-body = This page does not exist, or you do not have access to it.
error-csrf-title = Form expired
error-csrf-body = The form was too old or came from another site. Please go back, reload the page and try again.
error-invalid-title = Please check your input
error-unavailable-title = Temporarily unavailable
error-unavailable-body = The service is busy. Please try again in a moment.
error-control_character = The form or address contains a control character (such as NUL) that is not allowed. Please remove it and try again.
error-internal-title = Something went wrong
error-internal-body = An unexpected error occurred. Please try again later.
error-too_large = The upload is too large.
# $n (number): the most files one message may carry.
error-upload-too_many =
    { $n ->
        [one] You can attach at most { $n } file.
       *[other] You can attach at most { $n } files.
    }
# $n: the size limit in megabytes.
error-upload-file_too_large = Each file may be at most { $n } MB.
# $n: the size limit in megabytes.
error-upload-total_too_large = All files together may be at most { $n } MB.
error-upload-empty = Empty files cannot be attached.
error-reply_closed = Replies to closed tickets are not allowed.
error-close_disabled = Closing tickets is not allowed.
error-cc_disabled = Adding people to tickets is not allowed.
error-cc_disabled_custom = Adding people to { $plural } is not allowed.
error-cc_not_requester = Only the person who asked can change who is on this ticket.
error-cc_not_requester_custom = Only the person who asked can change who is on this { $singular }.
error-cc_address_refused = Nobody with this address can be added to this ticket.
error-cc_address_refused_custom = Nobody with this address can be added to this { $singular }.
error-cc_already = This person is on the ticket already.
error-cc_already_custom = This person is on the { $singular } already.
error-cc_not_participant = This person is not on the ticket.
error-cc_not_participant_custom = This person is not on the { $singular }.
error-cc_email = Enter an email address.
error-hand_over_refused = The ticket can only be handed to a colleague of your company.
error-hand_over_refused_custom = The { $singular } can only be handed to a colleague of your company.
error-privacy_choice_off = You cannot choose who sees this ticket.
error-privacy_choice_off_custom = You cannot choose who sees this { $singular }.
error-privacy_not_requester = Only the requester can change who sees this ticket.
error-privacy_not_requester_custom = Only the requester can change who sees this { $singular }.
error-on_behalf_refused = A ticket can only be filed for a colleague of your company.
error-on_behalf_refused_custom = A { $singular } can only be filed for a colleague of your company.
error-company_reply_right = You may read but not answer your company's tickets.
error-company_reply_right_custom = You may read but not answer your company's { $plural }.
error-company_close_right = You may read but not close your company's tickets.
error-company_close_right_custom = You may read but not close your company's { $plural }.
error-already_closed = The ticket is already closed.
error-no_closed_stage = This ticket cannot be closed yet. Please contact support.
error-bad_request-title = This request could not be handled
error-bad_request-body = Something in the form or the address was missing or malformed. Please go back, reload the page and try again.
error-conflict-title = Changed meanwhile
error-conflict-body = Someone changed this at the same time. Please reload the page and try again.

## field: Problems with one form field, shown next to it.

field-required = This field is required.
field-too_long = This text is too long.
field-control_character = This text contains a control character that is not allowed.
field-invalid_number = Please enter a whole number.
field-invalid_date = Please enter a date as YYYY-MM-DD.
field-invalid_option = Please choose one of the options.
field-not_a_colleague = Only a colleague of your company can be chosen.
field-invalid = This value is not valid.
field-too_short = Use at least 8 characters.
field-too_common = This password is too common. Please choose another one.
field-invalid_email = Please enter a valid email address.
field-wrong_password = The current password is not correct.
field-unknown = This value is not known.
field-builtin_property = A built-in property cannot be used here.
field-duplicate = This is already used.
field-invalid_color = Enter a colour like #1d4ed8.
field-invalid_filter = This filter is not valid for these properties.
field-no_way_in = With these settings nobody can log in.
field-not_closed_stage = Choose a closed stage of this pipeline.
field-out_of_range = This value is out of range.
field-too_many = There are too many.
field-unknown_property = There is no such property.
field-unknown_operator = Use one of the operators listed.
field-invalid_url = Enter an http(s):// address or a path starting with /.
field-invalid_slug = Use lower-case letters, digits and single hyphens.
field-reserved = This path is reserved.
field-unknown_language = Choose one of the languages.
field-unknown_company = No company has this name or domain.
field-invalid_domain = Enter a domain like example.com.
field-needs_open_stage = A pipeline needs at least one open stage.
field-unknown_pipeline = There is no such pipeline.
field-invalid_name = Use a lower-case letter, then lower-case letters, digits or _.
field-taken = This is already used.
field-unknown_kind = Choose text, number or date.
field-options_need_text = Only text properties have options.
field-unknown_contact = There is no such contact.
field-unknown_inbox = There is no such inbox.
field-invalid_image = Upload a PNG, JPEG, GIF, WebP or ICO image.
field-hidden_by_ticket_filter = Tickets filed here would not show in the customer's portal: the ticket visibility filter hides them.
field-invalid_host = Enter a host name like imap.example.com or an IP address.
field-unknown_zone = Choose a time zone from the list.

## denied

denied-title = Access denied
denied-body = Your account may not use this portal. Please contact the support team if you think this is a mistake.

## unavailable

unavailable-title = Portal unavailable
unavailable-body = This customer portal is not available at the moment.

## footer

footer-text = Customer portal

## reset: Password reset.

reset-title = Reset your password
reset-intro = Enter the email address of your login. If it belongs to an account, we send you a link to choose a new password.
reset-submit = Send link
reset-sent = If an account exists for this address, a link to reset the password is on its way. It works once, for 15 minutes.
reset-new_title = Choose a new password
reset-new_password = New password
reset-rules = 8 to 128 characters. Very common passwords are refused.
reset-end_sessions = Log out everywhere else
reset-save = Save password
reset-invalid_link = This link is used up or has expired. Please ask for a new one.

## register: Self-registration.

register-title = Create an account
register-intro = Create a login to follow and file your support tickets.
register-first_name = First name
register-last_name = Last name
register-submit = Create account
register-sent = Almost done: we sent a link to your email address. Open it to confirm the address, then log in.

## confirm: Email confirmation.

confirm-title = Confirm your email address
confirm-intro = Confirm the address to finish your registration.
confirm-submit = Confirm my address

## welcome

welcome-title = Set your password

## account: The account page.

account-title = Your account
account-current_password = Current password
account-save = Change password
account-changed = Your password was changed.
account-end_others = Log out on my other devices
account-zone = Time zone
account-zone_now = Times are shown in
account-zone_portal = The portal's
account-zone_saved = Your time zone is saved.

## sso

sso-failed-title = Single sign-on failed
sso-failed-body = Your sign-in could not be completed. Please try again, and contact support if it keeps happening.

## link: Login links by email.

link-title = Log in by email
link-ask = Email me a login link
link-intro = Enter your email address. If it has a login, we send you a link that logs you in once, within 15 minutes.
link-submit = Send the link
link-sent = If this address has a login, a link is on its way. It works once, for 15 minutes.
link-confirm_intro = Log in with the link from your email.
link-confirm = Log in
link-used = This link was used already or has expired. Ask for a new one.

## format

format-list_separator = ,

## preview: The staff preview of the portal as a customer.

# $name: the contact, as "Name <email>".
preview-banner = You are viewing the portal as { $name }: a read-only preview.
preview-end = End the preview
preview-read_only-title = This is a preview
preview-read_only-body = Nothing can be changed while staff preview the portal as a contact.

## form

form-problems = There is a problem with the form

## home: The portal's front page.

nav-home = Home
home-title = Help centre
home-heading = How can we help?
home-search = Search your tickets
home-search_custom = Search your { $plural }
home-search_button = Search
home-recent = Recent tickets
home-recent_custom = Recent { $plural }
home-all = All tickets
home-all_custom = All { $plural }
home-open = Open tickets
home-open_custom = Open { $plural }
home-none = You have no tickets yet.
home-none_custom = You have no { $plural } yet.
home-new_text = Describe your question or problem and we will answer by email and here.
home-kb_text = Answers to common questions, any time.

# The organisation's access log (C4)
log-company = Your company
log-company_help = As your company's portal admin, you see what your colleagues did in the portal.
log-open = Access log
log-switch = Your companies
log-title = Access log of { $company }
log-intro = Who in your company viewed, exported, answered, closed and handed over the company's tickets, and when.
log-intro_custom = Who in your company viewed, exported, answered, closed and handed over the company's { $plural }, and when.
log-ticket = Ticket
log-ticket_custom = { $singular }
log-who = Who
log-what = What
log-when = When
log-subject = Subject
log-everyone = Everyone
log-every_action = Every action
log-from = From
log-to = To
log-csv = Download CSV
log-empty = No entries.
log-older = Older entries
log-newest = Newest entries
log-bad_date = A date could not be read; write it as 2026-12-31.
log-viewed = viewed
log-exported = exported { $count ->
    [one] one ticket
   *[other] { $count } tickets
}
log-exported_custom = exported { $count ->
    [one] one { $singular }
   *[other] { $count } { $plural }
}
log-replied = replied
log-closed = closed
log-handed_over = handed over to a colleague
log-action_viewed = Viewed
log-action_exported = Exported
log-action_replied = Replied
log-action_closed = Closed
log-action_handed_over = Handed over

# What colleagues may do (C5)
people-open = What colleagues may do
people-title = What colleagues at { $company } may do
people-intro = Choose what each colleague may do with the company's tickets. Boxes you cannot tick are not allowed by the support team.
people-intro_custom = Choose what each colleague may do with the company's { $plural }. Boxes you cannot tick are not allowed by the support team.
people-who = Colleague
people-rights = May
people-see = see
people-reply = answer
people-close = close
people-save = Save
people-saved = Saved.
people-none = No colleagues yet.
