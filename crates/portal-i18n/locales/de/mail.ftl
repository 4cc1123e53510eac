### portal: Mails (de).
### Keys: dots in the code become dashes here (list.count is list-count).

## reply_notification

reply_notification-subject = Neue Antwort auf Ihr Ticket „{ $subject }“
reply_notification-body =
    Hallo { $name },

    { $author } hat auf Ihr Ticket „{ $subject }“ geantwortet.

    { $reply }
    Lesen und beantworten Sie die Unterhaltung hier:
    { $link }

    { $portal }

## handed_to_you

handed_to_you-subject = { $from } hat Ihnen das Ticket „{ $subject }“ übergeben
handed_to_you-body =
    Hallo { $name },

    { $from } hat Ihnen das Ticket „{ $subject }“ übergeben: Sie sind jetzt die anfragende Person
    und werden über neue Antworten benachrichtigt.
    Hier lesen und antworten:
    { $link }

    { $portal }

## handed_over

handed_over-subject = Sie haben das Ticket „{ $subject }“ an { $to } übergeben
handed_over-body =
    Hallo { $name },

    Sie haben das Ticket „{ $subject }“ an { $to } übergeben, die jetzt die anfragende Person ist.
    { $link }

    { $portal }

## handed_away

handed_away-subject = { $from } hat Ihr Ticket „{ $subject }“ an { $to } übergeben
handed_away-body =
    Hallo { $name },

    { $from }, Portal-Admin Ihres Unternehmens, hat Ihr Ticket „{ $subject }“ an { $to }
    übergeben, die jetzt die anfragende Person ist.
    { $link }

    { $portal }

## filed_for_you

filed_for_you-subject = { $from } hat das Ticket „{ $subject }“ für Sie erstellt
filed_for_you-body =
    Hallo { $name },

    { $from } hat das Ticket „{ $subject }“ für Sie erstellt: Sie sind die anfragende Person und
    werden über neue Antworten informiert. Lesen und antworten Sie hier:
    { $link }

    { $portal }

## registration

registration-subject = Richten Sie Ihren Zugang zu { $portal } ein
registration-body =
    Hallo { $name },

    Sie wurden zu { $portal } eingeladen, wo Sie Ihre Support-Tickets verfolgen und erstellen können.
    Wählen Sie hier Ihr Passwort (der Link funktioniert einmal, 7 Tage lang):
    { $link }

    { $portal }

## email_confirmation

email_confirmation-subject = Bestätigen Sie Ihre E-Mail-Adresse für { $portal }
email_confirmation-body =
    Hallo { $name },

    bitte bestätigen Sie Ihre E-Mail-Adresse, um Ihre Registrierung abzuschließen (der Link funktioniert einmal, 7 Tage lang):
    { $link }

    Wenn Sie sich nicht registriert haben, ignorieren Sie diese E-Mail.

    { $portal }

## password_reset

password_reset-subject = Setzen Sie Ihr Passwort für { $portal } zurück
password_reset-body =
    Hallo { $name },

    jemand hat das Zurücksetzen des Passworts Ihres Zugangs zu { $portal } angefordert. Wählen Sie hier ein neues Passwort (der Link funktioniert einmal, 15 Minuten lang):
    { $link }

    Wenn Sie das nicht waren, ignorieren Sie diese E-Mail; Ihr Passwort bleibt unverändert.

    { $portal }

## login_link

login_link-subject = Ihr Anmeldelink für { $portal }
login_link-body =
    Hallo { $name },

    melden Sie sich mit diesem Link bei { $portal } an (er funktioniert einmal, 15 Minuten lang):
    { $link }

    Wenn Sie ihn nicht angefordert haben, ignorieren Sie diese E-Mail.

    { $portal }
