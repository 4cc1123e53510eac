### portal: Staff pages (inbox, tickets, settings) (de).
### Keys: dots in the code become dashes here (list.count is list-count).

## admin.agents

admin-agents-title = Mitarbeitende
admin-agents-alias = Alias
admin-agents-help = Kunden sehen den Alias als Ticketverantwortlichen, wenn die Anzeige auf Alias steht.

## admin.answer

admin-answer-empty = Schreiben Sie eine Nachricht oder hängen Sie eine Datei an.

## admin.any

admin-any = Alle

## admin.channel

admin-channel-portal = im Portal
admin-channel-email = per E-Mail
admin-channel-api = über die API
admin-channel-inbox = im Posteingang
admin-channel-import = importiert

## admin.companies

admin-companies-title = Unternehmen
admin-companies-search = Name oder Domain enthält
admin-companies-empty = Keine Unternehmen.
admin-companies-new = Neues Unternehmen
admin-companies-edit = Unternehmen bearbeiten
admin-companies-domain = Web-Domain

## admin.conflict

admin-conflict-title = Zwischenzeitlich geändert
admin-conflict-body = Jemand hat diese Einstellungen gespeichert, nachdem Sie die Seite geöffnet haben. Laden Sie die Seite neu und ändern Sie es erneut.

## admin.contact

admin-contact-event-submitted = hat das Ticket im Portal eingereicht
admin-contact-event-replied = hat im Portal geantwortet
admin-contact-event-closed = hat das Ticket im Portal geschlossen
admin-contact-event-cc_added = hat im Portal eine Person zum Ticket hinzugefügt
admin-contact-event-cc_removed = hat im Portal eine Person vom Ticket entfernt
admin-contact-event-handed_over = hat das Ticket im Portal an eine Kollegin oder einen Kollegen übergeben
admin-contact-event-made_private = hat das Ticket im Portal privat gemacht
admin-contact-event-made_shared = hat das Ticket im Portal mit dem Unternehmen geteilt
admin-contact-event-mail_ticket = hat das Ticket per E-Mail eröffnet
admin-contact-event-mail_reply = hat per E-Mail geantwortet

## admin.contacts

admin-contacts-title = Kontakte
admin-contacts-search = Name oder E-Mail enthält
admin-contacts-empty = Keine Kontakte.
admin-contacts-new = Neuer Kontakt
admin-contacts-edit = Kontakt bearbeiten
admin-contacts-first_name = Vorname
admin-contacts-last_name = Nachname
admin-contacts-membership_email = Mitgliedschafts-E-Mail (Registrierungsmails gehen hierhin)
admin-contacts-company = Primäres Unternehmen
admin-contacts-language = Sprache
admin-contacts-login = Portal-Login
admin-contacts-company_admin = Portal-Admin des Unternehmens
admin-contacts-company_admin_yes = Ja: liest das Zugriffsprotokoll des Unternehmens im Portal
admin-contacts-company_admin_no = Nein
admin-contacts-company_admin_on = Zum Portal-Admin machen
admin-contacts-company_admin_off = Nicht mehr Portal-Admin
admin-contacts-explain = Das Portal aus Sicht dieses Kontakts ansehen
admin-contacts-timeline = Zeitleiste
admin-contacts-no_activity = Noch keine Aktivität im Portal.
admin-contacts-tickets = Tickets
admin-contacts-no_tickets = Keine Tickets.
admin-contacts-own = eigenes
admin-contacts-of_company = Unternehmen

## admin.done

