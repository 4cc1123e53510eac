### portal: Customer portal pages (de).
### Keys: dots in the code become dashes here (list.count is list-count).

## lang: The language itself: its name in the language menu.

lang-name = Deutsch

## a11y: Accessibility helpers read by screen readers.

a11y-skip = Zum Inhalt springen
a11y-close = Schließen

## nav: The header and navigation of the customer portal.

nav-tickets = Tickets
nav-new_ticket = Support-Ticket erstellen
nav-logout = Abmelden
nav-language = Sprache
nav-change = Wechseln
nav-account = Konto
nav-knowledge_base = Wissensdatenbank
nav-new_ticket_custom = Neu: { $singular }

## label: What tickets are called when the admin has not renamed them.

label-ticket = Ticket
label-tickets = Tickets

## login: The login page.

login-title = Anmelden
login-intro = Melden Sie sich an, um Ihre Support-Tickets zu sehen und zu verwalten.
login-email = E-Mail
login-password = Passwort
login-submit = Anmelden
login-failed = E-Mail oder Passwort ist nicht korrekt.
login-throttled =
    { $n ->
        [one] Zu viele Versuche. Bitte warten Sie { $n } Sekunde und versuchen Sie es erneut.
       *[other] Zu viele Versuche. Bitte warten Sie { $n } Sekunden und versuchen Sie es erneut.
    }
login-logged_out = Sie sind abgemeldet.
login-expired = Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.
login-forgot = Passwort vergessen?
login-reset_done = Ihr Passwort wurde geändert. Melden Sie sich mit dem neuen an.
login-register = Noch kein Zugang? Konto erstellen
login-confirmed = Ihre E-Mail-Adresse ist bestätigt. Sie können sich jetzt anmelden.
login-welcome_done = Ihr Passwort ist festgelegt. Melden Sie sich jetzt an.
login-sso_saml = Mit Ihrem Firmenkonto anmelden
login-sso_jwt = Mit Single Sign-on anmelden
login-or = oder

## list: The ticket list: search, view, filters, sorting, counts.

list-view = Ansicht
list-view_organization = Tickets der Organisation
list-view_all_companies = Tickets aller meiner Unternehmen
list-view_all_companies_custom = { $plural } aller meiner Unternehmen
list-view_mine = Meine Tickets
list-view_shared = Mit mir geteilt
list-search = Suchen
list-search_placeholder = Betreff und Nachrichten durchsuchen
list-status = Status
list-status_any = Alle
list-filter = Filter
list-filter_any = Beliebig
list-apply = Anwenden
list-clear = Zurücksetzen
list-export = Als CSV exportieren
list-count_more = Mehr als { $n } Tickets
list-count =
    { $n ->
        [one] { $n } Ticket
       *[other] { $n } Tickets
    }
list-empty = Keine passenden Tickets.
list-next = Nächste Seite
list-first = Erste Seite
list-sort_by = Nach { $column } sortieren
list-sorted_asc = aufsteigend sortiert
list-sorted_desc = absteigend sortiert
list-count_custom =
    { $n ->
        [one] { $n } { $singular }
       *[other] { $n } { $plural }
    }
list-count_more_custom = Mehr als { $n } { $plural }
list-view_organization_custom = Organisation: { $plural }
list-view_mine_custom = Meine { $plural }
list-view_shared_custom = Mit mir geteilt: { $plural }
list-empty_custom = Keine passenden { $plural }.
list-welcome = Willkommen! Sie haben noch keine Tickets.
list-welcome_custom = Willkommen! Sie haben noch keine { $plural }.
list-welcome_next = So geht es los:
list-date_from = von
list-date_to = bis
list-export_excel = CSV für Excel
list-filters = Filter
list-active_filters = Aktive Filter
list-remove_filter = Filter entfernen: { $filter }

## col: Ticket list columns.

