### portal: Staff pages (inbox, tickets, settings) (da).
### Keys: dots in the code become dashes here (list.count is list-count).

## admin.agents

admin-agents-title = Medarbejdere
admin-agents-alias = Alias
admin-agents-help = Kunder ser aliasset som sagsejer, når visningen af ejer er sat til alias.

## admin.answer

admin-answer-empty = Skriv en besked, eller vedhæft en fil.

## admin.any

admin-any = Alle

## admin.channel

admin-channel-portal = via portalen
admin-channel-email = via e-mail
admin-channel-api = via API'et
admin-channel-inbox = i indbakken
admin-channel-import = importeret

## admin.companies

admin-companies-title = Virksomheder
admin-companies-search = Navn eller domæne indeholder
admin-companies-empty = Ingen virksomheder.
admin-companies-new = Ny virksomhed
admin-companies-edit = Rediger virksomhed
admin-companies-domain = Webdomæne

## admin.conflict

admin-conflict-title = Ændret i mellemtiden
admin-conflict-body = Nogen har gemt indstillingerne, efter du åbnede siden. Genindlæs siden, og foretag ændringen igen.

## admin.contact

admin-contact-event-submitted = oprettede sagen i portalen
admin-contact-event-replied = svarede i portalen
admin-contact-event-closed = lukkede sagen i portalen
admin-contact-event-cc_added = tilføjede en person til sagen i portalen
admin-contact-event-cc_removed = fjernede en person fra sagen i portalen
admin-contact-event-handed_over = overdrog sagen til en kollega i portalen
admin-contact-event-made_private = gjorde sagen privat i portalen
admin-contact-event-made_shared = delte sagen med virksomheden i portalen
admin-contact-event-mail_ticket = oprettede sagen via e-mail
admin-contact-event-mail_reply = svarede via e-mail

## admin.contacts

admin-contacts-title = Kontakter
admin-contacts-search = Navn eller e-mail indeholder
admin-contacts-empty = Ingen kontakter.
admin-contacts-new = Ny kontakt
admin-contacts-edit = Rediger kontakt
admin-contacts-first_name = Fornavn
admin-contacts-last_name = Efternavn
admin-contacts-membership_email = Medlemskabs-e-mail (registreringsmails sendes hertil)
admin-contacts-company = Primær virksomhed
admin-contacts-language = Sprog
admin-contacts-login = Portallogin
admin-contacts-company_admin = Virksomhedens portaladministrator
admin-contacts-company_admin_yes = Ja: læser virksomhedens adgangslog i portalen
admin-contacts-company_admin_no = Nej
admin-contacts-company_admin_on = Gør til portaladministrator
admin-contacts-company_admin_off = Ikke længere portaladministrator
admin-contacts-explain = Se portalen, som denne kontakt ser den
admin-contacts-timeline = Tidslinje
admin-contacts-no_activity = Ingen aktivitet i portalen endnu.
admin-contacts-tickets = Sager
admin-contacts-no_tickets = Ingen sager.
admin-contacts-own = egen
admin-contacts-of_company = virksomhed

## admin.done

