import Foundation
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore
import Testing

/// The survey's results per role, computed from answers stored in a real database file.
@Suite("the survey's results per role")
struct SurveyResultsTests {
    static func database() throws -> Store {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seinhuis-sr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return try Store(path: dir.appendingPathComponent("s.sqlite").path)
    }

    static let t = Timestamp(milliseconds: 1_790_000_000_000)

    static func answer(_ s: Store, _ round: Int64, _ name: String, _ role: Role, _ scores: [Int], _ comment: String?)
        throws
    {
        try SurveyDesk.answer(s, round: round, account: name, role: role, scores: scores, comment: comment, at: t)
    }

    @Test func meansDistributionsAndCommentsPerRole() throws {
        let s = try Self.database()
        let round = try SurveyDesk.open(
            s, title: "Evaluatie", questions: ["q1", "q2"], by: "root", role: .admin, at: Self.t)
        try Self.answer(s, round.id, "o1", .operator, [4, 2], "traag 's nachts")
        try Self.answer(s, round.id, "o2", .operator, [5, 3], nil)
        try Self.answer(s, round.id, "o3", .operator, [3, 3], "  ")
        try Self.answer(s, round.id, "o4", .operator, [4, 1], "goed")
        try Self.answer(s, round.id, "c1", .cell, [1, 5], "te veel meldingen")
        try Self.answer(s, round.id, "c2", .cell, [2, 4], nil)
        try Self.answer(s, round.id, "p1", .police, [5, 5], "alleen ik")
        // While open nothing is shown, only how many answered.
        let open = try #require(try SurveyDesk.results(s, round: round.id))
        #expect(!open.shown && open.groups.isEmpty && open.round.answered == 7)
        _ = try s.closeSurvey(round.id, by: "root", role: "admin", at: Self.t)
        let r = try #require(try SurveyDesk.results(s, round: round.id))
        #expect(r.groups.map(\.group) == ["operator", "others", "all"])
        let op = r.groups[0]
        #expect(op.answers == 4)
        // q1: 4, 5, 3, 4 → mean 4; q2: 2, 3, 3, 1 → mean 2.25.
        #expect(op.questions[0].mean == 4.0 && op.questions[0].distribution == [0, 0, 1, 2, 1])
        #expect(op.questions[1].mean == 2.25 && op.questions[1].distribution == [1, 1, 2, 0, 0])
        #expect(op.comments == ["goed", "traag 's nachts"])  // sorted; a blank comment is none
        // cell (2) and police (1) are too few on their own: pooled as others (3).
        let others = r.groups[1]
        #expect(others.answers == 3)
        #expect(others.questions[0].mean == (1.0 + 2 + 5) / 3 && others.questions[1].distribution == [0, 0, 0, 1, 2])
        #expect(others.comments == ["alleen ik", "te veel meldingen"])
        #expect(r.groups[2].answers == 7 && r.groups[2].questions[1].mean == 23.0 / 7)
        #expect(r.withheld == 0)
        #expect(r.json().contains(#""group":"operator""#))
    }

    @Test func aPoolUnderTheMinimumIsWithheldAndLeftOutOfAll() throws {
        let s = try Self.database()
        let round = try SurveyDesk.open(s, title: nil, questions: [], by: "root", role: .admin, at: Self.t)
        // The standard round: each reader gets its title and questions in their own language.
        #expect(round.questions(.fr) == SurveyDesk.defaultQuestions(.fr) && round.title(.fr).hasPrefix("Évaluation"))
        #expect(round.questions(.nl).first == "De seiningsprocedure is duidelijk voor mij.")
        for i in 1...3 { try Self.answer(s, round.id, "o\(i)", .operator, [3, 3, 3], nil) }
        try Self.answer(s, round.id, "k", .coordinator, [1, 1, 1], "seul")
        _ = try s.closeSurvey(round.id, by: "root", role: "admin", at: Self.t)
        let r = try #require(try SurveyDesk.results(s, round: round.id))
        #expect(r.groups.map(\.group) == ["operator", "all"])
        #expect(r.withheld == 1)
        #expect(r.groups[1].answers == 3 && r.groups[1].questions[0].mean == 3)
        #expect(!r.groups.flatMap(\.comments).contains("seul"))
    }

    @Test func badAnswersAreRefusedWithTheReason() throws {
        let s = try Self.database()
        let round = try SurveyDesk.open(
            s, title: "R", questions: ["a", "b"], by: "root", role: .admin, at: Self.t)
        func refusal(_ scores: [Int]?) -> SurveyError? {
            do {
                try Self.answer(s, round.id, "x", .operator, scores ?? [], nil)
                return nil
            } catch { return error as? SurveyError }
        }
        #expect(refusal([4, 6])?.description == "the answer to question 2 must be 1 to 5, not 6")
        #expect(refusal([0, 3])?.kind == .invalid)
        #expect(refusal([4])?.description.contains("2 scores, not 1") == true)
        #expect(try s.surveyAnswers(round.id).isEmpty)
        #expect(throws: SurveyError.self) {
            try SurveyDesk.open(s, title: "again", questions: [], by: "root", role: .admin, at: Self.t)
        }
        #expect(throws: SurveyError.self) {
            try SurveyDesk.answer(s, round: 99, account: "x", role: .cic, scores: [1, 1], comment: nil, at: Self.t)
        }
    }
}
