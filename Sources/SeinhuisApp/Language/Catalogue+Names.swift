/// Display names of the contract's codes: breach kinds and review notices, severities, states, queues, measures,
/// actions, roles and review decisions. Only what people read changes; the JSON API and the CLI's machine formats keep the codes.
/// The key is `area.code` (`kind.strap_tamper`), so `Catalogue.name("kind", code, lang)` finds any of them.
extension Catalogue {
    static let names: [Message] = kinds + handling + people + events

    static let kinds: [Message] = [
        Message("kind.exclusion_zone_entry", nl: "verbodszone betreden", fr: "entrée en zone d'exclusion",
            en: "exclusion zone entry"),
        Message("kind.inclusion_zone_exit", nl: "gebodszone verlaten", fr: "sortie de zone d'inclusion",
            en: "inclusion zone exit"),
        Message("kind.curfew_absence", nl: "afwezig tijdens huisarrest", fr: "absence pendant le couvre-feu",
            en: "curfew absence"),
        Message("kind.strap_tamper", nl: "sabotage enkelband", fr: "sabotage du bracelet", en: "strap tamper"),
        Message("kind.case_tamper", nl: "sabotage behuizing", fr: "sabotage du boîtier", en: "case tamper"),
        Message("kind.battery_low", nl: "batterij bijna leeg", fr: "batterie faible", en: "battery low"),
        Message("kind.battery_depleted", nl: "batterij leeg", fr: "batterie épuisée", en: "battery depleted"),
        Message("kind.communication_loss", nl: "verbinding verloren", fr: "perte de communication",
            en: "communication loss"),
        Message("kind.gnss_loss", nl: "geen satellietontvangst", fr: "perte du signal satellite", en: "GNSS loss"),
        Message("kind.gnss_jamming", nl: "satellietstoring", fr: "brouillage satellite", en: "GNSS jamming"),
        Message("kind.home_power_loss", nl: "stroomuitval thuisunit", fr: "coupure de courant de l'unité domicile",
            en: "home power loss"),
        Message("kind.exclusion_zone_crossed", nl: "verbodszone doorkruist", fr: "zone d'exclusion traversée",
            en: "exclusion zone crossed"),
        Message("kind.victim_proximity", nl: "nabij beschermde persoon", fr: "proximité d'une personne protégée",
            en: "near a protected person"),
        Message("kind.review_due", nl: "doorlichting nodig", fr: "revue à faire", en: "review due"),
        Message("kind.review_overdue", nl: "doorlichting te laat", fr: "revue en retard", en: "review overdue"),
        Message("kind.network_outage", nl: "netwerkstoring", fr: "panne du réseau", en: "network outage"),
    ]

    static let handling: [Message] = [
        Message("severity.critical", nl: "kritiek", fr: "critique", en: "critical"),
        Message("severity.high", nl: "hoog", fr: "élevée", en: "high"),
        Message("severity.medium", nl: "middel", fr: "moyenne", en: "medium"),
        Message("severity.low", nl: "laag", fr: "faible", en: "low"),
        Message("state.open", nl: "open", fr: "ouverte", en: "open"),
        Message("state.acknowledged", nl: "bevestigd", fr: "réception accusée", en: "acknowledged"),
        Message("state.responded", nl: "maatregel genomen", fr: "mesure prise", en: "responded"),
        Message("state.closed", nl: "afgesloten", fr: "clôturée", en: "closed"),
        Message("measure.phone_call", nl: "telefoongesprek", fr: "appel téléphonique", en: "phone call"),
        Message("measure.field_visit", nl: "bezoek ter plaatse", fr: "visite sur place", en: "field visit"),
        Message("measure.police_dispatched", nl: "politie gestuurd", fr: "police envoyée", en: "police dispatched"),
        Message("measure.seining_issued", nl: "seining uitgevaardigd", fr: "signalement émis", en: "seining issued"),
        Message("measure.judicial_report", nl: "verslag aan justitie", fr: "rapport judiciaire",
            en: "judicial report"),
        Message("measure.false_alarm", nl: "vals alarm", fr: "fausse alerte", en: "false alarm"),
        Message("measure.other", nl: "andere", fr: "autre", en: "other"),
        Message("action.acknowledge", nl: "bevestigd", fr: "réception accusée", en: "acknowledged"),
        Message("action.respond", nl: "maatregel", fr: "mesure", en: "measure"),
        Message("action.close", nl: "afgesloten", fr: "clôturée", en: "closed"),
    ]

    static let people: [Message] = [
        Message("queue.vcet", nl: "VCET", fr: "VCET", en: "VCET"),
        Message("queue.coordinator", nl: "coördinator", fr: "coordinateur", en: "coordinator"),
        Message("queue.cic", nl: "CIC", fr: "CIC", en: "CIC"),
        Message("queue.police", nl: "politie", fr: "police", en: "police"),
        Message("queue.cell", nl: "cel", fr: "cellule", en: "cell"),
        Message("role.operator", nl: "operator", fr: "opérateur", en: "operator"),
        Message("role.coordinator", nl: "coördinator", fr: "coordinateur", en: "coordinator"),
        Message("role.cic", nl: "CIC", fr: "CIC", en: "CIC"),
        Message("role.police", nl: "politie", fr: "police", en: "police"),
        Message("role.cell", nl: "cel", fr: "cellule", en: "cell"),
        Message("role.admin", nl: "beheerder", fr: "administrateur", en: "administrator"),
        Message("decision.continue", nl: "voortzetten", fr: "poursuivre", en: "continue"),
        Message("decision.adjust-conditions", nl: "voorwaarden aanpassen", fr: "adapter les conditions",
            en: "adjust conditions"),
        Message("decision.escalate", nl: "escaleren", fr: "escalader", en: "escalate"),
        Message("decision.end", nl: "beëindigen", fr: "terminer", en: "end"),
    ]

    static let events: [Message] = [
        Message("event.position", nl: "positie", fr: "position", en: "position"),
        Message("event.presence", nl: "aanwezigheid", fr: "présence", en: "presence"),
        Message("event.strap", nl: "enkelband", fr: "bracelet", en: "strap"),
        Message("event.case", nl: "behuizing", fr: "boîtier", en: "case"),
        Message("event.battery", nl: "batterij", fr: "batterie", en: "battery"),
        Message("event.gnss", nl: "satellietontvangst", fr: "réception satellite", en: "GNSS"),
        Message("event.power", nl: "stroom", fr: "alimentation", en: "power"),
        Message("event.heartbeat", nl: "levensteken", fr: "signal de vie", en: "heartbeat"),
    ]

    /// The display name of a contract code in `area` (`kind`, `severity`, `state`, `queue`, `measure`, `action`,
    /// `role`, `decision`, `event`); a code the catalogue does not know shows with spaces for underscores.
    public static func name(_ area: String, _ code: String, _ lang: Language) -> String {
        index["\(area).\(code)"]?.text(lang) ?? code.replacingOccurrences(of: "_", with: " ")
    }
}
