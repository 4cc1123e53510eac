### portal: Staff pages (inbox, tickets, settings) (nl).
### Keys: dots in the code become dashes here (list.count is list-count).

## admin.agents

admin-agents-title = Medewerkers
admin-agents-alias = Alias
admin-agents-help = Klanten zien de alias als ticketeigenaar wanneer de weergave op alias staat.

## admin.answer

admin-answer-empty = Schrijf een bericht of voeg een bestand toe.

## admin.any

admin-any = Alle

## admin.channel

admin-channel-portal = via het portaal
admin-channel-email = via e-mail
admin-channel-api = via de API
admin-channel-inbox = in de inbox
admin-channel-import = geïmporteerd

## admin.companies

admin-companies-title = Bedrijven
admin-companies-search = Naam of domein bevat
admin-companies-empty = Geen bedrijven.
admin-companies-new = Nieuw bedrijf
admin-companies-edit = Bedrijf bewerken
admin-companies-domain = Webdomein

## admin.conflict

admin-conflict-title = Intussen gewijzigd
admin-conflict-body = Iemand heeft deze instellingen opgeslagen nadat u de pagina opende. Laad de pagina opnieuw en voer uw wijziging opnieuw in.

## admin.contact

admin-contact-event-submitted = heeft het ticket in het portaal ingediend
admin-contact-event-replied = heeft in het portaal geantwoord
admin-contact-event-closed = heeft het ticket in het portaal gesloten
admin-contact-event-cc_added = heeft in het portaal een persoon aan het ticket toegevoegd
admin-contact-event-cc_removed = heeft in het portaal een persoon van het ticket verwijderd
admin-contact-event-handed_over = heeft het ticket in het portaal aan een collega overgedragen
admin-contact-event-made_private = maakte het ticket privé in het portaal
admin-contact-event-made_shared = deelde het ticket met het bedrijf in het portaal
admin-contact-event-mail_ticket = heeft het ticket per e-mail ingediend
admin-contact-event-mail_reply = heeft per e-mail geantwoord

## admin.contacts

admin-contacts-title = Contactpersonen
admin-contacts-search = Naam of e-mail bevat
admin-contacts-empty = Geen contactpersonen.
admin-contacts-new = Nieuwe contactpersoon
admin-contacts-edit = Contactpersoon bewerken
admin-contacts-first_name = Voornaam
admin-contacts-last_name = Achternaam
admin-contacts-membership_email = Lidmaatschaps-e-mail (registratiemails gaan hierheen)
admin-contacts-company = Primair bedrijf
admin-contacts-language = Taal
admin-contacts-login = Portaallogin
admin-contacts-company_admin = Portaalbeheerder van het bedrijf
admin-contacts-company_admin_yes = Ja: leest het toegangslogboek van het bedrijf in het portaal
admin-contacts-company_admin_no = Nee
admin-contacts-company_admin_on = Portaalbeheerder maken
admin-contacts-company_admin_off = Geen portaalbeheerder meer
admin-contacts-explain = Het portaal bekijken zoals deze contactpersoon het ziet
admin-contacts-timeline = Tijdlijn
admin-contacts-no_activity = Nog geen activiteit in het portaal.
admin-contacts-tickets = Tickets
admin-contacts-no_tickets = Geen tickets.
admin-contacts-own = eigen
admin-contacts-of_company = bedrijf

## admin.done

