### portal: Mails (nl).
### Keys: dots in the code become dashes here (list.count is list-count).

## reply_notification

reply_notification-subject = Nieuw antwoord op uw ticket "{ $subject }"
reply_notification-body =
    Hallo { $name },

    { $author } heeft gereageerd op uw ticket "{ $subject }".

    { $reply }
    Lees en beantwoord het gesprek hier:
    { $link }

    { $portal }

## handed_to_you

handed_to_you-subject = { $from } heeft het ticket "{ $subject }" aan u overgedragen
handed_to_you-body =
    Hallo { $name },

    { $from } heeft het ticket "{ $subject }" aan u overgedragen: u bent nu de aanvrager en u
    krijgt bericht van nieuwe antwoorden.
    Lees en antwoord hier:
    { $link }

    { $portal }

## handed_over

handed_over-subject = U heeft het ticket "{ $subject }" aan { $to } overgedragen
handed_over-body =
    Hallo { $name },

    u heeft het ticket "{ $subject }" overgedragen aan { $to }, die nu de aanvrager is.
    { $link }

    { $portal }

## handed_away

handed_away-subject = { $from } heeft uw ticket "{ $subject }" aan { $to } overgedragen
handed_away-body =
    Hallo { $name },

    { $from }, portaalbeheerder van uw bedrijf, heeft uw ticket "{ $subject }" overgedragen aan
    { $to }, die nu de aanvrager is.
    { $link }

    { $portal }

## filed_for_you

filed_for_you-subject = { $from } heeft het ticket "{ $subject }" voor u aangemaakt
filed_for_you-body =
    Hallo { $name },

    { $from } heeft het ticket "{ $subject }" voor u aangemaakt: u bent de aanvrager en krijgt
    bericht van nieuwe antwoorden. Lees en antwoord hier:
    { $link }

    { $portal }

## registration

registration-subject = Stel uw aanmelding voor { $portal } in
registration-body =
    Hallo { $name },

    u bent uitgenodigd voor { $portal }, waar u uw supporttickets kunt volgen en indienen.
    Kies hier uw wachtwoord (de link werkt één keer, 7 dagen lang):
    { $link }

    { $portal }

## email_confirmation

email_confirmation-subject = Bevestig uw e-mailadres voor { $portal }
email_confirmation-body =
    Hallo { $name },

    bevestig uw e-mailadres om uw registratie af te ronden (de link werkt één keer, 7 dagen lang):
    { $link }

    Als u zich niet hebt geregistreerd, negeer dan deze e-mail.

    { $portal }

## password_reset

password_reset-subject = Stel uw wachtwoord voor { $portal } opnieuw in
password_reset-body =
    Hallo { $name },

    iemand heeft gevraagd het wachtwoord van uw aanmelding bij { $portal } opnieuw in te stellen. Kies hier een nieuw wachtwoord (de link werkt één keer, 15 minuten lang):
    { $link }

    Als u dit niet was, negeer dan deze e-mail; uw wachtwoord blijft ongewijzigd.

    { $portal }

## login_link

login_link-subject = Uw aanmeldlink voor { $portal }
login_link-body =
    Hallo { $name },

    meld u aan bij { $portal } met deze link (hij werkt één keer, 15 minuten lang):
    { $link }

    Als u er niet om hebt gevraagd, negeer dan deze e-mail.

    { $portal }