admin-done-replied = Ihre Antwort wurde gesendet; der Kunde erhält eine E-Mail.
admin-done-noted = Ihre interne Notiz wurde gespeichert.
admin-done-stage = Das Ticket wurde verschoben.
admin-done-owner = Die Zuständigkeit wurde geändert.
admin-done-participant_added = Die Person wurde hinzugefügt.
admin-done-participant_removed = Die Person wurde entfernt.
admin-done-requester = Die anfragende Person wurde geändert.
admin-done-properties = Das Ticket wurde gespeichert.
admin-done-contact_saved = Der Kontakt wurde gespeichert.
admin-done-company_saved = Das Unternehmen wurde gespeichert.
admin-done-pipeline_saved = Die Pipeline wurde gespeichert.
admin-done-inbox_saved = Der Posteingang wurde angelegt.
admin-done-property_saved = Die Eigenschaft wurde angelegt.
admin-done-alias_saved = Der Alias wurde gespeichert.
admin-done-token_revoked = Der Token wurde widerrufen.
admin-done-login_disabled = Die Anmeldung wurde gesperrt; ihre Sitzungen sind beendet.
admin-done-login_enabled = Die Anmeldung wurde freigegeben.
admin-memberships-title = Unternehmen
admin-memberships-help = Der Kontakt sieht die Tickets jedes Unternehmens nach seinen Rechten: nach den Regeln des Portals (wer Unternehmens-Tickets sieht, beantwortet und schließt) oder wie hier für dieses Unternehmen gewährt. Portal-Admins des Unternehmens können Kolleginnen und Kollegen weiter einschränken.
admin-memberships-rights = Rechte
admin-memberships-limited = Eingeschränkt vom Portal-Admin des Unternehmens
admin-memberships-primary = primär
admin-memberships-rules = Regeln des Portals
admin-memberships-custom = Hier gewährt:
admin-memberships-see = sehen
admin-memberships-reply = beantworten
admin-memberships-close = schließen
admin-memberships-remove = Entfernen
admin-memberships-add = Zu Unternehmen hinzufügen
admin-memberships-add_placeholder = Name oder Domain
admin-memberships-add_button = Hinzufügen
admin-done-membership_saved = Die Mitgliedschaft wurde gespeichert.
admin-done-membership_removed = Der Kontakt wurde aus dem Unternehmen entfernt.
admin-done-company_admin_on = Der Kontakt ist jetzt Portal-Admin seines Unternehmens und sieht dessen Zugriffsprotokoll.
admin-done-company_admin_off = Der Kontakt ist nicht mehr Portal-Admin seines Unternehmens.

## admin.explain

admin-explain-title = Zugriff erklären
admin-explain-intro = Sehen Sie das Portal wie ein Kontakt: jedes Ticket des Kontakts und seines Unternehmens, mit der Regel, die es zeigt oder verbirgt.
admin-explain-contact = E-Mail des Kontakts
admin-explain-show = Erklären
admin-explain-missing = Kein Kontakt hat diese E-Mail-Adresse.
admin-explain-summary =
    { $total ->
        [one] Sieht { $visible } von { $total } Ticket.
       *[other] Sieht { $visible } von { $total } Tickets.
    }
admin-explain-sees = Sichtbar
admin-explain-rule = Regel
admin-explain-own = eigenes Ticket (mit dem Kontakt verknüpft)
admin-explain-company = Unternehmensticket (Unternehmenszugriff ist an)
admin-explain-group = Unternehmensticket (Filtergruppe { $n } trifft zu)
admin-explain-not_associated = weder mit dem Kontakt noch mit seinem Hauptunternehmen verknüpft
admin-explain-company_off = Unternehmensticket, aber Unternehmenszugriff ist aus
admin-explain-no_group = Unternehmensticket, aber der Kontakt trifft keine Filtergruppe
admin-explain-filtered = durch den Ticket-Sichtbarkeitsfilter verborgen
admin-explain-private = privates Ticket (nur die anfragende Person und Beteiligte sehen es)
admin-explain-grant_all = Unternehmenstickets: ja, jeder Kontakt des Unternehmens.
admin-explain-grant_group = Unternehmenstickets: ja, Filtergruppe { $n } trifft zu.
admin-explain-grant_off = Unternehmenstickets: nein, Unternehmenszugriff ist aus.
admin-explain-grant_none = Unternehmenstickets: nein, der Kontakt trifft keine Filtergruppe.
admin-explain-grant_no_company = Unternehmenstickets: nein, der Kontakt hat kein Hauptunternehmen.