col-id = Ticket-ID
col-subject = Betreff
col-requested_by = Angefragt von
col-created_at = Erstellungsdatum
col-owner = Ticketinhaber
col-last_activity_at = Letzte Aktivität
col-status = Status
col-pipeline = Pipeline
col-stage = Phase
col-inbox = Posteingang
col-owner_custom = Zuständig
col-id_custom = { $singular }-ID

## status: Ticket states.

status-open = Offen
status-closed = Geschlossen

## detail: One ticket: its messages, reply form, closing.

detail-back = Zurück zur Liste
detail-properties = Details
detail-conversation = Unterhaltung
detail-no_messages = Noch keine Nachrichten.
detail-you = Sie
detail-support = Support
detail-attachments = Anhänge
detail-reply = Antworten
detail-reply_help = Formatierung: **fett**, *kursiv*, - Listen, [Links](https://example.com).
detail-attach = Dateien anhängen
detail-attach_help =
    { $files ->
        [one] Bis zu { $files } Datei, je { $file_mb } MB, insgesamt { $total_mb } MB.
       *[other] Bis zu { $files } Dateien, je { $file_mb } MB, insgesamt { $total_mb } MB.
    }
detail-send = Antwort senden
detail-close = Ticket schließen
detail-closed_no_reply = Dieses Ticket ist geschlossen. Antworten sind nicht möglich.
detail-replied = Ihre Antwort wurde gesendet.
detail-closed = Das Ticket ist geschlossen.
detail-bold = Fett
detail-italic = Kursiv
detail-list = Liste
detail-close_custom = { $singular } schließen
detail-closed_no_reply_custom = { $singular }: geschlossen. Antworten sind nicht möglich.
detail-closed_custom = { $singular }: geschlossen.
detail-people = Beteiligte Personen
detail-people_custom = Beteiligte Personen ({ $singular })
detail-people_help = Hinzugefügte Personen sehen das Ticket und seine Antworten, können antworten und werden über neue Antworten benachrichtigt.
detail-people_help_custom = Hinzugefügte Personen sehen { $singular } und die Antworten, können antworten und werden über neue Antworten benachrichtigt.
detail-add_person = Person per E-Mail hinzufügen
detail-add_person_button = Hinzufügen
detail-remove_person = Entfernen
detail-leave = Ticket verlassen
detail-leave_custom = { $singular } verlassen
detail-person_added = Die Person wurde zum Ticket hinzugefügt.
detail-person_added_custom = Die Person wurde hinzugefügt ({ $singular }).
detail-person_removed = Die Person wurde vom Ticket entfernt.
detail-person_removed_custom = Die Person wurde entfernt ({ $singular }).
detail-hand_over = Ticket an eine Kollegin oder einen Kollegen übergeben (E-Mail)
detail-hand_over_custom = An eine Kollegin oder einen Kollegen übergeben ({ $singular }, E-Mail)
detail-hand_over_stay = Am Ticket beteiligt bleiben
detail-hand_over_stay_custom = Beteiligt bleiben ({ $singular })
detail-hand_over_button = Übergeben
detail-hand_over_help = Die Person wird zur anfragenden Person; Sie beide erhalten eine E-Mail.
detail-handed_over = Das Ticket wurde übergeben.
detail-handed_over_custom = { $singular }: übergeben.
detail-private = Dieses Ticket ist privat: Nur die beteiligten Personen sehen es.
detail-private_custom = { $singular }: privat. Nur die beteiligten Personen sehen es.
detail-shared = Alle in Ihrem Unternehmen mit Zugriff auf dessen Tickets sehen dieses Ticket.
detail-shared_custom = Alle in Ihrem Unternehmen mit Zugriff auf dessen { $plural } sehen dies.
detail-make_private = Privat machen
detail-make_shared = Mit meinem Unternehmen teilen
detail-made_private = Das Ticket ist jetzt privat.
detail-made_private_custom = { $singular }: jetzt privat.
detail-made_shared = Das Ticket ist jetzt mit Ihrem Unternehmen geteilt.
detail-made_shared_custom = { $singular }: jetzt mit Ihrem Unternehmen geteilt.

## new: Filing a new ticket.

new-title = Support-Ticket erstellen
new-subject = Betreff
new-description = Beschreibung
new-submit = Absenden
new-created = Ihr Ticket wurde erstellt.
new-created_custom = { $singular } wurde erstellt.
new-on_behalf = Für eine Kollegin oder einen Kollegen (E-Mail, optional)
new-on_behalf_help = Die Person wird zur anfragenden Person und erhält eine E-Mail; Sie bleiben beteiligt.
new-on_behalf_help_custom = Die Person wird zur anfragenden Person ({ $singular }) und erhält eine E-Mail; Sie bleiben beteiligt.
new-privacy = Wer dieses Ticket sieht
new-privacy_custom = Wer dies sieht ({ $singular })
new-shared = Alle in meinem Unternehmen mit Zugriff
new-private = Nur ich und die Personen, die ich hinzufüge
new-header = Wie können wir helfen?
new-title_custom = Neu: { $singular }

## error: Errors shown on pages.

error-not_found-title = Nicht gefunden
error-not_found-body = Diese Seite existiert nicht, oder Sie haben keinen Zugriff darauf.
error-csrf-title = Formular abgelaufen
error-csrf-body = Das Formular war zu alt oder kam von einer anderen Website. Bitte gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es erneut.
error-invalid-title = Bitte prüfen Sie Ihre Eingaben
error-unavailable-title = Vorübergehend nicht verfügbar
error-unavailable-body = Der Dienst ist ausgelastet. Bitte versuchen Sie es gleich noch einmal.
error-control_character = Das Formular oder die Adresse enthält ein nicht erlaubtes Steuerzeichen (etwa NUL). Bitte entfernen Sie es und versuchen Sie es erneut.
error-internal-title = Etwas ist schiefgegangen
error-internal-body = Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.
error-too_large = Der Upload ist zu groß.
error-upload-too_many =
    { $n ->
        [one] Sie können höchstens { $n } Datei anhängen.
       *[other] Sie können höchstens { $n } Dateien anhängen.
    }
error-upload-file_too_large = Jede Datei darf höchstens { $n } MB groß sein.
error-upload-total_too_large = Alle Dateien zusammen dürfen höchstens { $n } MB groß sein.
error-upload-empty = Leere Dateien können nicht angehängt werden.
error-reply_closed = Antworten auf geschlossene Tickets sind nicht erlaubt.
error-close_disabled = Das Schließen von Tickets ist nicht erlaubt.
error-cc_disabled = Personen zu Tickets hinzuzufügen ist nicht erlaubt.
error-cc_disabled_custom = Personen hinzuzufügen ist nicht erlaubt ({ $plural }).
error-cc_not_requester = Nur die anfragende Person kann ändern, wer an diesem Ticket beteiligt ist.
error-cc_not_requester_custom = Nur die anfragende Person kann ändern, wer beteiligt ist ({ $singular }).
error-cc_address_refused = Niemand mit dieser Adresse kann zu diesem Ticket hinzugefügt werden.
error-cc_address_refused_custom = Niemand mit dieser Adresse kann hinzugefügt werden ({ $singular }).
error-cc_already = Diese Person ist bereits am Ticket beteiligt.
error-cc_already_custom = Diese Person ist bereits beteiligt ({ $singular }).
error-cc_not_participant = Diese Person ist nicht am Ticket beteiligt.
error-cc_not_participant_custom = Diese Person ist nicht beteiligt ({ $singular }).
error-cc_email = Geben Sie eine E-Mail-Adresse ein.
error-hand_over_refused = Das Ticket kann nur an eine Kollegin oder einen Kollegen Ihres Unternehmens übergeben werden.
error-hand_over_refused_custom = { $singular }: Übergabe nur an eine Kollegin oder einen Kollegen Ihres Unternehmens.
error-privacy_choice_off = Sie können nicht wählen, wer dieses Ticket sieht.
error-privacy_choice_off_custom = Sie können nicht wählen, wer dies sieht ({ $singular }).
error-privacy_not_requester = Nur die anfragende Person kann ändern, wer dieses Ticket sieht.
error-privacy_not_requester_custom = Nur die anfragende Person kann ändern, wer dies sieht ({ $singular }).
error-on_behalf_refused = Ein Ticket kann nur für eine Kollegin oder einen Kollegen Ihres Unternehmens erstellt werden.
error-on_behalf_refused_custom = { $singular }: nur für eine Kollegin oder einen Kollegen Ihres Unternehmens.
error-company_reply_right = Sie dürfen die Tickets Ihres Unternehmens lesen, aber nicht beantworten.
error-company_reply_right_custom = Sie dürfen die { $plural } Ihres Unternehmens lesen, aber nicht beantworten.
error-company_close_right = Sie dürfen die Tickets Ihres Unternehmens lesen, aber nicht schließen.
error-company_close_right_custom = Sie dürfen die { $plural } Ihres Unternehmens lesen, aber nicht schließen.
error-already_closed = Das Ticket ist bereits geschlossen.
error-no_closed_stage = Dieses Ticket kann noch nicht geschlossen werden. Bitte wenden Sie sich an den Support.
error-bad_request-title = Diese Anfrage konnte nicht verarbeitet werden
error-bad_request-body = Im Formular oder in der Adresse fehlte etwas oder war fehlerhaft. Bitte gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es noch einmal.
error-conflict-title = Inzwischen geändert
error-conflict-body = Jemand hat dies gleichzeitig geändert. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.

## field: Problems with one form field, shown next to it.

field-required = Dieses Feld ist erforderlich.
field-too_long = Dieser Text ist zu lang.
field-control_character = Dieser Text enthält ein nicht erlaubtes Steuerzeichen.
field-invalid_number = Bitte geben Sie eine ganze Zahl ein.
field-invalid_date = Bitte geben Sie ein Datum im Format JJJJ-MM-TT ein.
field-invalid_option = Bitte wählen Sie eine der Optionen.
field-not_a_colleague = Nur eine Kollegin oder ein Kollege Ihres Unternehmens kann gewählt werden.
field-invalid = Dieser Wert ist ungültig.
field-too_short = Verwenden Sie mindestens 8 Zeichen.
field-too_common = Dieses Passwort ist zu häufig. Bitte wählen Sie ein anderes.
field-invalid_email = Bitte geben Sie eine gültige E-Mail-Adresse ein.
field-wrong_password = Das aktuelle Passwort ist nicht korrekt.
field-unknown = Dieser Wert ist unbekannt.
field-builtin_property = Eine eingebaute Eigenschaft ist hier nicht möglich.
field-duplicate = Das wird bereits verwendet.
field-invalid_color = Geben Sie eine Farbe wie #1d4ed8 ein.
field-invalid_filter = Dieser Filter passt nicht zu den Eigenschaften.
field-no_way_in = Mit diesen Einstellungen kann sich niemand anmelden.
field-not_closed_stage = Wählen Sie eine Abschlussphase dieser Pipeline.
field-out_of_range = Dieser Wert liegt außerhalb des Bereichs.
field-too_many = Das sind zu viele.
field-unknown_property = Diese Eigenschaft gibt es nicht.
field-unknown_operator = Verwenden Sie einen der genannten Operatoren.
field-invalid_url = Geben Sie eine http(s)://-Adresse oder einen Pfad mit / ein.
field-invalid_slug = Verwenden Sie Kleinbuchstaben, Ziffern und einzelne Bindestriche.
field-reserved = Dieser Pfad ist reserviert.
field-unknown_language = Wählen Sie eine der Sprachen.
field-unknown_company = Kein Unternehmen hat diesen Namen oder diese Domain.
field-invalid_domain = Geben Sie eine Domain wie example.com ein.
field-needs_open_stage = Eine Pipeline braucht mindestens eine offene Phase.
field-unknown_pipeline = Diese Pipeline gibt es nicht.
field-invalid_name = Beginnen Sie mit einem Kleinbuchstaben, dann Kleinbuchstaben, Ziffern oder _.
field-taken = Das ist bereits vergeben.
field-unknown_kind = Wählen Sie Text, Zahl oder Datum.
field-options_need_text = Nur Text-Eigenschaften haben Optionen.
field-unknown_contact = Diesen Kontakt gibt es nicht.
field-unknown_inbox = Diesen Posteingang gibt es nicht.
field-invalid_image = Laden Sie ein PNG-, JPEG-, GIF-, WebP- oder ICO-Bild hoch.
field-hidden_by_ticket_filter = Hier erstellte Tickets wären im Portal des Kunden nicht sichtbar: Der Ticket-Sichtbarkeitsfilter blendet sie aus.
field-invalid_host = Geben Sie einen Hostnamen wie imap.example.com oder eine IP-Adresse ein.
field-unknown_zone = Wählen Sie eine Zeitzone aus der Liste.

## denied

denied-title = Zugriff verweigert
denied-body = Ihr Konto darf dieses Portal nicht nutzen. Bitte wenden Sie sich an das Support-Team, wenn Sie dies für einen Fehler halten.

## unavailable

unavailable-title = Portal nicht verfügbar
unavailable-body = Dieses Kundenportal ist derzeit nicht verfügbar.

## footer

footer-text = Kundenportal

## reset: Password reset.

reset-title = Passwort zurücksetzen
reset-intro = Geben Sie die E-Mail-Adresse Ihres Zugangs ein. Gehört sie zu einem Konto, senden wir Ihnen einen Link, mit dem Sie ein neues Passwort wählen.
reset-submit = Link senden
reset-sent = Wenn es zu dieser Adresse ein Konto gibt, ist ein Link zum Zurücksetzen unterwegs. Er funktioniert einmal, 15 Minuten lang.
reset-new_title = Neues Passwort wählen
reset-new_password = Neues Passwort
reset-rules = 8 bis 128 Zeichen. Sehr häufige Passwörter werden abgelehnt.
reset-end_sessions = Überall sonst abmelden
reset-save = Passwort speichern
reset-invalid_link = Dieser Link ist verbraucht oder abgelaufen. Bitte fordern Sie einen neuen an.

## register: Self-registration.

register-title = Konto erstellen
register-intro = Erstellen Sie einen Zugang, um Ihre Support-Tickets zu verfolgen und zu erstellen.
register-first_name = Vorname
register-last_name = Nachname
register-submit = Konto erstellen
register-sent = Fast geschafft: Wir haben einen Link an Ihre E-Mail-Adresse gesendet. Öffnen Sie ihn, um die Adresse zu bestätigen, und melden Sie sich dann an.

## confirm: Email confirmation.

confirm-title = E-Mail-Adresse bestätigen
confirm-intro = Bestätigen Sie die Adresse, um Ihre Registrierung abzuschließen.
confirm-submit = Meine Adresse bestätigen

## welcome

welcome-title = Legen Sie Ihr Passwort fest

## account: The account page.

account-title = Ihr Konto
account-current_password = Aktuelles Passwort
account-save = Passwort ändern
account-changed = Ihr Passwort wurde geändert.
account-end_others = Auf meinen anderen Geräten abmelden
account-zone = Zeitzone
account-zone_now = Zeiten werden angezeigt in
account-zone_portal = Die des Portals
account-zone_saved = Ihre Zeitzone ist gespeichert.

## sso

sso-failed-title = Single Sign-on fehlgeschlagen
sso-failed-body = Ihre Anmeldung konnte nicht abgeschlossen werden. Bitte versuchen Sie es erneut und wenden Sie sich an den Support, wenn das Problem bleibt.

## link: Login links by email.

link-title = Anmeldung per E-Mail
link-ask = Anmeldelink per E-Mail senden
link-intro = Geben Sie Ihre E-Mail-Adresse ein. Wenn sie eine Anmeldung hat, senden wir Ihnen einen Link, der Sie einmal innerhalb von 15 Minuten anmeldet.
link-submit = Link senden
link-sent = Wenn diese Adresse eine Anmeldung hat, ist ein Link unterwegs. Er funktioniert einmal, 15 Minuten lang.
link-confirm_intro = Melden Sie sich mit dem Link aus Ihrer E-Mail an.
link-confirm = Anmelden
link-used = Dieser Link wurde schon verwendet oder ist abgelaufen. Fordern Sie einen neuen an.

## format

format-list_separator = ;

## preview: The staff preview of the portal as a customer.

preview-banner = Sie sehen das Portal als { $name }: eine Vorschau, nur lesend.
preview-end = Vorschau beenden
preview-read_only-title = Dies ist eine Vorschau
preview-read_only-body = Solange Mitarbeitende das Portal als Kontakt ansehen, kann nichts geändert werden.

## form

form-problems = Das Formular enthält Fehler

## home: The portal's front page.

nav-home = Startseite
home-title = Hilfe-Center
home-heading = Wie können wir helfen?
home-search = Ihre Tickets durchsuchen
home-search_custom = { $plural } durchsuchen
home-search_button = Suchen
home-recent = Neueste Tickets
home-recent_custom = Neueste { $plural }
home-all = Alle Tickets
home-all_custom = Alle { $plural }
home-open = Offene Tickets
home-open_custom = Offene { $plural }
home-none = Sie haben noch keine Tickets.
home-none_custom = Sie haben noch keine { $plural }.
home-new_text = Beschreiben Sie Ihre Frage oder Ihr Problem; wir antworten per E-Mail und hier.
home-kb_text = Antworten auf häufige Fragen, jederzeit.

# The organisation's access log (C4)
log-company = Ihr Unternehmen
log-company_help = Als Portal-Admin Ihres Unternehmens sehen Sie, was Ihre Kolleginnen und Kollegen im Portal getan haben.
log-open = Zugriffsprotokoll
log-switch = Ihre Unternehmen
log-title = Zugriffsprotokoll von { $company }
log-intro = Wer in Ihrem Unternehmen die Tickets des Unternehmens angesehen, exportiert, beantwortet, geschlossen und übergeben hat, und wann.
log-intro_custom = Wer in Ihrem Unternehmen die { $plural } des Unternehmens angesehen, exportiert, beantwortet, geschlossen und übergeben hat, und wann.
log-ticket = Ticket
log-ticket_custom = { $singular }
log-who = Wer
log-what = Was
log-when = Wann
log-subject = Betreff
log-everyone = Alle
log-every_action = Alle Aktionen
log-from = Von
log-to = Bis
log-csv = CSV herunterladen
log-empty = Keine Einträge.
log-older = Ältere Einträge
log-newest = Neueste Einträge
log-bad_date = Ein Datum konnte nicht gelesen werden; schreiben Sie es als 2026-12-31.
log-viewed = angesehen
log-exported = { $count ->
    [one] ein Ticket
   *[other] { $count } Tickets
} exportiert
log-exported_custom = { $count ->
    [one] { $singular }
   *[other] { $count } { $plural }
} exportiert
log-replied = geantwortet
log-closed = geschlossen
log-handed_over = an eine Kollegin oder einen Kollegen übergeben
log-action_viewed = Angesehen
log-action_exported = Exportiert
log-action_replied = Geantwortet
log-action_closed = Geschlossen
log-action_handed_over = Übergeben

# What colleagues may do (C5)
people-open = Was Kolleginnen und Kollegen dürfen
people-title = Was Kolleginnen und Kollegen bei { $company } dürfen
people-intro = Wählen Sie, was jede Person mit den Tickets des Unternehmens tun darf. Kästchen, die Sie nicht ankreuzen können, erlaubt das Support-Team nicht.
people-intro_custom = Wählen Sie, was jede Person mit den { $plural } des Unternehmens tun darf. Kästchen, die Sie nicht ankreuzen können, erlaubt das Support-Team nicht.
people-who = Person
people-rights = Darf
people-see = sehen
people-reply = beantworten
people-close = schließen
people-save = Speichern
people-saved = Gespeichert.
people-none = Noch keine Kolleginnen oder Kollegen.