admin-done-replied = Uw antwoord is verstuurd; de klant krijgt een e-mail.
admin-done-noted = Uw interne notitie is opgeslagen.
admin-done-stage = Het ticket is verplaatst.
admin-done-owner = De eigenaar is gewijzigd.
admin-done-participant_added = De deelnemer is toegevoegd.
admin-done-participant_removed = De deelnemer is verwijderd.
admin-done-requester = De aanvrager is gewijzigd.
admin-done-properties = Het ticket is opgeslagen.
admin-done-contact_saved = De contactpersoon is opgeslagen.
admin-done-company_saved = Het bedrijf is opgeslagen.
admin-done-pipeline_saved = De pijplijn is opgeslagen.
admin-done-inbox_saved = De inbox is aangemaakt.
admin-done-property_saved = De eigenschap is aangemaakt.
admin-done-alias_saved = De alias is opgeslagen.
admin-done-token_revoked = Het token is ingetrokken.
admin-done-login_disabled = De login is uitgeschakeld; de sessies zijn beëindigd.
admin-done-login_enabled = De login is ingeschakeld.
admin-memberships-title = Bedrijven
admin-memberships-help = Het contact ziet de tickets van elk bedrijf volgens zijn rechten: volgens de regels van het portaal (wie bedrijfstickets ziet, beantwoordt en sluit) of zoals hier voor dit bedrijf toegekend. Portaalbeheerders van het bedrijf kunnen een collega verder beperken.
admin-memberships-rights = Rechten
admin-memberships-limited = Beperkt door de portaalbeheerder van het bedrijf
admin-memberships-primary = primair
admin-memberships-rules = Regels van het portaal
admin-memberships-custom = Hier toegekend:
admin-memberships-see = zien
admin-memberships-reply = beantwoorden
admin-memberships-close = sluiten
admin-memberships-remove = Verwijderen
admin-memberships-add = Aan bedrijf toevoegen
admin-memberships-add_placeholder = Naam of domein
admin-memberships-add_button = Toevoegen
admin-done-membership_saved = Het lidmaatschap is opgeslagen.
admin-done-membership_removed = Het contact is uit het bedrijf verwijderd.
admin-done-company_admin_on = Het contact is nu portaalbeheerder van zijn bedrijf en ziet het toegangslogboek.
admin-done-company_admin_off = Het contact is geen portaalbeheerder van zijn bedrijf meer.

## admin.explain

admin-explain-title = Toegang uitleggen
admin-explain-intro = Bekijk het portaal zoals een contactpersoon: elk ticket van de contactpersoon en het bedrijf, met de regel die het toont of verbergt.
admin-explain-contact = E-mail van de contactpersoon
admin-explain-show = Uitleggen
admin-explain-missing = Geen contactpersoon heeft dit e-mailadres.
admin-explain-summary =
    { $total ->
        [one] Ziet { $visible } van { $total } ticket.
       *[other] Ziet { $visible } van { $total } tickets.
    }
admin-explain-sees = Zichtbaar
admin-explain-rule = Regel
admin-explain-own = eigen ticket (gekoppeld aan de contactpersoon)
admin-explain-company = bedrijfsticket (bedrijfstoegang staat aan)
admin-explain-group = bedrijfsticket (filtergroep { $n } klopt)
admin-explain-not_associated = niet gekoppeld aan de contactpersoon of het hoofdbedrijf
admin-explain-company_off = bedrijfsticket, maar bedrijfstoegang staat uit
admin-explain-no_group = bedrijfsticket, maar de contactpersoon past in geen filtergroep
admin-explain-filtered = verborgen door het zichtbaarheidsfilter voor tickets
admin-explain-private = privéticket (alleen de aanvrager en deelnemers zien het)
admin-explain-grant_all = Bedrijfstickets: ja, elke contactpersoon van het bedrijf.
admin-explain-grant_group = Bedrijfstickets: ja, filtergroep { $n } klopt.
admin-explain-grant_off = Bedrijfstickets: nee, bedrijfstoegang staat uit.
admin-explain-grant_none = Bedrijfstickets: nee, de contactpersoon past in geen filtergroep.
admin-explain-grant_no_company = Bedrijfstickets: nee, de contactpersoon heeft geen hoofdbedrijf.

## admin.forbidden

admin-forbidden-title = Niet toegestaan
admin-forbidden-body = Uw rol staat dit niet toe. Vraag het een beheerder.

## admin.inbox

admin-inbox-title = Inbox
admin-inbox-inbox = Inbox
admin-inbox-stage = Fase
admin-inbox-owner = Eigenaar
admin-inbox-status = Status
admin-inbox-mine = Van mij
admin-inbox-unassigned = Niet toegewezen
admin-inbox-apply = Tonen
admin-inbox-subject = Onderwerp
admin-inbox-requester = Aangevraagd door
admin-inbox-activity = Laatste activiteit
admin-inbox-empty = Geen tickets gevonden.
admin-inbox-channel = Kanaal

## admin.inboxes

admin-inboxes-title = Inboxen
admin-inboxes-new = Nieuwe inbox
admin-inboxes-default = standaardinbox van het portaal

## admin.lists

