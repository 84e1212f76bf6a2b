import Foundation
import SeinhuisCore
import SeinhuisStore

/// `seinhuis dossier import`: validates a file of one dossier or an array, checks device bindings against the
/// stored dossiers, and stores all of it or nothing (PROTOCOL 3).
public enum DossierImport {
    @discardableResult
    public static func run(
        file: String, store: Store, by actor: String, role: String? = nil, at: Timestamp,
        subjects: SubjectPattern = SubjectPattern()
    ) throws -> [DossierRecord] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw DossierImportError(message: "cannot read \(file): \(error.localizedDescription)")
        }
        return try run(data: data, source: file, store: store, by: actor, role: role, at: at, subjects: subjects)
    }

    /// `subjects`: the rule every dossier's `subject` must follow (PROTOCOL 7); one refused subject refuses the file.
    @discardableResult
    public static func run(
        data: Data, source: String, store: Store, by actor: String, role: String? = nil, at: Timestamp,
        subjects: SubjectPattern = SubjectPattern()
    ) throws -> [DossierRecord] {
        let incoming: [Dossier]
        do {
            incoming = try Dossier.parse(data)
        } catch {
            throw DossierImportError(message: "\(source): \(error)")
        }
        var seen = Set<String>()
        for d in incoming where !seen.insert(d.id).inserted {
            throw DossierImportError(message: "\(source): dossier \(d.id) appears twice")
        }
        try subjects.check(incoming, source: source)
        // A device may be bound to at most one active dossier: check the file against itself and the store. A
        // protected person's device counts like a tag (PROTOCOL 3, 1.1): it can be neither a tag of another dossier
        // nor another dossier's protected device in an overlapping period.
        let stored = try store.dossierSet().dossiers.filter { !seen.contains($0.id) }
        let all = stored + incoming
        // Only dossiers that share a device can conflict: index them by device (was a comparison of every pair).
        var byDevice: [String: [Int]] = [:]
        for (k, d) in all.enumerated() { for dev in Set(d.boundDevices) { byDevice[dev, default: []].append(k) } }
        for d in incoming {
            var others = Set<Int>()
            for dev in d.boundDevices { others.formUnion(byDevice[dev] ?? []) }
            for k in others.sorted() where all[k].id != d.id {
                let other = all[k]
                let shared = Set(d.boundDevices).intersection(other.boundDevices)
                if let dev = shared.sorted().first, d.overlapsActivePeriod(of: other) {
                    let field = d.fieldPath(ofDevice: dev) ?? "devices"
                    let there = other.fieldPath(ofDevice: dev) ?? "devices"
                    throw DossierImportError(
                        message:
                            "\(source): dossier \(d.id): \(field): device \(dev) is already bound to dossier \(other.id) (\(there)) in an overlapping period"
                    )
                }
            }
        }
        let records = incoming.map { d in
            DossierRecord(
                id: d.id, subject: d.subject, radex: d.radex, mandate: d.mandate.rawValue, start: d.start.description,
                end: d.end?.description, timezone: d.timezone, devices: d.boundDevices, json: d.canonicalJSON)
        }
        return try store.importDossiers(records, by: actor, role: role, at: at)
    }
}