admin-done-replied = Dit svar er sendt; kunden får en e-mail.
admin-done-noted = Din interne note er gemt.
admin-done-stage = Sagen er flyttet.
admin-done-owner = Den ansvarlige er ændret.
admin-done-participant_added = Deltageren blev tilføjet.
admin-done-participant_removed = Deltageren blev fjernet.
admin-done-requester = Opretteren blev ændret.
admin-done-properties = Sagen blev gemt.
admin-done-contact_saved = Kontakten blev gemt.
admin-done-company_saved = Virksomheden blev gemt.
admin-done-pipeline_saved = Pipelinen blev gemt.
admin-done-inbox_saved = Indbakken blev oprettet.
admin-done-property_saved = Egenskaben blev oprettet.
admin-done-alias_saved = Aliasset blev gemt.
admin-done-token_revoked = Nøglen blev tilbagekaldt.
admin-done-login_disabled = Login er deaktiveret; sessionerne er afsluttet.
admin-done-login_enabled = Login er aktiveret.
admin-memberships-title = Virksomheder
admin-memberships-help = Kontakten ser hver virksomheds sager efter sine rettigheder: efter portalens regler (hvem der ser, besvarer og lukker virksomhedens sager) eller som tildelt her for denne virksomhed. Virksomhedens portaladministratorer kan begrænse en kollega yderligere.
admin-memberships-rights = Rettigheder
admin-memberships-limited = Begrænset af virksomhedens portaladministrator
admin-memberships-primary = primær
admin-memberships-rules = Portalens regler
admin-memberships-custom = Tildelt her:
admin-memberships-see = se
admin-memberships-reply = besvare
admin-memberships-close = lukke
admin-memberships-remove = Fjern
admin-memberships-add = Føj til virksomhed
admin-memberships-add_placeholder = Navn eller domæne
admin-memberships-add_button = Tilføj
admin-done-membership_saved = Medlemskabet blev gemt.
admin-done-membership_removed = Kontakten blev fjernet fra virksomheden.
admin-done-company_admin_on = Kontakten er nu portaladministrator for sin virksomhed og kan se dens adgangslog.
admin-done-company_admin_off = Kontakten er ikke længere portaladministrator for sin virksomhed.

## admin.explain

admin-explain-title = Forklar adgang
admin-explain-intro = Se portalen, som en kontakt ser den: hver sag for kontakten og virksomheden, med reglen, der viser eller skjuler den.
admin-explain-contact = Kontaktens e-mail
admin-explain-show = Forklar
admin-explain-missing = Ingen kontakt har denne e-mail.
admin-explain-summary =
    { $total ->
        [one] Ser { $visible } af { $total } sag.
       *[other] Ser { $visible } af { $total } sager.
    }
admin-explain-sees = Ser den
admin-explain-rule = Regel
admin-explain-own = egen sag (knyttet til kontakten)
admin-explain-company = virksomhedssag (virksomhedsadgang er slået til)
admin-explain-group = virksomhedssag (filtergruppe { $n } passer)
admin-explain-not_associated = ikke knyttet til kontakten eller dens primære virksomhed
admin-explain-company_off = virksomhedssag, men virksomhedsadgang er slået fra
admin-explain-no_group = virksomhedssag, men kontakten passer ikke i nogen filtergruppe
admin-explain-filtered = skjult af sagsfilteret for synlighed
admin-explain-private = privat sag (kun den, der oprettede den, og deltagere kan se den)
admin-explain-grant_all = Virksomhedssager: ja, alle virksomhedens kontakter.
admin-explain-grant_group = Virksomhedssager: ja, filtergruppe { $n } passer.
admin-explain-grant_off = Virksomhedssager: nej, virksomhedsadgang er slået fra.
admin-explain-grant_none = Virksomhedssager: nej, kontakten passer ikke i nogen filtergruppe.
admin-explain-grant_no_company = Virksomhedssager: nej, kontakten har ingen primær virksomhed.

## admin.forbidden

admin-forbidden-title = Ikke tilladt
admin-forbidden-body = Din rolle tillader ikke dette. Spørg en administrator.

## admin.inbox

admin-inbox-title = Indbakke
admin-inbox-inbox = Indbakke
admin-inbox-stage = Fase
admin-inbox-owner = Ansvarlig
admin-inbox-status = Status
admin-inbox-mine = Mine
admin-inbox-unassigned = Ikke tildelt
admin-inbox-apply = Vis
admin-inbox-subject = Emne
admin-inbox-requester = Anmodet af
admin-inbox-activity = Seneste aktivitet
admin-inbox-empty = Ingen sager matcher.
admin-inbox-channel = Kanal

## admin.inboxes

admin-inboxes-title = Indbakker
admin-inboxes-new = Ny indbakke
admin-inboxes-default = portalens standardindbakke

## admin.lists