admin-lists-title = Contactlijsten
admin-lists-new = Nieuwe lijst
admin-lists-create = Aanmaken
admin-lists-name = Naam
admin-lists-members = Leden
admin-lists-group = toegangsgroep (leden mogen inloggen en krijgen een registratiemail)
admin-lists-add = Contactpersoon toevoegen via e-mail
admin-lists-add_button = Toevoegen
admin-lists-remove = Verwijderen
admin-lists-invite = Registratiemail opnieuw versturen
admin-lists-has_login = heeft een login
admin-lists-no_login = nog geen login
admin-lists-no_contact = Geen contactpersoon heeft dit e-mailadres.
admin-lists-not_group = Deze lijst is geen toegangsgroep.
admin-lists-done_added = De contactpersoon is toegevoegd.
admin-lists-done_invited = De registratiemail is onderweg.
admin-lists-done_removed = De contactpersoon is van de lijst verwijderd.
admin-lists-empty = Nog geen lijsten.

## admin.login

admin-login-title = Inloggen voor medewerkers
admin-login-disable = Login uitschakelen
admin-login-enable = Login inschakelen
admin-login-disabled = uitgeschakeld
admin-login-active = actief

## admin.mailboxes

admin-mailboxes-title = Mailboxen
admin-mailboxes-intro = De IMAP-mailboxen die het portaal voor zijn inboxen leest: elke nieuwe e-mail wordt een ticket of een antwoord, zoals bij [[mail.inbound]] in portal.toml (die worden ook gelezen). Wijzigingen bereiken elke server binnen enkele seconden. Een wachtwoord wordt verzegeld met de geheime sleutel van de server en nooit meer getoond.
admin-mailboxes-address = Mailbox
admin-mailboxes-status = Laatste ronde
admin-mailboxes-off = uitgeschakeld
admin-mailboxes-unchecked = nog niet gelezen
admin-mailboxes-working = werkt (laatst gelezen { $at })
admin-mailboxes-failing = fout sinds { $at }: { $error }
admin-mailboxes-every = elke { $n } s
admin-mailboxes-password_unreadable = Deze server kan het opgeslagen wachtwoord niet openen (het is verzegeld met een andere geheime sleutel): voer het opnieuw in.
admin-mailboxes-edit = Bewerken
admin-mailboxes-delete = Verwijderen
admin-mailboxes-empty = Er is hier nog geen mailbox.
admin-mailboxes-add = Mailbox toevoegen
admin-mailboxes-host = IMAP-server
admin-mailboxes-port = Poort
admin-mailboxes-port_help = Leeg: 993 met TLS, 143 zonder.
admin-mailboxes-tls = TLS vanaf de eerste byte (IMAPS); alleen uitschakelen voor een server op deze machine of in een privénetwerk
admin-mailboxes-user = Gebruikersnaam
admin-mailboxes-password = Wachtwoord
admin-mailboxes-password_keep = Laat leeg om het opgeslagen wachtwoord te houden.
admin-mailboxes-folder = Map
admin-mailboxes-poll_seconds = Seconden tussen rondes (5–3600; biedt de server IDLE, dan wordt nieuwe post meteen opgehaald)
admin-mailboxes-delete_taken = Opgehaalde e-mails van de server verwijderen (anders blijven ze staan, gemarkeerd als opgehaald)
admin-mailboxes-enabled = Deze mailbox lezen
admin-mailboxes-cancel = Annuleren
admin-mailboxes-created = De mailbox is toegevoegd; het portaal leest hem binnen enkele seconden.
admin-mailboxes-saved = De mailbox is opgeslagen.
admin-mailboxes-deleted = De mailbox is verwijderd.

## admin.mailin

admin-mailin-title = Vastgehouden inkomende e-mail
admin-mailin-intro = E-mails die binnenkwamen maar geen ticket en geen antwoord werden, nieuwste eerst, met de reden. Download het origineel, los de oorzaak op (voeg bijvoorbeeld het contact toe) en probeer het opnieuw, of verwijder de e-mail.
admin-mailin-received = Ontvangen
admin-mailin-inbox = Inbox
admin-mailin-sender = Van
admin-mailin-subject = Onderwerp
admin-mailin-reason = Reden
admin-mailin-download = Downloaden
admin-mailin-retry = Opnieuw proberen
admin-mailin-delete = Verwijderen
admin-mailin-retried = De e-mail is opnieuw verwerkt.
admin-mailin-deleted = De e-mail is verwijderd.
admin-mailin-empty = Er wordt geen e-mail vastgehouden.
admin-mailin-reason-unparsable = niet leesbaar als e-mail
admin-mailin-reason-too_large = groter dan de uploadlimieten toestaan
admin-mailin-reason-no_sender = geen afzenderadres
admin-mailin-reason-unknown_sender = geen contact heeft het adres van de afzender, en deze inbox maakt geen contacten aan
admin-mailin-reason-attachment_limit = de bijlagen overschrijden de uploadlimieten
admin-mailin-reason-empty = geen tekst en geen bijlagen
admin-mailin-reason-invalid = de tekst is langer dan een bericht mag zijn
admin-mailin-reason-unknown_inbox = de inbox bestaat niet meer
admin-mailin-reason-raw_missing = het origineel ontbreekt in de opslag