## admin.forbidden

admin-forbidden-title = Nicht erlaubt
admin-forbidden-body = Ihre Rolle erlaubt das nicht. Fragen Sie einen Admin.

## admin.inbox

admin-inbox-title = Posteingang
admin-inbox-inbox = Posteingang
admin-inbox-stage = Phase
admin-inbox-owner = Zuständig
admin-inbox-status = Status
admin-inbox-mine = Meine
admin-inbox-unassigned = Nicht zugewiesen
admin-inbox-apply = Anzeigen
admin-inbox-subject = Betreff
admin-inbox-requester = Angefragt von
admin-inbox-activity = Letzte Aktivität
admin-inbox-empty = Keine passenden Tickets.
admin-inbox-channel = Kanal

## admin.inboxes

admin-inboxes-title = Posteingänge
admin-inboxes-new = Neuer Posteingang
admin-inboxes-default = Standard-Posteingang des Portals

## admin.lists

admin-lists-title = Kontaktlisten
admin-lists-new = Neue Liste
admin-lists-create = Anlegen
admin-lists-name = Name
admin-lists-members = Mitglieder
admin-lists-group = Zugangsgruppe (Mitglieder dürfen sich anmelden und erhalten eine Registrierungs-E-Mail)
admin-lists-add = Kontakt per E-Mail hinzufügen
admin-lists-add_button = Hinzufügen
admin-lists-remove = Entfernen
admin-lists-invite = Registrierungs-E-Mail erneut senden
admin-lists-has_login = hat eine Anmeldung
admin-lists-no_login = noch keine Anmeldung
admin-lists-no_contact = Kein Kontakt hat diese E-Mail-Adresse.
admin-lists-not_group = Diese Liste ist keine Zugangsgruppe.
admin-lists-done_added = Der Kontakt wurde hinzugefügt.
admin-lists-done_invited = Die Registrierungs-E-Mail ist unterwegs.
admin-lists-done_removed = Der Kontakt wurde von der Liste entfernt.
admin-lists-empty = Noch keine Listen.

## admin.login

admin-login-title = Team-Anmeldung
admin-login-disable = Anmeldung sperren
admin-login-enable = Anmeldung freigeben
admin-login-disabled = gesperrt
admin-login-active = aktiv

## admin.mailboxes

admin-mailboxes-title = Postfächer
admin-mailboxes-intro = Die IMAP-Postfächer, die das Portal für seine Posteingänge liest: Jede neue E-Mail wird ein Ticket oder eine Antwort, wie bei [[mail.inbound]] in portal.toml (diese werden auch gelesen). Änderungen erreichen jeden Server binnen Sekunden. Ein Passwort wird mit dem geheimen Schlüssel des Servers versiegelt und nie wieder angezeigt.
admin-mailboxes-address = Postfach
admin-mailboxes-status = Letzter Durchgang
admin-mailboxes-off = ausgeschaltet
admin-mailboxes-unchecked = noch nicht gelesen
admin-mailboxes-working = funktioniert (zuletzt gelesen { $at })
admin-mailboxes-failing = Fehler seit { $at }: { $error }
admin-mailboxes-every = alle { $n } s
admin-mailboxes-password_unreadable = Dieser Server kann das gespeicherte Passwort nicht öffnen (es wurde mit einem anderen geheimen Schlüssel versiegelt): Bitte erneut eingeben.
admin-mailboxes-edit = Bearbeiten
admin-mailboxes-delete = Entfernen
admin-mailboxes-empty = Hier ist noch kein Postfach eingetragen.
admin-mailboxes-add = Postfach hinzufügen
admin-mailboxes-host = IMAP-Server
admin-mailboxes-port = Port
admin-mailboxes-port_help = Leer: 993 mit TLS, 143 ohne.
admin-mailboxes-tls = TLS ab dem ersten Byte (IMAPS); nur für einen Server auf diesem Rechner oder in einem privaten Netz ausschalten
admin-mailboxes-user = Anmeldename
admin-mailboxes-password = Passwort
admin-mailboxes-password_keep = Leer lassen, um das gespeicherte Passwort zu behalten.
admin-mailboxes-folder = Ordner
admin-mailboxes-poll_seconds = Sekunden zwischen den Durchgängen (5–3600; bietet der Server IDLE, wird neue Post sofort abgeholt)
admin-mailboxes-delete_taken = Abgeholte E-Mails auf dem Server löschen (sonst bleiben sie, als abgeholt markiert)
admin-mailboxes-enabled = Dieses Postfach lesen
admin-mailboxes-cancel = Abbrechen
admin-mailboxes-created = Das Postfach wurde hinzugefügt; das Portal liest es binnen Sekunden.
admin-mailboxes-saved = Das Postfach wurde gespeichert.
admin-mailboxes-deleted = Das Postfach wurde entfernt.