admin-lists-title = Kontaktlister
admin-lists-new = Ny liste
admin-lists-create = Opret
admin-lists-name = Navn
admin-lists-members = Medlemmer
admin-lists-group = adgangsgruppe (medlemmer må logge ind og får en registreringsmail)
admin-lists-add = Tilføj en kontakt via e-mail
admin-lists-add_button = Tilføj
admin-lists-remove = Fjern
admin-lists-invite = Send registreringsmailen igen
admin-lists-has_login = har et login
admin-lists-no_login = intet login endnu
admin-lists-no_contact = Ingen kontakt har denne e-mail.
admin-lists-not_group = Denne liste er ikke en adgangsgruppe.
admin-lists-done_added = Kontakten er tilføjet.
admin-lists-done_invited = Registreringsmailen er på vej.
admin-lists-done_removed = Kontakten er fjernet fra listen.
admin-lists-empty = Ingen lister endnu.

## admin.login

admin-login-title = Log ind som medarbejder
admin-login-disable = Deaktiver login
admin-login-enable = Aktivér login
admin-login-disabled = deaktiveret
admin-login-active = aktiv

## admin.mailboxes

admin-mailboxes-title = Postkasser
admin-mailboxes-intro = De IMAP-postkasser, portalen læser til sine indbakker: hver ny e-mail bliver en sag eller et svar, som med [[mail.inbound]] i portal.toml (de læses også). Ændringer når hver server inden for sekunder. En adgangskode forsegles med serverens hemmelige nøgle og vises aldrig igen.
admin-mailboxes-address = Postkasse
admin-mailboxes-status = Seneste runde
admin-mailboxes-off = slået fra
admin-mailboxes-unchecked = ikke læst endnu
admin-mailboxes-working = virker (sidst læst { $at })
admin-mailboxes-failing = fejler siden { $at }: { $error }
admin-mailboxes-every = hvert { $n }. s
admin-mailboxes-password_unreadable = Denne server kan ikke åbne den gemte adgangskode (den blev forseglet med en anden hemmelig nøgle): indtast den igen.
admin-mailboxes-edit = Rediger
admin-mailboxes-delete = Fjern
admin-mailboxes-empty = Der er endnu ingen postkasse her.
admin-mailboxes-add = Tilføj en postkasse
admin-mailboxes-host = IMAP-server
admin-mailboxes-port = Port
admin-mailboxes-port_help = Tom: 993 med TLS, 143 uden.
admin-mailboxes-tls = TLS fra første byte (IMAPS); slå kun fra for en server på denne maskine eller et privat netværk
admin-mailboxes-user = Brugernavn
admin-mailboxes-password = Adgangskode
admin-mailboxes-password_keep = Lad feltet stå tomt for at beholde den gemte adgangskode.
admin-mailboxes-folder = Mappe
admin-mailboxes-poll_seconds = Sekunder mellem runder (5–3600; tilbyder serveren IDLE, hentes ny post med det samme)
admin-mailboxes-delete_taken = Slet hentede e-mails på serveren (ellers bliver de, markeret som hentet)
admin-mailboxes-enabled = Læs denne postkasse
admin-mailboxes-cancel = Annuller
admin-mailboxes-created = Postkassen blev tilføjet; portalen læser den inden for sekunder.
admin-mailboxes-saved = Postkassen blev gemt.
admin-mailboxes-deleted = Postkassen blev fjernet.

## admin.mailin

admin-mailin-title = Tilbageholdt indgående post
admin-mailin-intro = Mails, der kom ind, men hverken blev til en sag eller et svar, nyeste først, med årsagen. Hent originalen, ret årsagen (opret f.eks. kontakten), og prøv igen, eller slet mailen.
admin-mailin-received = Modtaget
admin-mailin-inbox = Indbakke
admin-mailin-sender = Fra
admin-mailin-subject = Emne
admin-mailin-reason = Årsag
admin-mailin-download = Hent
admin-mailin-retry = Prøv igen
admin-mailin-delete = Slet
admin-mailin-retried = Mailen er behandlet igen.
admin-mailin-deleted = Mailen er slettet.
admin-mailin-empty = Ingen mail er tilbageholdt.
admin-mailin-reason-unparsable = kan ikke læses som en mail
admin-mailin-reason-too_large = større end upload-grænserne tillader
admin-mailin-reason-no_sender = ingen afsenderadresse
admin-mailin-reason-unknown_sender = ingen kontakt har afsenderens adresse, og denne indbakke opretter ikke kontakter
admin-mailin-reason-attachment_limit = vedhæftningerne overskrider upload-grænserne
admin-mailin-reason-empty = hverken tekst eller vedhæftninger
admin-mailin-reason-invalid = teksten er længere, end en besked må være
admin-mailin-reason-unknown_inbox = indbakken findes ikke længere
admin-mailin-reason-raw_missing = originalen mangler i lageret