## admin.menu

admin-menu = Menu

## admin.name

admin-name = Team

## admin.no

admin-no = nee

## admin.outbox

admin-outbox-title = Niet bezorgde e-mail
admin-outbox-intro = E-mails die de server na herhaalde pogingen heeft opgegeven, nieuwste eerst. Los de oorzaak op (het adres, de mailserver) en verstuur ze opnieuw.
admin-outbox-to = Aan
admin-outbox-kind = E-mail
admin-outbox-attempts = Pogingen
admin-outbox-error = Laatste fout
admin-outbox-resend = Opnieuw versturen
admin-outbox-resent = De e-mail staat weer in de wachtrij.
admin-outbox-empty = Alle e-mails zijn bezorgd.

## admin.pipelines

admin-pipelines-title = Pijplijnen en inboxen
admin-pipelines-new = Nieuwe pijplijn
admin-pipelines-label = Label
admin-pipelines-add_stage = Nieuwe fase
admin-pipelines-closed = gesloten fase
admin-pipelines-open_stages = Open fasen, één per regel, op volgorde
admin-pipelines-closed_stages = Gesloten fasen, één per regel

## admin.portal

admin-portal = Klantportaal

## admin.preview

admin-preview = Portaal openen als dit contact (alleen lezen)

## admin.properties

admin-properties-title = Eigenschappen
admin-properties-tickets = Ticketeigenschappen
admin-properties-contacts = Contacteigenschappen
admin-properties-new = Nieuwe eigenschap
admin-properties-object = Voor
admin-properties-name = Interne naam
admin-properties-kind = Soort
admin-properties-options = Opties
admin-properties-options_help = Opties voor tekst, één per regel (leeg laten voor vrije tekst)
admin-properties-builtin = ingebouwd

## admin.role

admin-role-admin = beheerder
admin-role-agent = medewerker

## admin.settings