## admin.mailin

admin-mailin-title = Zurückgehaltene E-Mails
admin-mailin-intro = E-Mails, die eingegangen sind, aber weder ein Ticket noch eine Antwort wurden, die neuesten zuerst, mit dem Grund. Laden Sie das Original herunter, beheben Sie die Ursache (legen Sie etwa den Kontakt an) und versuchen Sie es erneut, oder löschen Sie die E-Mail.
admin-mailin-received = Eingegangen
admin-mailin-inbox = Posteingang
admin-mailin-sender = Von
admin-mailin-subject = Betreff
admin-mailin-reason = Grund
admin-mailin-download = Herunterladen
admin-mailin-retry = Erneut versuchen
admin-mailin-delete = Löschen
admin-mailin-retried = Die E-Mail wurde erneut verarbeitet.
admin-mailin-deleted = Die E-Mail ist gelöscht.
admin-mailin-empty = Keine E-Mail wird zurückgehalten.
admin-mailin-reason-unparsable = nicht als E-Mail lesbar
admin-mailin-reason-too_large = größer als die Upload-Grenzen erlauben
admin-mailin-reason-no_sender = keine Absenderadresse
admin-mailin-reason-unknown_sender = kein Kontakt hat die Absenderadresse, und dieser Posteingang legt keine Kontakte an
admin-mailin-reason-attachment_limit = die Anhänge überschreiten die Upload-Grenzen
admin-mailin-reason-empty = weder Text noch Anhänge
admin-mailin-reason-invalid = der Text ist länger, als eine Nachricht sein darf
admin-mailin-reason-unknown_inbox = der Posteingang existiert nicht mehr
admin-mailin-reason-raw_missing = das Original fehlt im Speicher

## admin.menu

admin-menu = Menü

## admin.name

admin-name = Team

## admin.no

admin-no = nein

## admin.outbox

admin-outbox-title = Nicht zugestellte E-Mails
admin-outbox-intro = E-Mails, die der Server nach seinen Wiederholungen aufgegeben hat, neueste zuerst. Beheben Sie die Ursache (Adresse, Mailserver) und senden Sie sie erneut.
admin-outbox-to = An
admin-outbox-kind = E-Mail
admin-outbox-attempts = Versuche
admin-outbox-error = Letzter Fehler
admin-outbox-resend = Erneut senden
admin-outbox-resent = Die E-Mail ist wieder in der Warteschlange.
admin-outbox-empty = Alle E-Mails wurden zugestellt.

## admin.pipelines

admin-pipelines-title = Pipelines und Posteingänge
admin-pipelines-new = Neue Pipeline
admin-pipelines-label = Bezeichnung
admin-pipelines-add_stage = Neue Phase
admin-pipelines-closed = geschlossene Phase
admin-pipelines-open_stages = Offene Phasen, eine pro Zeile, in Reihenfolge
admin-pipelines-closed_stages = Geschlossene Phasen, eine pro Zeile

## admin.portal

admin-portal = Kundenportal

## admin.preview

admin-preview = Portal als dieser Kontakt öffnen (nur lesend)

