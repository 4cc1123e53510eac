### portal: Mails (da).
### Keys: dots in the code become dashes here (list.count is list-count).

## reply_notification

reply_notification-subject = Nyt svar på din sag "{ $subject }"
reply_notification-body =
    Hej { $name },

    { $author } har svaret på din sag "{ $subject }".

    { $reply }
    Læs og besvar samtalen her:
    { $link }

    { $portal }

## handed_to_you

handed_to_you-subject = { $from } har overdraget sagen "{ $subject }" til dig
handed_to_you-body =
    Hej { $name },

    { $from } har overdraget sagen "{ $subject }" til dig: du er nu den, der har oprettet den,
    og du får besked om nye svar.
    Læs og svar her:
    { $link }

    { $portal }

## handed_over

handed_over-subject = Du har overdraget sagen "{ $subject }" til { $to }
handed_over-body =
    Hej { $name },

    du har overdraget sagen "{ $subject }" til { $to }, som nu står som den, der har oprettet den.
    { $link }

    { $portal }

## handed_away

handed_away-subject = { $from } har overdraget din sag "{ $subject }" til { $to }
handed_away-body =
    Hej { $name },

    { $from }, din virksomheds portaladministrator, har overdraget din sag "{ $subject }" til
    { $to }, som nu står som den, der har oprettet den.
    { $link }

    { $portal }

## filed_for_you

filed_for_you-subject = { $from } har oprettet sagen "{ $subject }" for dig
filed_for_you-body =
    Hej { $name },

    { $from } har oprettet sagen "{ $subject }" for dig: du står som den, der har oprettet den, og
    får besked om nye svar. Læs og svar her:
    { $link }

    { $portal }

## registration

registration-subject = Opret dit login til { $portal }
registration-body =
    Hej { $name },

    du er blevet inviteret til { $portal }, hvor du kan følge og oprette dine supportsager.
    Vælg din adgangskode her (linket virker én gang i 7 dage):
    { $link }

    { $portal }

## email_confirmation

email_confirmation-subject = Bekræft din e-mailadresse til { $portal }
email_confirmation-body =
    Hej { $name },

    bekræft din e-mailadresse for at fuldføre din registrering (linket virker én gang i 7 dage):
    { $link }

    Hvis du ikke har registreret dig, kan du se bort fra denne e-mail.

    { $portal }

## password_reset

password_reset-subject = Nulstil din adgangskode til { $portal }
password_reset-body =
    Hej { $name },

    nogen har bedt om at nulstille adgangskoden til dit login på { $portal }. Vælg en ny adgangskode her (linket virker én gang i 15 minutter):
    { $link }

    Hvis det ikke var dig, kan du se bort fra denne e-mail; din adgangskode forbliver uændret.

    { $portal }

## login_link

login_link-subject = Dit loginlink til { $portal }
login_link-body =
    Hej { $name },

    log ind på { $portal } med dette link (det virker én gang i 15 minutter):
    { $link }

    Hvis du ikke har bedt om det, kan du se bort fra denne e-mail.

    { $portal }
