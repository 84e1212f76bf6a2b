import Testing

@testable import SeinhuisCore

@Suite("Rules: the device name index")
struct RulesNameIndexTests {
    @Test func namesGetStableIndicesInTheOrderAdded() {
        var index = NameIndex()
        #expect(index.index(of: "TAG-1") == nil)
        let names = (0..<5000).map { "TAG-\($0)" } + ["a-device-id-longer-than-fifteen-bytes", ""]
        index.reserve(100)  // less than needed: it grows as names come
        for (k, name) in names.enumerated() {
            #expect(index.insert(name) == (k, true))
        }
        for (k, name) in names.enumerated() {
            #expect(index.index(of: name) == k)
            #expect(index[k] == name)
        }
        #expect(index.insert("TAG-42") == (42, false))
        #expect(index.count == names.count)
        #expect(index.index(of: "TAG-5000") == nil)
        #expect(index.index(of: "TAG-") == nil)
    }
}