## admin.menu

admin-menu = Menu

## admin.name

admin-name = Team

## admin.no

admin-no = nej

## admin.outbox

admin-outbox-title = Ikke leverede e-mails
admin-outbox-intro = E-mails, som serveren opgav efter sine forsøg, nyeste først. Ret årsagen (adressen, mailserveren), og send dem igen.
admin-outbox-to = Til
admin-outbox-kind = E-mail
admin-outbox-attempts = Forsøg
admin-outbox-error = Seneste fejl
admin-outbox-resend = Send igen
admin-outbox-resent = E-mailen er sat i kø igen.
admin-outbox-empty = Alle e-mails er leveret.

## admin.pipelines

admin-pipelines-title = Pipelines og indbakker
admin-pipelines-new = Ny pipeline
admin-pipelines-label = Betegnelse
admin-pipelines-add_stage = Ny fase
admin-pipelines-closed = lukket fase
admin-pipelines-open_stages = Åbne faser, én pr. linje, i rækkefølge
admin-pipelines-closed_stages = Lukkede faser, én pr. linje

## admin.portal

admin-portal = Kundeportal

## admin.preview

admin-preview = Åbn portalen som denne kontakt (kun læsning)

## admin.properties

admin-properties-title = Egenskaber
admin-properties-tickets = Sagsegenskaber
admin-properties-contacts = Kontaktegenskaber
admin-properties-new = Ny egenskab
admin-properties-object = For
admin-properties-name = Internt navn
admin-properties-kind = Type
admin-properties-options = Valgmuligheder
admin-properties-options_help = Valgmuligheder for tekst, én pr. linje (tom for fri tekst)
admin-properties-builtin = indbygget

## admin.role

admin-role-admin = administrator
admin-role-agent = medarbejder

## admin.settings