admin-settings-title = Portaalinstellingen
admin-settings-saved = Opgeslagen.
admin-settings-save = Opslaan
admin-settings-general = Algemeen
admin-settings-domain = Domein
admin-settings-inbox = Inbox
admin-settings-permissions = Klantrechten
admin-settings-visibility = Zichtbaarheid van tickets
admin-settings-columns = Kolommen van de ticketlijst
admin-settings-display = Weergave van eigenaar en status
admin-settings-actions = Ticketacties
admin-settings-access = Toegangsbeheer
admin-settings-consent = Toestemmingsverklaring
admin-settings-form = Supportformulier en huisstijl
admin-settings-enabled = Het portaal staat aan
admin-settings-name = Naam van het portaal (browsertab)
admin-settings-slug = Pad (slug)
admin-settings-ticket_singular = Naam voor een ticket
admin-settings-ticket_plural = … en voor meerdere
admin-settings-idle = Uitloggen na inactiviteit
admin-settings-absolute = Langste sessie (uren)
admin-settings-kb = Link naar de kennisbank tonen
admin-settings-notify_text = Antwoordmails bevatten de tekst van het antwoord
admin-settings-any_domain = Elk domein van deze installatie
admin-settings-new_host = Domein toevoegen
admin-settings-language = Hoofdtaal
admin-settings-default_inbox = Standaardinbox
admin-settings-company_own = Contactpersonen zien alleen hun eigen tickets
admin-settings-company_all = Contactpersonen zien ook de tickets van hun bedrijf
admin-settings-company_filtered = Alleen contactpersonen die aan deze groepen voldoen zien de tickets van hun bedrijf
admin-settings-filter_groups = Filtergroepen (één per regel)
admin-settings-filter_help = Eén groep per regel; binnen een regel moeten alle met AND verbonden voorwaarden gelden; één regel is genoeg. Voorbeeld: tier = gold AND seats > 10. Operatoren: =, !=, in, not in, contains, starts with, is known, is unknown, >, <. Eigenschappen:
admin-settings-ticket_filter = Alleen tickets die aan deze groepen voldoen verschijnen in het portaal (leeg: alle tickets)
admin-settings-column_label = label
admin-settings-up = Omhoog
admin-settings-down = Omlaag
admin-settings-remove = Verwijderen
admin-settings-add_column = Kolom toevoegen
admin-settings-add = Toevoegen
admin-settings-reset_columns = Terugzetten naar de aanbevolen kolommen
admin-settings-owner_display = Eigenaar tonen als
admin-settings-owner_first = Voornaam
admin-settings-owner_full = Volledige naam
admin-settings-owner_last = Achternaam
admin-settings-owner_alias = Alias
admin-settings-status_display = Status tonen als
admin-settings-status_open_closed = Open of Gesloten
admin-settings-status_stages = De fase in de pijplijn
admin-settings-reply_when_closed = Klanten mogen op gesloten tickets reageren
admin-settings-allow_close = Klanten mogen tickets sluiten
admin-settings-customers_add_ccs = Aanvragers mogen personen via e-mail aan hun tickets toevoegen (die zien en beantwoorden ze dan)
admin-settings-ccs_same_company = Personen die klanten toevoegen moeten bij het bedrijf van de aanvrager horen
admin-settings-company_reply = Wie bedrijfstickets mag beantwoorden
admin-settings-company_close = Wie bedrijfstickets mag sluiten
admin-settings-right_same = Iedereen die ze ziet
admin-settings-right_none = Niemand (bedrijfstickets alleen lezen; eigen tickets zoals altijd)
admin-settings-right_filtered = Wie ze ziet en aan dit filter voldoet (één groep per regel, zoals hierboven)
admin-settings-private_by_default = Nieuwe tickets van klanten zijn privé (alleen de aanvrager en toegevoegde personen zien ze)
admin-settings-customers_choose_privacy = Klanten kiezen of een ticket privé is of gedeeld met hun bedrijf, bij het aanmaken en later
admin-settings-access_log_days = Toegangslogboeken van bedrijven bewaren (dagen)
admin-settings-access_log_days_help = Portaalbeheerders van een bedrijf zien wie in het bedrijf de tickets ervan heeft bekeken, geëxporteerd, beantwoord, gesloten en overgedragen; oudere vermeldingen worden verwijderd.
admin-settings-close_stage = Afsluitende fase voor
admin-settings-access_groups = Toegangsgroepen (leden krijgen een registratiemail)
admin-settings-self_registration = Iedereen mag zich registreren
admin-settings-password_login = Inloggen met e-mail en wachtwoord aanbieden
admin-settings-sso = Single sign-on
admin-settings-sso_off = Uit
admin-settings-sso_all = Elke gebruiker van de identiteitsprovider
admin-settings-sso_lists = Alleen contactpersonen op deze lijsten
admin-settings-sso_create = Een contactpersoon aanmaken voor een onbekende gebruiker
admin-settings-sso_company = De organisatie bepaalt het hoofdbedrijf
admin-settings-consent_text = Tekst
admin-settings-consent_label = Label van het selectievakje
admin-settings-links = Links, één per regel: tekst | URL
admin-settings-form_enabled = Het supportformulier is gekoppeld
admin-settings-form_menu = Menutekst
admin-settings-form_header = Koptekst
admin-settings-form_fields = Extra velden, één per regel: eigenschap | label | required
admin-settings-branding = Huisstijl
admin-settings-primary_color = Hoofdkleur
admin-settings-background_color = Achtergrond
admin-settings-text_color = Tekst
admin-settings-nav = Navigatielinks, één per regel: tekst | URL
admin-settings-login_link = Klanten mogen een inloglink per e-mail aanvragen
admin-settings-logo = Logo
admin-settings-favicon = Favicon
admin-settings-upload = Uploaden
admin-settings-remove_image = verwijderen
admin-settings-image_hint = PNG, JPEG, GIF, WebP of ICO, hoogstens 1 MiB.
admin-settings-kb_url = Adres van de kennisbank
admin-settings-translations = Teksten in andere talen
admin-settings-translations_help = Eén per regel: taal | veld | tekst, bijv. nl | support_form.menu_text | Vraag stellen. Velden:
admin-settings-mail_creates_contacts = E-mail van onbekende afzenders
admin-settings-mail_creates_hint = In de hier aangevinkte inboxen maakt een e-mail van een adres dat geen contact heeft het contact aan (bij het bedrijf waarvan het webdomein dat van het adres is) en zijn ticket. Elders wacht zo'n e-mail onder „Vastgehouden inkomende e-mail”.
admin-settings-time_zone = Tijdzone
admin-settings-time_zone_help = Tijden worden daarin getoond aan het team en aan klanten die zelf niets kozen (klanten kiezen hun eigen op hun accountpagina; de eerste aanmelding neemt die van de browser over).

