import SeinhuisCore

/// A dossier as the store keeps it: the searchable columns and the canonical JSON of its conditions.
public struct DossierRecord: Sendable, Equatable {
    public var id: String
    public var subject: String
    public var radex: Bool
    public var mandate: String
    public var start: String
    public var end: String?
    public var timezone: String
    public var devices: [String]
    public var json: String
    public var version: Int64
    public var importedAt: Timestamp

    public init(
        id: String, subject: String, radex: Bool, mandate: String, start: String, end: String?, timezone: String,
        devices: [String], json: String, version: Int64 = 0, importedAt: Timestamp = Timestamp(milliseconds: 0)
    ) {
        self.id = id
        self.subject = subject
        self.radex = radex
        self.mandate = mandate
        self.start = start
        self.end = end
        self.timezone = timezone
        self.devices = devices
        self.json = json
        self.version = version
        self.importedAt = importedAt
    }
}

extension Store {
    /// Imports dossiers in one transaction: all or nothing. An existing id is replaced and its version bumped;
    /// every version is kept. Returns the stored records with their versions. `role`: the actor's, for the audit trail.
    @discardableResult
    public func importDossiers(_ records: [DossierRecord], by actor: String, role: String? = nil, at: Timestamp) throws
        -> [DossierRecord]
    {
        try db.transaction {
            var out: [DossierRecord] = []
            for var r in records {
                let previous = try db.scalarInt("SELECT version FROM dossier WHERE id = ?", [.text(r.id)])
                if let previous, let old = try dossier(id: r.id), old.json == r.json {
                    out.append(old)  // unchanged: no new version
                    _ = previous
                    continue
                }
                r.version = (previous ?? 0) + 1
                r.importedAt = at
                try db.cached(
                    """
                    INSERT INTO dossier(id, subject, radex, mandate, start, "end", timezone, version, imported_at, json)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                    ON CONFLICT(id) DO UPDATE SET subject = excluded.subject, radex = excluded.radex,
                        mandate = excluded.mandate, start = excluded.start, "end" = excluded."end",
                        timezone = excluded.timezone, version = excluded.version, imported_at = excluded.imported_at,
                        json = excluded.json
                    """
                ).run([
                    .text(r.id), .text(r.subject), .integer(r.radex ? 1 : 0), .text(r.mandate), .text(r.start),
                    SQLValue(r.end), .text(r.timezone), .integer(r.version), .integer(at.milliseconds), .text(r.json),
                ])
                try db.cached(
                    "INSERT INTO dossier_version(dossier_id, version, imported_at, imported_by, json) VALUES (?, ?, ?, ?, ?)"
                ).run([.text(r.id), .integer(r.version), .integer(at.milliseconds), .text(actor), .text(r.json)])
                try db.cached("DELETE FROM dossier_device WHERE dossier_id = ?").run([.text(r.id)])
                for d in r.devices {
                    try db.cached("INSERT OR IGNORE INTO dossier_device(device, dossier_id) VALUES (?, ?)")
                        .run([.text(d), .text(r.id)])
                }
                try audit(
                    actor: actor, action: previous == nil ? "dossier.import" : "dossier.reimport", subject: r.id,
                    detail: "version \(r.version)", at: at, role: role)
                out.append(r)
            }
            try setMeta("dossiers.changed_at", String(at.milliseconds))
            return out
        }
    }

    /// Changes whenever an import stores a new dossier version (the import time alone repeats when two imports share
    /// a millisecond).
    public func dossierChangeKey() throws -> String {
        let versions = try db.scalarInt("SELECT COUNT(*) FROM dossier_version") ?? 0
        return "\(try meta("dossiers.changed_at") ?? "")/\(versions)"
    }

    public func dossiers() throws -> [DossierRecord] {
        try loadDossiers(where: "", [])
    }

    public func dossier(id: String) throws -> DossierRecord? {
        try loadDossiers(where: "WHERE d.id = ?", [.text(id)]).first
    }

    private func loadDossiers(where clause: String, _ b: [SQLValue]) throws -> [DossierRecord] {
        let s = try db.prepare(
            """
            SELECT d.id, d.subject, d.radex, d.mandate, d.start, d."end", d.timezone, d.version, d.imported_at, d.json,
                (SELECT group_concat(device, char(31)) FROM dossier_device dd WHERE dd.dossier_id = d.id)
            FROM dossier d \(clause) ORDER BY d.id
            """)
        try s.bind(b)
        var out: [DossierRecord] = []
        try s.forEach { r in
            out.append(
                DossierRecord(
                    id: r.text(0), subject: r.text(1), radex: r.int(2) != 0, mandate: r.text(3), start: r.text(4),
                    end: r.optionalText(5), timezone: r.text(6),
                    devices: (r.optionalText(10) ?? "").split(separator: "\u{1F}").map(String.init).sorted(),
                    json: r.text(9), version: r.int(7), importedAt: Timestamp(milliseconds: r.int(8))))
        }
        return out
    }

    /// Every stored version of a dossier's conditions, oldest first.
    public func dossierVersions(id: String) throws -> [(
        version: Int64, importedAt: Timestamp, by: String, json: String
    )] {
        let s = try db.prepare(
            "SELECT version, imported_at, imported_by, json FROM dossier_version WHERE dossier_id = ? ORDER BY version")
        try s.bind([.text(id)])
        var out: [(Int64, Timestamp, String, String)] = []
        try s.forEach { r in out.append((r.int(0), Timestamp(milliseconds: r.int(1)), r.text(2), r.text(3))) }
        return out.map { (version: $0.0, importedAt: $0.1, by: $0.2, json: $0.3) }
    }
}
