extension Catalogue {
    /// The procedure's evaluation report (`seinhuis report evaluation`, the console's evaluation page).
    static let evaluation: [Message] = [
        Message(
            "evaluation.title", nl: "Evaluatie van de seiningsprocedure",
            fr: "Évaluation de la procédure de signalement",
            en: "Evaluation of the signalling procedure"),
        Message("evaluation.beforeVersion", nl: "voor ({1})", fr: "avant ({1})", en: "before ({1})"),
        Message("evaluation.afterVersion", nl: "na ({1})", fr: "après ({1})", en: "after ({1})"),
        Message("evaluation.beforeLabel", nl: "Beleid voor", fr: "Politique avant", en: "Policy before"),
        Message("evaluation.afterLabel", nl: "Beleid na", fr: "Politique après", en: "Policy after"),
        Message(
            "evaluation.noAnswered", nl: "Wachtrij {1}: geen opgevolgde meldingen om te tonen.",
            fr: "File {1} : aucune alerte suivie à montrer.", en: "Queue {1}: no answered alerts to plot."),
        Message("evaluation.start", nl: "het begin", fr: "le début", en: "the start"),
        Message("evaluation.now", nl: "nu", fr: "maintenant", en: "now"),
        Message(
            "evaluation.subtitle",
            nl: "Routeringsbeleid {1} (voor) tegenover {2} (na), meldingen gedetecteerd van {3} tot {4}.",
            fr: "Politique de routage {1} (avant) face à {2} (après), alertes détectées du {3} au {4}.",
            en: "Routing policy {1} (before) against {2} (after), alerts detected from {3} to {4}."),
        Message("evaluation.generated", nl: "Opgemaakt op {1}.", fr: "Établi le {1}.", en: "Made on {1}."),
        Message(
            "evaluation.latencyTitle", nl: "Tijd tussen inbreuk en opvolging, per wachtrij",
            fr: "Délai entre infraction et suivi, par file", en: "Time from breach to response, per queue"),
        Message("evaluation.queue", nl: "Wachtrij", fr: "File", en: "Queue"),
        Message("evaluation.side", nl: "Beleid", fr: "Politique", en: "Policy"),
        Message("evaluation.alerts", nl: "Meldingen", fr: "Alertes", en: "Alerts"),
        Message("evaluation.answered", nl: "Opgevolgd", fr: "Suivies", en: "Answered"),
        Message("evaluation.mean", nl: "Gemiddelde", fr: "Moyenne", en: "Mean"),
        Message("evaluation.median", nl: "Mediaan", fr: "Médiane", en: "Median"),
        Message("evaluation.withinTarget", nl: "Binnen de norm", fr: "Dans le délai", en: "Within target"),
        Message(
            "evaluation.difference", nl: "Verschil (na − voor)", fr: "Écart (après − avant)",
            en: "Difference (after − before)"),
        Message("evaluation.interval", nl: "95 %-interval", fr: "Intervalle à 95 %", en: "95 % interval"),
        Message(
            "evaluation.method",
            nl:
                "Per wachtrij telt de eigen eerste maatregel van die wachtrij. Het verschil is het gemiddelde na min het "
                + "gemiddelde voor (negatief: sneller). Het 95 %-interval is een bootstrap met {1} hertrekkingen "
                + "(vaste seed {2}, dus herhaalbaar; minder, minstens {4}, voor een wachtrij met meer dan {3} opgevolgde "
                + "meldingen); de mediaan is exact.",
            fr: "Chaque file compte sa propre première mesure. L'écart est la moyenne après moins la moyenne avant "
                + "(négatif : plus rapide). L'intervalle à 95 % est un bootstrap de {1} rééchantillonnages (graine "
                + "fixe {2}, donc reproductible ; moins, au moins {4}, pour une file de plus de {3} alertes suivies) ; la "
                + "médiane est exacte.",
            en: "Each queue counts its own first measure. The difference is the mean after less the mean before "
                + "(negative: faster). The 95 % interval is a bootstrap of {1} resamples (fixed seed {2}, so "
                + "repeatable; fewer, at least {4}, for a queue with more than {3} answered alerts); the median is exact."),
        Message("evaluation.resamples", nl: "{1} hertrekkingen", fr: "{1} rééchantillonnages", en: "{1} resamples"),
        Message(
            "evaluation.unknownTargets",
            nl: "De normen van beleid {1} zijn hier niet gekend: geef het beleidsbestand met --policy.",
            fr: "Les délais de la politique {1} ne sont pas connus ici : donnez son fichier avec --policy.",
            en: "The targets of policy {1} are not known here: give its file with --policy."),
        Message(
            "evaluation.noAlerts", nl: "Geen meldingen in de periode.", fr: "Aucune alerte sur la période.",
            en: "No alerts in the period."),
        Message(
            "evaluation.cdfTitle", nl: "Cumulatieve verdeling van de opvolgtijd",
            fr: "Distribution cumulée du délai de suivi", en: "Cumulative distribution of the response time"),
        Message(
            "evaluation.cdfCaption", nl: "Wachtrij {1}: aandeel opgevolgd binnen een tijd (logaritmische as).",
            fr: "File {1} : part suivie dans un délai (axe logarithmique).",
            en: "Queue {1}: share answered within a time (logarithmic axis)."),
        Message(
            "evaluation.monthsTitle", nl: "Incidenten en escalaties per maand in Radex-dossiers",
            fr: "Incidents et escalades par mois dans les dossiers Radex",
            en: "Incidents and escalations per month in Radex dossiers"),
        Message("evaluation.month", nl: "Maand", fr: "Mois", en: "Month"),
        Message(
            "evaluation.incidents", nl: "Incidenten (inbreuken)", fr: "Incidents (infractions)",
            en: "Incidents (breaches)"),
        Message("evaluation.escalations", nl: "Escalaties", fr: "Escalades", en: "Escalations"),
        Message(
            "evaluation.noIncidents", nl: "Geen incidenten in Radex-dossiers.",
            fr: "Aucun incident dans les "
                + "dossiers Radex.", en: "No incidents in Radex dossiers."),
        Message(
            "evaluation.surveyTitle", nl: "Tevredenheid van de actoren (enquête per rol)",
            fr: "Satisfaction des acteurs (enquête par rôle)", en: "Satisfaction of the actors (survey per role)"),
        Message(
            "evaluation.noSurvey", nl: "Geen gesloten enquêteronde in de periode.",
            fr: "Aucun tour d'enquête clôturé sur la période.", en: "No closed survey round in the period."),
        Message(
            "evaluation.whatIfTitle", nl: "Wat-als: voorgesteld beleid op dezelfde inbreuken",
            fr: "Et si : la politique proposée sur les mêmes infractions",
            en: "What-if: the proposed policy on the same breaches"),
        Message("evaluation.policy", nl: "Beleid", fr: "Politique", en: "Policy"),
        Message("evaluation.current", nl: "huidig", fr: "actuelle", en: "current"),
        Message("evaluation.proposed", nl: "voorgesteld", fr: "proposée", en: "proposed"),
        Message(
            "evaluation.whatIfNote",
            nl: "Model op {1} inbreuken over {2} dagen (seed {3}); het huidige beleid wijkt af van wat werd "
                + "vastgesteld met {4} (p50) en {5} (p90).",
            fr: "Modèle sur {1} infractions en {2} jours (graine {3}) ; la politique actuelle s'écarte de ce qui a "
                + "été constaté de {4} (p50) et {5} (p90).",
            en: "Model of {1} breaches over {2} days (seed {3}); under the current policy it is off the recorded "
                + "figures by {4} (p50) and {5} (p90)."),
        Message(
            "evaluation.whatIfHonest", nl: "Binnen de tolerantie.", fr: "Dans la tolérance.",
            en: "Within tolerance."),
        Message(
            "evaluation.whatIfOff", nl: "BUITEN de tolerantie: voorzichtig te lezen.",
            fr: "HORS tolérance : à lire avec prudence.", en: "OUTSIDE tolerance: read with care."),
        Message(
            "evaluation.footer",
            nl: "Seinhuis, evaluatierapport. Opvolgtijd: van de detectie van een melding tot de eerste maatregel. "
                + "Tijden in Brussel.",
            fr: "Seinhuis, rapport d'évaluation. Délai de suivi : de la détection d'une alerte à la première mesure. "
                + "Heures de Bruxelles.",
            en: "Seinhuis evaluation report. Response time: from an alert's detection to its first measure. "
                + "Times in Brussels."),
        Message("evaluation.show", nl: "Tonen", fr: "Afficher", en: "Show"),
        Message("evaluation.from", nl: "Van", fr: "Du", en: "From"),
        Message("evaluation.to", nl: "Tot (niet inbegrepen)", fr: "Au (non compris)", en: "To (exclusive)"),
        Message("evaluation.printable", nl: "Afdrukbare versie", fr: "Version imprimable", en: "Printable version"),
        Message(
            "evaluation.choose", nl: "Kies de versies voor en na (gevonden: {1}).",
            fr: "Choisissez les versions avant et après (trouvées : {1}).",
            en: "Choose the versions before and after (found: {1})."),
    ]
}