admin-settings-title = Portalindstillinger
admin-settings-saved = Gemt.
admin-settings-save = Gem
admin-settings-general = Generelt
admin-settings-domain = Domæne
admin-settings-inbox = Indbakke
admin-settings-permissions = Kundetilladelser
admin-settings-visibility = Synlighed af sager
admin-settings-columns = Kolonner i sagslisten
admin-settings-display = Visning af ansvarlig og status
admin-settings-actions = Sagshandlinger
admin-settings-access = Adgangskontrol
admin-settings-consent = Samtykkeerklæring
admin-settings-form = Supportformular og branding
admin-settings-enabled = Portalen er slået til
admin-settings-name = Portalens navn (browserfane)
admin-settings-slug = Sti (slug)
admin-settings-ticket_singular = Navn for en sag
admin-settings-ticket_plural = … og for flere
admin-settings-idle = Log ud efter inaktivitet
admin-settings-absolute = Længste session (timer)
admin-settings-kb = Vis link til vidensbasen
admin-settings-notify_text = Svarmails indeholder svarets tekst
admin-settings-any_domain = Ethvert domæne på denne instans
admin-settings-new_host = Tilføj et domæne
admin-settings-language = Primært sprog
admin-settings-default_inbox = Standardindbakke
admin-settings-company_own = Kontakter ser kun deres egne sager
admin-settings-company_all = Kontakter ser også deres virksomheds sager
admin-settings-company_filtered = Kun kontakter, der passer til disse grupper, ser deres virksomheds sager
admin-settings-filter_groups = Filtergrupper (én pr. linje)
admin-settings-filter_help = Én gruppe pr. linje; inden for en linje skal alle betingelser forbundet med AND gælde; én linje er nok. Eksempel: tier = gold AND seats > 10. Operatorer: =, !=, in, not in, contains, starts with, is known, is unknown, >, <. Egenskaber:
admin-settings-ticket_filter = Kun sager, der passer til disse grupper, vises i portalen (tom: alle sager)
admin-settings-column_label = etiket
admin-settings-up = Flyt op
admin-settings-down = Flyt ned
admin-settings-remove = Fjern
admin-settings-add_column = Tilføj en kolonne
admin-settings-add = Tilføj
admin-settings-reset_columns = Nulstil til de anbefalede kolonner
admin-settings-owner_display = Vis den ansvarlige som
admin-settings-owner_first = Fornavn
admin-settings-owner_full = Fulde navn
admin-settings-owner_last = Efternavn
admin-settings-owner_alias = Alias
admin-settings-status_display = Vis status som
admin-settings-status_open_closed = Åben eller Lukket
admin-settings-status_stages = Fasen i pipelinen
admin-settings-reply_when_closed = Kunder må svare på lukkede sager
admin-settings-allow_close = Kunder må lukke sager
admin-settings-customers_add_ccs = Kunder kan tilføje personer til deres sager via e-mail (de kan så se og besvare dem)
admin-settings-ccs_same_company = Personer, som kunder tilføjer, skal høre til kundens egen virksomhed
admin-settings-company_reply = Hvem må besvare virksomhedens sager
admin-settings-company_close = Hvem må lukke virksomhedens sager
admin-settings-right_same = Alle, der kan se dem
admin-settings-right_none = Ingen (virksomhedens sager kan kun læses; egne sager som altid)
admin-settings-right_filtered = Dem, der ser dem og opfylder dette filter (én gruppe pr. linje, som ovenfor)
admin-settings-private_by_default = Nye sager fra kunder er private (kun den, der opretter dem, og tilføjede personer kan se dem)
admin-settings-customers_choose_privacy = Kunder vælger, om en sag er privat eller delt med deres virksomhed, ved oprettelse og senere
admin-settings-access_log_days = Gem virksomhedernes adgangslog (dage)
admin-settings-access_log_days_help = Virksomhedens portaladministratorer ser, hvem i virksomheden der har set, eksporteret, besvaret, lukket og overdraget dens sager; ældre poster slettes.
admin-settings-close_stage = Lukket fase for
admin-settings-access_groups = Adgangsgrupper (medlemmer får en registreringsmail)
admin-settings-self_registration = Alle må registrere sig
admin-settings-password_login = Tilbyd login med e-mail og adgangskode
admin-settings-sso = Single sign-on
admin-settings-sso_off = Fra
admin-settings-sso_all = Alle brugere hos identitetsudbyderen
admin-settings-sso_lists = Kun kontakter på disse lister
admin-settings-sso_create = Opret en kontakt for en ukendt bruger
admin-settings-sso_company = Organisationen angiver den primære virksomhed
admin-settings-consent_text = Tekst
admin-settings-consent_label = Tekst ved afkrydsningsfeltet
admin-settings-links = Links, én pr. linje: tekst | URL
admin-settings-form_enabled = Supportformularen er tilknyttet
admin-settings-form_menu = Menutekst
admin-settings-form_header = Overskrift
admin-settings-form_fields = Ekstra felter, ét pr. linje: egenskab | etiket | required
admin-settings-branding = Branding
admin-settings-primary_color = Primær farve
admin-settings-background_color = Baggrund
admin-settings-text_color = Tekst
admin-settings-nav = Navigationslinks, ét pr. linje: tekst | URL
admin-settings-login_link = Kunder må bede om et login-link via e-mail
admin-settings-logo = Logo
admin-settings-favicon = Favicon
admin-settings-upload = Upload
admin-settings-remove_image = fjern det
admin-settings-image_hint = PNG, JPEG, GIF, WebP eller ICO, højst 1 MiB.
admin-settings-kb_url = Vidensbasens adresse
admin-settings-translations = Tekster på andre sprog
admin-settings-translations_help = Én pr. linje: sprog | felt | tekst, fx da | support_form.menu_text | Opret en sag. Felter:
admin-settings-mail_creates_contacts = Mail fra ukendte afsendere
admin-settings-mail_creates_hint = I de indbakker, der er markeret her, opretter en mail fra en adresse, som ingen kontakt har, kontakten (i firmaet, hvis webdomæne er adressens) og dens sag. Andre steder venter en sådan mail under "Tilbageholdt indgående post".
admin-settings-time_zone = Tidszone
admin-settings-time_zone_help = Tider vises i den for teamet og for kunder, der ikke har valgt deres egen (kunder vælger deres egen på kontosiden; første login bruger browserens).

