import Foundation
import SeinhuisCore
import SeinhuisStore
import Testing

/// The survey's tables on a real database file: answers never name the account, and an account answers once.
@Suite("the survey's store")
struct SurveyStoreTests {
    static func database() throws -> Store {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seinhuis-survey-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return try Store(path: dir.appendingPathComponent("s.sqlite").path)
    }

    static func columns(_ store: Store, _ table: String) throws -> [String] {
        var out: [String] = []
        try store.db.prepare("SELECT name FROM pragma_table_info('\(table)') ORDER BY cid").forEach {
            out.append($0.text(0))
        }
        return out
    }

    @Test func theAnswersTableNeverNamesTheAccountNorTheMoment() throws {
        let store = try Self.database()
        let t = Timestamp(milliseconds: 1_790_000_000_000)
        let round = try store.openSurvey(title: "R", questions: ["a", "b"], by: "root", role: "admin", at: t)
        let accounts = ["anna.peeters", "kp-cell", "jules.dupont"]
        for (i, name) in accounts.enumerated() {
            try store.answerSurvey(
                round.id, account: name,
                answer: SurveyAnswer(role: i == 1 ? .cell : .operator, scores: [i + 1, 5 - i], comment: "c\(i)"),
                at: Timestamp(milliseconds: t.milliseconds + Int64(i) * 61_000))
        }
        // The answer: a random key, the round, the role, the scores and the comment; no account, no time.
        #expect(try Self.columns(store, "survey_answer") == ["id", "round_id", "role", "scores", "comment"])
        // Who answered: the round and the account only, no time.
        #expect(try Self.columns(store, "survey_participant") == ["round_id", "account"])
        var cells: [String] = []
        try store.db.prepare("SELECT id, round_id, role, scores, comment FROM survey_answer").forEach { r in
            cells += (0..<5).map { r.isNull($0) ? "" : r.text($0) }
        }
        #expect(cells.count == 15)
        for name in accounts {
            #expect(!cells.contains { $0.contains(name) }, "an answer names \(name)")
        }
        // No value of an answer is a moment of answering (or near one).
        for c in cells { #expect(Int64(c).map { abs($0 - t.milliseconds) > 86_400_000 } ?? true) }
        // The keys are random (32 hex digits), so the table's order is not the order of answering.
        var keys: [String] = []
        try store.db.prepare("SELECT id FROM survey_answer").forEach { keys.append($0.text(0)) }
        #expect(keys.allSatisfy { $0.count == 32 && $0.allSatisfy(\.isHexDigit) })
        #expect(Set(keys).count == 3)
        // The rowid is not there to give the order away either.
        #expect(throws: (any Error).self) { try store.db.prepare("SELECT rowid FROM survey_answer").forEach { _ in } }
        #expect(try store.surveyRound(round.id)?.answered == 3)
        #expect(Set(try store.surveyAnswers(round.id).map(\.role)) == [.operator, .cell])
    }

    @Test func aSecondAnswerOfTheSameAccountIsRefusedAndChangesNothing() throws {
        let store = try Self.database()
        let t = Timestamp(milliseconds: 1_790_000_000_000)
        let round = try store.openSurvey(title: "R", questions: ["a"], by: "root", role: "admin", at: t)
        let answer = SurveyAnswer(role: .police, scores: [4], comment: nil)
        try store.answerSurvey(round.id, account: "p1", answer: answer, at: t)
        #expect(throws: SurveyError(.answeredAlready, "p1 answered survey round \(round.id) already")) {
            try store.answerSurvey(round.id, account: "p1", answer: answer, at: t)
        }
        #expect(try store.surveyAnswers(round.id).count == 1)
        #expect(try store.hasAnswered(round.id, account: "p1"))
        _ = try store.closeSurvey(round.id, by: "root", role: "admin", at: t)
        #expect(throws: SurveyError(.closed, "survey round \(round.id) is closed")) {
            try store.answerSurvey(round.id, account: "p2", answer: answer, at: t)
        }
        let actions = try store.auditTrail(subject: Store.surveySubject(round.id)).map(\.action)
        #expect(actions == ["survey.open", "survey.answer", "survey.close"])
    }
}