## admin.setup

admin-setup-title = Portaal instellen
admin-setup-step = Stap { $n }
admin-setup-name = Geef het portaal een naam
admin-setup-address = Waar klanten het vinden
admin-setup-tickets = Nieuwe tickets en wat klanten zien
admin-setup-switch_on = Portaal aanzetten
admin-setup-next = Opslaan en verder
admin-setup-finish = Afronden

## admin.templates

admin-templates-title = Sjablonen
admin-templates-pages = Pagina's
admin-templates-mails = E-mails (per taal)
admin-templates-customized = aangepast
admin-templates-custom = Dit is uw eigen sjabloon.
admin-templates-builtin = Dit is het ingebouwde sjabloon; opslaan maakt het van u.
admin-templates-mail_help = Eerste regel: Subject: …, dan een lege regel en de tekst. Variabelen: {"{{"}name{"}}"}, {"{{"}link{"}}"}, {"{{"}portal{"}}"}; antwoorden ook {"{{"}author{"}}"}, {"{{"}subject{"}}"}, {"{{"}reply{"}}"}.
admin-templates-page_help = Handlebars, met de layout en de t-helper voor vertaalde tekst. Een sjabloon dat bij het renderen faalt, valt terug op het ingebouwde (en wordt gelogd).
admin-templates-source = Sjabloon
admin-templates-preview = Voorbeeld
admin-templates-reset = Terug naar het ingebouwde sjabloon
admin-templates-no_preview = Deze pagina heeft voor een voorbeeld een klant nodig; bekijk het portaal van een contactpersoon via Toegang uitleggen.
admin-templates-preview_contact = Voorbeeld als het contact met dit e-mailadres
admin-templates-preview_contact_missing = Geen contact heeft dit e-mailadres.
admin-templates-preview_no_ticket = Dit contact heeft geen ticket om te tonen.

## admin.ticket

admin-ticket-pipeline = Pijplijn
admin-ticket-contacts = Contactpersonen
admin-ticket-companies = Bedrijven
admin-ticket-created = Aangemaakt
admin-ticket-move = Verplaatsen
admin-ticket-assign = Toewijzen
admin-ticket-people = Betrokken personen
admin-ticket-remove_participant = Verwijderen
admin-ticket-add_participant = Deelnemer toevoegen (e-mail van een contact)
admin-ticket-add = Toevoegen
admin-ticket-new_requester = Nieuwe aanvrager (e-mail van een contact)
admin-ticket-keep_requester = De vorige aanvrager blijft deelnemer
admin-ticket-change_requester = Aanvrager wijzigen
admin-ticket-thread = Gesprek
admin-ticket-internal = interne notitie
admin-ticket-answer = Beantwoorden
admin-ticket-text = Bericht (Markdown)
admin-ticket-as_note = Interne notitie (klanten zien dit nooit)
admin-ticket-send = Versturen
admin-ticket-edit = Onderwerp en eigenschappen
admin-ticket-activity = Activiteit in het portaal
admin-ticket-customer_thread = Het gesprek dat de klant ziet
admin-ticket-other_thread = Een ander gesprek (de klant ziet het niet)
admin-ticket-new_conversation = Een nieuw gesprek beginnen (de klant ziet het niet en krijgt geen bericht)
admin-ticket-original_mail = originele e-mail

## admin.tokens

admin-tokens-title = API-tokens
admin-tokens-help = Met een token gebruikt een programma de JSON-API op /api/v1 namens u, met uw rol. Stuur het als "Authorization: Bearer" gevolgd door het token.
admin-tokens-once = Kopieer dit token nu: het wordt maar één keer getoond.
admin-tokens-name = Naam van het nieuwe token
admin-tokens-revoke = Intrekken
admin-tokens-empty = Geen tokens.

## admin.yes

admin-yes = ja