## admin.setup

admin-setup-title = Opsæt portalen
admin-setup-step = Trin { $n }
admin-setup-name = Navngiv portalen
admin-setup-address = Hvor kunderne finder den
admin-setup-tickets = Nye sager og hvad kunderne ser
admin-setup-switch_on = Slå portalen til
admin-setup-next = Gem og fortsæt
admin-setup-finish = Afslut

## admin.templates

admin-templates-title = Skabeloner
admin-templates-pages = Sider
admin-templates-mails = E-mails (pr. sprog)
admin-templates-customized = tilpasset
admin-templates-custom = Dette er din egen skabelon.
admin-templates-builtin = Dette er den indbyggede skabelon; gem for at gøre den til din.
admin-templates-mail_help = Første linje: Subject: …, derefter en tom linje og teksten. Variabler: {"{{"}name{"}}"}, {"{{"}link{"}}"}, {"{{"}portal{"}}"}; svar også {"{{"}author{"}}"}, {"{{"}subject{"}}"}, {"{{"}reply{"}}"}.
admin-templates-page_help = Handlebars med layoutet og t-hjælperen til oversat tekst. En skabelon, der fejler ved rendering, falder tilbage til den indbyggede (og logges).
admin-templates-source = Skabelon
admin-templates-preview = Forhåndsvisning
admin-templates-reset = Tilbage til den indbyggede skabelon
admin-templates-no_preview = Siden kræver en kunde for forhåndsvisning; se en kontakts portal under Forklar adgang.
admin-templates-preview_contact = Forhåndsvis som kontakten med denne e-mail
admin-templates-preview_contact_missing = Ingen kontakt har denne e-mail.
admin-templates-preview_no_ticket = Denne kontakt har ingen sag at vise.

## admin.ticket

admin-ticket-pipeline = Pipeline
admin-ticket-contacts = Kontakter
admin-ticket-companies = Virksomheder
admin-ticket-created = Oprettet
admin-ticket-move = Flyt
admin-ticket-assign = Tildel
admin-ticket-people = Personer på sagen
admin-ticket-remove_participant = Fjern
admin-ticket-add_participant = Tilføj en deltager (en kontakts e-mail)
admin-ticket-add = Tilføj
admin-ticket-new_requester = Ny opretter (en kontakts e-mail)
admin-ticket-keep_requester = Den tidligere opretter forbliver deltager
admin-ticket-change_requester = Skift opretter
admin-ticket-thread = Samtale
admin-ticket-internal = intern note
admin-ticket-answer = Svar
admin-ticket-text = Besked (Markdown)
admin-ticket-as_note = Intern note (kunder ser den aldrig)
admin-ticket-send = Send
admin-ticket-edit = Emne og egenskaber
admin-ticket-activity = Aktivitet i portalen
admin-ticket-customer_thread = Samtalen kunden ser
admin-ticket-other_thread = En anden samtale (kunden ser den ikke)
admin-ticket-new_conversation = Start en ny samtale (kunden ser den ikke og får ingen besked)
admin-ticket-original_mail = original e-mail

## admin.tokens

admin-tokens-title = API-nøgler
admin-tokens-help = Med en nøgle bruger et program JSON-API'et på /api/v1 som dig, med din rolle. Send den som "Authorization: Bearer" efterfulgt af nøglen.
admin-tokens-once = Kopiér nøglen nu: den vises kun én gang.
admin-tokens-name = Navn på den nye nøgle
admin-tokens-revoke = Tilbagekald
admin-tokens-empty = Ingen nøgler.

## admin.yes

admin-yes = ja