## admin.properties

admin-properties-title = Eigenschaften
admin-properties-tickets = Ticket-Eigenschaften
admin-properties-contacts = Kontakt-Eigenschaften
admin-properties-new = Neue Eigenschaft
admin-properties-object = Für
admin-properties-name = Interner Name
admin-properties-kind = Art
admin-properties-options = Optionen
admin-properties-options_help = Optionen für Text, eine pro Zeile (leer lassen für freien Text)
admin-properties-builtin = eingebaut

## admin.role

admin-role-admin = Admin
admin-role-agent = Agent

## admin.settings

admin-settings-title = Portal-Einstellungen
admin-settings-saved = Gespeichert.
admin-settings-save = Speichern
admin-settings-general = Allgemein
admin-settings-domain = Domain
admin-settings-inbox = Posteingang
admin-settings-permissions = Kundenberechtigungen
admin-settings-visibility = Ticket-Sichtbarkeit
admin-settings-columns = Spalten der Ticketliste
admin-settings-display = Anzeige von Zuständigkeit und Status
admin-settings-actions = Ticket-Aktionen
admin-settings-access = Zugangskontrolle
admin-settings-consent = Einwilligungshinweis
admin-settings-form = Supportformular und Erscheinungsbild
admin-settings-enabled = Das Portal ist eingeschaltet
admin-settings-name = Portalname (Browser-Tab)
admin-settings-slug = Pfad (Slug)
admin-settings-ticket_singular = Bezeichnung für ein Ticket
admin-settings-ticket_plural = … und für mehrere
admin-settings-idle = Abmelden nach Inaktivität
admin-settings-absolute = Längste Sitzung (Stunden)
admin-settings-kb = Link zur Wissensdatenbank zeigen
admin-settings-notify_text = Antwort-E-Mails enthalten den Antworttext
admin-settings-any_domain = Jede Domain dieser Instanz
admin-settings-new_host = Domain hinzufügen
admin-settings-language = Hauptsprache
admin-settings-default_inbox = Standard-Posteingang
admin-settings-company_own = Kontakte sehen nur eigene Tickets
admin-settings-company_all = Kontakte sehen auch die Tickets ihres Unternehmens
admin-settings-company_filtered = Nur Kontakte, die diese Gruppen erfüllen, sehen die Tickets ihres Unternehmens
admin-settings-filter_groups = Filtergruppen (eine pro Zeile)
admin-settings-filter_help = Eine Gruppe pro Zeile; innerhalb einer Zeile müssen alle mit AND verbundenen Bedingungen gelten; eine Zeile genügt. Beispiel: tier = gold AND seats > 10. Operatoren: =, !=, in, not in, contains, starts with, is known, is unknown, >, <. Eigenschaften:
admin-settings-ticket_filter = Nur Tickets, die diese Gruppen erfüllen, erscheinen im Portal (leer: alle Tickets)
admin-settings-column_label = Beschriftung
admin-settings-up = Nach oben
admin-settings-down = Nach unten
admin-settings-remove = Entfernen
admin-settings-add_column = Spalte hinzufügen
admin-settings-add = Hinzufügen
admin-settings-reset_columns = Auf die empfohlenen Spalten zurücksetzen
admin-settings-owner_display = Zuständige Person anzeigen als
admin-settings-owner_first = Vorname
admin-settings-owner_full = Vollständiger Name
admin-settings-owner_last = Nachname
admin-settings-owner_alias = Alias
admin-settings-status_display = Status anzeigen als
admin-settings-status_open_closed = Offen oder Geschlossen
admin-settings-status_stages = Die Pipeline-Phase
admin-settings-reply_when_closed = Kunden dürfen auf geschlossene Tickets antworten
admin-settings-allow_close = Kunden dürfen Tickets schließen
admin-settings-customers_add_ccs = Anfragende dürfen Personen per E-Mail zu ihren Tickets hinzufügen (diese sehen und beantworten sie dann)
admin-settings-ccs_same_company = Von Kunden hinzugefügte Personen müssen zum Unternehmen der anfragenden Person gehören
admin-settings-company_reply = Wer Unternehmens-Tickets beantworten darf
admin-settings-company_close = Wer Unternehmens-Tickets schließen darf
admin-settings-right_same = Alle, die sie sehen
admin-settings-right_none = Niemand (Unternehmens-Tickets nur lesen; eigene Tickets wie immer)
admin-settings-right_filtered = Wer sie sieht und diesen Filter erfüllt (eine Gruppe pro Zeile, wie oben)
admin-settings-private_by_default = Neue Tickets von Kunden sind privat (nur die anfragende Person und hinzugefügte Personen sehen sie)
admin-settings-customers_choose_privacy = Kunden wählen, ob ein Ticket privat oder mit ihrem Unternehmen geteilt ist, beim Erstellen und später
admin-settings-access_log_days = Zugriffsprotokolle der Unternehmen aufbewahren (Tage)
admin-settings-access_log_days_help = Portal-Admins eines Unternehmens sehen, wer im Unternehmen dessen Tickets angesehen, exportiert, beantwortet, geschlossen und übergeben hat; ältere Einträge werden gelöscht.
admin-settings-close_stage = Abschlussphase für
admin-settings-access_groups = Zugangsgruppen (Mitglieder erhalten eine Registrierungs-E-Mail)
admin-settings-self_registration = Jeder darf sich registrieren
admin-settings-password_login = Anmeldung mit E-Mail und Passwort anbieten
admin-settings-sso = Single Sign-on
admin-settings-sso_off = Aus
admin-settings-sso_all = Jeder Benutzer des Identitätsanbieters
admin-settings-sso_lists = Nur Kontakte auf diesen Listen
admin-settings-sso_create = Für unbekannte Benutzer einen Kontakt anlegen
admin-settings-sso_company = Die Organisation bestimmt das Hauptunternehmen
admin-settings-consent_text = Hinweistext
admin-settings-consent_label = Beschriftung des Kontrollkästchens
admin-settings-links = Links, einer pro Zeile: Text | URL
admin-settings-form_enabled = Das Supportformular ist verbunden
admin-settings-form_menu = Menütext
admin-settings-form_header = Kopftext
admin-settings-form_fields = Zusätzliche Felder, eines pro Zeile: Eigenschaft | Beschriftung | required
admin-settings-branding = Erscheinungsbild
admin-settings-primary_color = Hauptfarbe
admin-settings-background_color = Hintergrund
admin-settings-text_color = Text
admin-settings-nav = Navigationslinks, einer pro Zeile: Text | URL
admin-settings-login_link = Kunden dürfen einen Anmeldelink per E-Mail anfordern
admin-settings-logo = Logo
admin-settings-favicon = Favicon
admin-settings-upload = Hochladen
admin-settings-remove_image = entfernen
admin-settings-image_hint = PNG, JPEG, GIF, WebP oder ICO, höchstens 1 MiB.
admin-settings-kb_url = Adresse der Wissensdatenbank
admin-settings-translations = Texte in anderen Sprachen
admin-settings-translations_help = Einer pro Zeile: Sprache | Feld | Text, z. B. de | support_form.menu_text | Anfrage stellen. Felder:
admin-settings-mail_creates_contacts = E-Mails unbekannter Absender
admin-settings-mail_creates_hint = In den hier angekreuzten Posteingängen legt eine E-Mail von einer Adresse, die kein Kontakt hat, den Kontakt (in der Firma, deren Web-Domain die der Adresse ist) und sein Ticket an. Sonst wartet eine solche E-Mail unter „Zurückgehaltene E-Mails“.
admin-settings-time_zone = Zeitzone
admin-settings-time_zone_help = Darin werden Zeiten dem Team und Kunden ohne eigene Wahl angezeigt (Kunden wählen ihre eigene auf ihrer Kontoseite; die erste Anmeldung übernimmt die des Browsers).

