extension Catalogue {
    /// The network incident's panel on its alert page (PROTOCOL 4.5).
    static let incident: [Message] = [
        Message(
            "incident.title", nl: "Netwerkstoring {1}", fr: "Panne du réseau {1}", en: "Network outage {1}"),
        Message(
            "incident.lead",
            nl: "{1} toestellen van dit netwerk zijn nu verloren. Meldingen van Radex-dossiers volgen de gewone procedure en worden hier niet mee behandeld.",
            fr: "{1} appareils de ce réseau sont perdus en ce moment. Les alertes des dossiers Radex suivent la procédure habituelle et ne sont pas traitées ici.",
            en: "{1} devices of this network are lost now. Alerts of Radex dossiers follow the usual procedure and are not handled here."),
        Message("incident.members", nl: "Meldingen van de storing", fr: "Alertes de la panne", en: "Alerts of the outage"),
        Message("incident.alert", nl: "Melding", fr: "Alerte", en: "Alert"),
        Message("incident.dossier", nl: "Dossier", fr: "Dossier", en: "Dossier"),
        Message("incident.device", nl: "Toestel", fr: "Appareil", en: "Device"),
        Message("incident.lost", nl: "Verloren sinds", fr: "Perdu depuis", en: "Lost since"),
        Message("incident.back", nl: "Terug", fr: "Revenu", en: "Back"),
        Message("incident.state", nl: "Uw behandeling", fr: "Votre traitement", en: "Your handling"),
        Message("incident.radex", nl: "Radex: apart behandelen", fr: "Radex : à traiter à part", en: "Radex: handle on its own"),
        Message(
            "incident.groupMeasure", nl: "Maatregel voor de hele storing", fr: "Mesure pour toute la panne",
            en: "Measure for the whole outage"),
        Message(
            "incident.groupHint",
            nl: "Wordt geregistreerd op de storing en op elke melding van een niet-Radex-dossier die uw wachtrij nog niet sloot.",
            fr: "Enregistrée sur la panne et sur chaque alerte d'un dossier non Radex que votre file n'a pas encore clôturée.",
            en: "Recorded on the outage and on every alert of a non-Radex dossier your queue has not closed."),
        Message("incident.measure", nl: "Maatregel", fr: "Mesure", en: "Measure"),
        Message("incident.note", nl: "Notitie", fr: "Note", en: "Note"),
        Message("incident.record", nl: "Registreren", fr: "Enregistrer", en: "Record"),
        Message("incident.recordAndClose", nl: "Registreren en sluiten", fr: "Enregistrer et clôturer", en: "Record and close"),
        Message(
            "incident.done", nl: "Geregistreerd op de storing en {1} meldingen.",
            fr: "Enregistré sur la panne et {1} alertes.", en: "Recorded on the outage and {1} alerts."),
        Message("console.incidentDevices", nl: "{1} toestellen", fr: "{1} appareils", en: "{1} devices"),
        Message("incident.partOf", nl: "Deel van storing", fr: "Fait partie de la panne", en: "Part of outage"),
    ]
}
