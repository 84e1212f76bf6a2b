/// What the commands operators run say about their outcome (`alert ack|respond|close`, `review record`,
/// `user set-language`).
extension Catalogue {
    static let cli: [Message] = outcomes + latencyReport

    static let outcomes: [Message] = [
        Message("cli.alreadyDone", nl: "{1}: {2} al {3}; niets vastgelegd", fr: "{1} : {2} déjà {3} ; rien d'enregistré",
            en: "{1}: {2} already {3}; nothing recorded"),
        Message("cli.acted", nl: "{1}: {2} {3}, melding {4} ({5} door {6})", fr: "{1} : {2} {3}, alerte {4} ({5} par {6})",
            en: "{1}: {2} {3}, alert {4} ({5} by {6})"),
        Message("cli.refused", nl: "{1}: geweigerd: {2}", fr: "{1} : refusé : {2}", en: "{1}: {2}"),
        Message("cli.reviewRecorded",
            nl: "{1}: doorlichting van {2} door {3} vastgelegd ({4}); volgende uiterste datum {5}",
            fr: "{1} : revue du {2} par {3} enregistrée ({4}) ; prochaine échéance {5}",
            en: "{1}: review of {2} by {3} recorded ({4}); next deadline {5}"),
        Message("cli.languageSet", nl: "{1}: taal {2}", fr: "{1} : langue {2}", en: "{1}: language {2}"),
        Message("cli.languageCleared", nl: "{1}: geen taal (die van de browser, anders Nederlands)",
            fr: "{1} : pas de langue (celle du navigateur, sinon le néerlandais)",
            en: "{1}: no language (the browser's, else Dutch)"),
    ]

    /// The latency report's table headers (`report latency`, table format; JSON and CSV keep the English names).
    static let latencyReport: [Message] = [
        Message("latencyreport.alerts", nl: "meldingen", fr: "alertes", en: "alerts"),
        Message("latencyreport.escalations", nl: "escalaties", fr: "escalades", en: "escalations"),
        Message("latencyreport.responded", nl: "met_maatregel", fr: "avec_mesure", en: "responded"),
        Message("latencyreport.mean", nl: "gemiddelde", fr: "moyenne", en: "mean"),
        Message("latencyreport.within_target", nl: "binnen_doel", fr: "dans_objectif", en: "within_target"),
        Message("latencyreport.acknowledged", nl: "bevestigd", fr: "accusées", en: "acknowledged"),
        Message("latencyreport.ack_p50", nl: "bev_p50", fr: "acc_p50", en: "ack_p50"),
        Message("latencyreport.ack_p90", nl: "bev_p90", fr: "acc_p90", en: "ack_p90"),
        Message("dimension.queue", nl: "wachtrij", fr: "file", en: "queue"),
        Message("dimension.breach", nl: "inbreuk", fr: "infraction", en: "breach"),
        Message("dimension.severity", nl: "ernst", fr: "gravité", en: "severity"),
        Message("dimension.radex", nl: "radex", fr: "radex", en: "radex"),
        Message("dimension.policy", nl: "beleid", fr: "politique", en: "policy"),
        Message("dimension.period", nl: "periode", fr: "période", en: "period"),
        Message("dimension.month", nl: "maand", fr: "mois", en: "month"),
        Message("dimension.all", nl: "alle", fr: "toutes", en: "all"),
    ]
}