## admin.setup

admin-setup-title = Portal einrichten
admin-setup-step = Schritt { $n }
admin-setup-name = Portal benennen
admin-setup-address = Wo Kunden es finden
admin-setup-tickets = Neue Tickets und was Kunden sehen
admin-setup-switch_on = Portal einschalten
admin-setup-next = Speichern und weiter
admin-setup-finish = Fertigstellen

## admin.templates

admin-templates-title = Vorlagen
admin-templates-pages = Seiten
admin-templates-mails = E-Mails (je Sprache)
admin-templates-customized = angepasst
admin-templates-custom = Dies ist Ihre eigene Vorlage.
admin-templates-builtin = Dies ist die eingebaute Vorlage; Speichern macht sie zu Ihrer.
admin-templates-mail_help = Erste Zeile: Subject: …, dann eine Leerzeile und der Text. Variablen: {"{{"}name{"}}"}, {"{{"}link{"}}"}, {"{{"}portal{"}}"}; Antworten auch {"{{"}author{"}}"}, {"{{"}subject{"}}"}, {"{{"}reply{"}}"}.
admin-templates-page_help = Handlebars, mit dem Layout und dem t-Helper für übersetzte Texte. Eine Vorlage, die beim Rendern scheitert, fällt auf die eingebaute zurück (und wird protokolliert).
admin-templates-source = Vorlage
admin-templates-preview = Vorschau
admin-templates-reset = Zurück zur eingebauten Vorlage
admin-templates-no_preview = Diese Seite braucht für die Vorschau einen Kunden; sehen Sie das Portal eines Kontakts unter „Zugriff erklären“.
admin-templates-preview_contact = Vorschau als Kontakt mit dieser E-Mail-Adresse
admin-templates-preview_contact_missing = Kein Kontakt hat diese E-Mail-Adresse.
admin-templates-preview_no_ticket = Dieser Kontakt hat kein Ticket, das gezeigt werden kann.

