/// The fields of contract 1.1 (PROTOCOL 3): devices given as objects with a `network`, `protected` persons, and a
/// zone's `crossing`.
extension FieldReader {
    /// `devices`: each a device id, or (1.1) `{"id": "TAG-0001", "network": "carrier-a"}`. Returns the ids in order
    /// and the networks of the devices that name one.
    func devices(_ values: [JSONValue]) throws(DossierError) -> ([String], [String: String]) {
        var devices: [String] = []
        var networks: [String: String] = [:]
        var seen = Set<String>()
        for (i, v) in values.enumerated() {
            let path = "devices[\(i)]"
            let d: String
            if case .object(let o) = v {
                d = try string(o, "id", path: path + ".id")
                guard Dossier.isValidDeviceID(d) else {
                    throw error(path + ".id", "must be 1-64 characters of [A-Za-z0-9._-]")
                }
                if let n = try optional(o, "network", { (n) throws(DossierError) in
                    try string(n, path: path + ".network")
                }) {
                    guard !n.isEmpty, n.count <= 128 else { throw error(path + ".network", "must be 1-128 characters") }
                    networks[d] = n
                }
            } else {
                guard case .string(let s) = v else {
                    throw error(path, "must be a device id or an object with an id, found \(v.typeName)")
                }
                d = s
                guard Dossier.isValidDeviceID(d) else { throw error(path, "must be 1-64 characters of [A-Za-z0-9._-]") }
            }
            guard seen.insert(d).inserted else { throw error(path, "\(d) appears twice") }
            devices.append(d)
        }
        return (devices, networks)
    }

    /// `protected`: `[{"id": "P-01", "device": "VIC-0001", "radius_m": 1000}]`. A person's device may not be a tag
    /// of the dossier (`tags`), nor appear twice; ids are unique; the radius is more than 0.
    func protectedPersons(_ v: JSONValue, tags: Set<String>) throws(DossierError) -> [ProtectedPerson] {
        let items = try array(v, path: "protected")
        var out: [ProtectedPerson] = []
        var ids = Set<String>()
        var devices = Set<String>()
        for (i, item) in items.enumerated() {
            let p = "protected[\(i)]"
            let o = try object(item, path: p)
            let id = try string(o, "id", path: p + ".id")
            guard !id.isEmpty, id.count <= 128 else { throw error(p + ".id", "must be 1-128 characters") }
            guard ids.insert(id).inserted else { throw error(p + ".id", "\(id) appears twice") }
            let device = try string(o, "device", path: p + ".device")
            guard Dossier.isValidDeviceID(device) else {
                throw error(p + ".device", "must be 1-64 characters of [A-Za-z0-9._-]")
            }
            guard !tags.contains(device) else {
                throw error(p + ".device", "\(device) is also a tag of this dossier (devices)")
            }
            guard devices.insert(device).inserted else { throw error(p + ".device", "\(device) appears twice") }
            let radius = try number(o, "radius_m", path: p + ".radius_m")
            guard radius > 0 else { throw error(p + ".radius_m", "must be more than 0") }
            out.append(ProtectedPerson(id: id, device: device, radiusMetres: radius))
        }
        return out
    }

    /// A zone's `crossing` (default false); true only on an exclusion zone.
    func crossing(_ o: [String: JSONValue], kind: ZoneKind, path: String) throws(DossierError) -> Bool {
        guard let v = o["crossing"], v.isPresent else { return false }
        guard case .bool(let b) = v else {
            throw error(path + ".crossing", "must be true or false, found \(v.typeName)")
        }
        if b, kind != .exclusion { throw error(path + ".crossing", "only an exclusion zone can be crossed") }
        return b
    }
}
