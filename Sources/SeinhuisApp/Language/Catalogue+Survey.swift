extension Catalogue {
    /// The actors' survey: the console's pages, the results (console, CLI, evaluation report).
    static let survey: [Message] = [
        Message(
            "survey.defaultTitle", nl: "Evaluatie van de seiningsprocedure",
            fr: "Évaluation de la procédure de signalement", en: "Evaluation of the signalling procedure"),
        Message(
            "survey.question1", nl: "De seiningsprocedure is duidelijk voor mij.",
            fr: "La procédure de signalement est claire pour moi.", en: "The signalling procedure is clear to me."),
        Message(
            "survey.question2", nl: "Inbreuken worden nu sneller opgevolgd dan vroeger.",
            fr: "Les infractions sont désormais suivies plus rapidement qu'auparavant.",
            en: "Breaches are now followed up faster than before."),
        Message(
            "survey.question3", nl: "De samenwerking met de andere actoren verloopt goed.",
            fr: "La collaboration avec les autres acteurs se passe bien.",
            en: "Working with the other actors goes well."),
        Message("survey.pageTitle", nl: "Enquête", fr: "Enquête", en: "Survey"),
        Message(
            "survey.noOpenRound", nl: "Er loopt op dit moment geen enquête.",
            fr: "Aucune enquête n'est en cours pour le moment.", en: "No survey is open at the moment."),
        Message(
            "survey.answeredAlready", nl: "U hebt deze ronde al beantwoord. Dank u wel.",
            fr: "Vous avez déjà répondu à ce tour. Merci.", en: "You have answered this round already. Thank you."),
        Message(
            "survey.intro",
            nl: "Geef bij elke stelling een score van 1 (helemaal niet akkoord) tot 5 (helemaal akkoord).",
            fr: "Donnez à chaque affirmation une note de 1 (pas du tout d'accord) à 5 (tout à fait d'accord).",
            en: "Score each statement from 1 (strongly disagree) to 5 (strongly agree)."),
        Message(
            "survey.privacy",
            nl: "Uw antwoord wordt bewaard met uw rol, niet met uw account: alleen dát u antwoordde wordt bijgehouden. "
                + "Resultaten verschijnen pas na het sluiten van de ronde, per rol met minstens {1} antwoorden.",
            fr: "Votre réponse est conservée avec votre rôle, pas avec votre compte : seul le fait que vous avez "
                + "répondu est enregistré. Les résultats ne paraissent qu'après la clôture du tour, par rôle d'au "
                + "moins {1} réponses.",
            en: "Your answer is kept with your role, not your account: only the fact that you answered is recorded. "
                + "Results appear once the round is closed, per role with at least {1} answers."),
        Message("survey.scale1", nl: "helemaal niet akkoord", fr: "pas du tout d'accord", en: "strongly disagree"),
        Message("survey.scale5", nl: "helemaal akkoord", fr: "tout à fait d'accord", en: "strongly agree"),
        Message(
            "survey.comment", nl: "Opmerking (niet verplicht)", fr: "Commentaire (facultatif)", en: "Comment (optional)"
        ),
        Message(
            "survey.commentHint", nl: "Noem geen namen: ook een opmerking moet anoniem blijven.",
            fr: "Ne citez pas de noms : un commentaire doit lui aussi rester anonyme.",
            en: "Name no one: a comment must stay anonymous too."),
        Message("survey.submit", nl: "Antwoord versturen", fr: "Envoyer la réponse", en: "Send answer"),
        Message(
            "survey.thanks", nl: "Dank u, uw antwoord is bewaard.", fr: "Merci, votre réponse est enregistrée.",
            en: "Thank you, your answer is recorded."),
        Message("survey.rounds", nl: "Rondes", fr: "Tours", en: "Rounds"),
        Message("survey.results", nl: "Resultaten", fr: "Résultats", en: "Results"),
        Message("survey.stateOpen", nl: "open", fr: "ouvert", en: "open"),
        Message("survey.stateClosed", nl: "gesloten", fr: "clôturé", en: "closed"),
        Message("survey.round", nl: "Ronde {1}: {2}", fr: "Tour {1} : {2}", en: "Round {1}: {2}"),
        Message(
            "survey.resultsHead", nl: "Enquête, ronde {1}: {2}", fr: "Enquête, tour {1} : {2}",
            en: "Survey, round {1}: {2}"),
        Message(
            "survey.openNotShown", nl: "De ronde is nog open ({1} antwoorden): resultaten na het sluiten.",
            fr: "Le tour est encore ouvert ({1} réponses) : résultats après la clôture.",
            en: "The round is still open ({1} answers): results once it is closed."),
        Message(
            "survey.withheld",
            nl: "{1} antwoorden van rollen met te weinig antwoorden worden niet getoond.",
            fr: "{1} réponses de rôles ayant trop peu de réponses ne sont pas montrées.",
            en: "{1} answers of roles with too few answers are not shown."),
        Message(
            "survey.noAnswers", nl: "Geen antwoorden om te tonen.", fr: "Aucune réponse à montrer.",
            en: "No answers to show."),
        Message("survey.colGroup", nl: "groep", fr: "groupe", en: "group"),
        Message("survey.colAnswers", nl: "antwoorden", fr: "réponses", en: "answers"),
        Message("survey.colQuestion", nl: "vraag", fr: "question", en: "question"),
        Message("survey.colMean", nl: "gemiddelde", fr: "moyenne", en: "mean"),
        Message("survey.colComment", nl: "opmerking", fr: "commentaire", en: "comment"),
        Message("survey.comments", nl: "Opmerkingen", fr: "Commentaires", en: "Comments"),
        Message(
            "survey.groupOthers", nl: "andere rollen samen", fr: "autres rôles ensemble",
            en: "other roles together"),
        Message("survey.groupAll", nl: "alle getoonde", fr: "tous ceux montrés", en: "all shown"),
        Message("survey.answers", nl: "{1} antwoorden", fr: "{1} réponses", en: "{1} answers"),
    ]
}