## admin.ticket

admin-ticket-pipeline = Pipeline
admin-ticket-contacts = Kontakte
admin-ticket-companies = Unternehmen
admin-ticket-created = Erstellt
admin-ticket-move = Verschieben
admin-ticket-assign = Zuweisen
admin-ticket-people = Beteiligte Personen
admin-ticket-remove_participant = Entfernen
admin-ticket-add_participant = Beteiligte Person hinzufügen (E-Mail eines Kontakts)
admin-ticket-add = Hinzufügen
admin-ticket-new_requester = Neue anfragende Person (E-Mail eines Kontakts)
admin-ticket-keep_requester = Die bisherige anfragende Person bleibt beteiligt
admin-ticket-change_requester = Anfragende Person ändern
admin-ticket-thread = Unterhaltung
admin-ticket-internal = interne Notiz
admin-ticket-answer = Antworten
admin-ticket-text = Nachricht (Markdown)
admin-ticket-as_note = Interne Notiz (für Kunden nie sichtbar)
admin-ticket-send = Senden
admin-ticket-edit = Betreff und Eigenschaften
admin-ticket-activity = Aktivität im Portal
admin-ticket-customer_thread = Die Unterhaltung, die der Kunde sieht
admin-ticket-other_thread = Eine weitere Unterhaltung (der Kunde sieht sie nicht)
admin-ticket-new_conversation = Neue Unterhaltung beginnen (der Kunde sieht sie nicht und wird nicht benachrichtigt)
admin-ticket-original_mail = Original-E-Mail

## admin.tokens

admin-tokens-title = API-Token
admin-tokens-help = Mit einem Token nutzt ein Programm die JSON-API unter /api/v1 in Ihrem Namen und mit Ihrer Rolle. Senden Sie ihn als „Authorization: Bearer“ gefolgt vom Token.
admin-tokens-once = Kopieren Sie diesen Token jetzt: Er wird nur einmal angezeigt.
admin-tokens-name = Name des neuen Tokens
admin-tokens-revoke = Widerrufen
admin-tokens-empty = Keine Token.

## admin.yes

admin-yes = ja
