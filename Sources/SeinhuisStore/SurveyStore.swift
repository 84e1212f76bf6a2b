import SeinhuisCore

/// A round of the actors' survey (docs/SURVEY.md): its questions (answered 1-5) and whether it is still open.
public struct SurveyRound: Sendable, Equatable {
    public var id: Int64
    public var title: String
    public var questions: [String]
    public var openedAt: Timestamp
    public var openedBy: String
    public var closedAt: Timestamp?
    public var closedBy: String?
    /// How many accounts answered it (the participants; never which answer is whose).
    public var answered: Int

    public var isOpen: Bool { closedAt == nil }
}

/// One answer as stored: the role of whoever gave it, a score per question, the comment. No account, no time.
public struct SurveyAnswer: Sendable, Equatable {
    public var role: Role
    public var scores: [Int]
    public var comment: String?

    public init(role: Role, scores: [Int], comment: String?) {
        self.role = role
        self.scores = scores
        self.comment = comment
    }
}

/// Why a survey change does not apply. Nothing was changed.
public struct SurveyError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// No such round.
        case unknownRound
        /// The round is closed (answering, closing again).
        case closed
        /// The account answered this round already.
        case answeredAlready
        /// The answer or the round's questions are not acceptable.
        case invalid
    }
    public var kind: Kind
    public var description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}

extension Store {
    /// Opens a round with `questions` (in order), unless one is open (checked in the transaction: one open round at
    /// a time). Audited as `survey.open` by `actor`.
    public func openSurvey(title: String, questions: [String], by actor: String, role: String?, at: Timestamp)
        throws -> SurveyRound
    {
        try db.transaction {
            if let open = try db.scalarInt("SELECT id FROM survey_round WHERE closed_at IS NULL LIMIT 1") {
                throw SurveyError(.invalid, "survey round \(open) is still open: close it first")
            }
            try db.cached("INSERT INTO survey_round(title, opened_at, opened_by) VALUES (?, ?, ?)").run([
                .text(title), .integer(at.milliseconds), .text(actor),
            ])
            let id = db.lastInsertRowID
            let insert = try db.cached("INSERT INTO survey_question(round_id, number, text) VALUES (?, ?, ?)")
            for (i, q) in questions.enumerated() { try insert.run([.integer(id), .integer(Int64(i + 1)), .text(q)]) }
            try audit(
                actor: actor, action: "survey.open", subject: Self.surveySubject(id),
                detail: "\(title) (\(questions.count) questions)", at: at, role: role)
            return try surveyRound(id)!
        }
    }

    /// Closes an open round. Audited as `survey.close`.
    public func closeSurvey(_ id: Int64, by actor: String, role: String?, at: Timestamp) throws -> SurveyRound {
        try db.transaction {
            guard let round = try surveyRound(id) else { throw SurveyError(.unknownRound, "no survey round \(id)") }
            guard round.isOpen else { throw SurveyError(.closed, "survey round \(id) is closed already") }
            try db.cached("UPDATE survey_round SET closed_at = ?, closed_by = ? WHERE id = ?").run([
                .integer(at.milliseconds), .text(actor), .integer(id),
            ])
            try audit(
                actor: actor, action: "survey.close", subject: Self.surveySubject(id),
                detail: "\(round.answered) answers", at: at, role: role)
            return try surveyRound(id)!
        }
    }

    /// Records `account`'s answer to round `id`: that the account answered (without the answer), and the answer with
    /// the role only, under a random key. One transaction: both or neither. Audited as `survey.answer` (who and when,
    /// never what). The caller checked the scores against the questions.
    public func answerSurvey(_ id: Int64, account: String, answer: SurveyAnswer, at: Timestamp) throws {
        try db.transaction {
            guard let round = try surveyRound(id) else { throw SurveyError(.unknownRound, "no survey round \(id)") }
            guard round.isOpen else { throw SurveyError(.closed, "survey round \(id) is closed") }
            let already = try db.scalarInt(
                "SELECT COUNT(*) FROM survey_participant WHERE round_id = ? AND account = ?",
                [.integer(id), .text(account)])
            guard already == 0 else {
                throw SurveyError(.answeredAlready, "\(account) answered survey round \(id) already")
            }
            try db.cached("INSERT INTO survey_participant(round_id, account) VALUES (?, ?)").run([
                .integer(id), .text(account),
            ])
            try db.cached("INSERT INTO survey_answer(id, round_id, role, scores, comment) VALUES (?, ?, ?, ?, ?)").run(
                [
                    .text(Self.randomKey()), .integer(id), .text(answer.role.rawValue),
                    .text(answer.scores.map(String.init).joined(separator: ",")), SQLValue(answer.comment),
                ])
            try audit(
                actor: account, action: "survey.answer", subject: Self.surveySubject(id), detail: "answered",
                at: at, role: answer.role.rawValue)
        }
    }

    /// The rounds, newest first.
    public func surveyRounds() throws -> [SurveyRound] {
        var ids: [Int64] = []
        try db.cached("SELECT id FROM survey_round ORDER BY id DESC").forEach { ids.append($0.int(0)) }
        return try ids.compactMap { try surveyRound($0) }
    }

    public func surveyRound(_ id: Int64) throws -> SurveyRound? {
        let s = try db.cached(
            """
            SELECT id, title, opened_at, opened_by, closed_at, closed_by,
                (SELECT COUNT(*) FROM survey_participant p WHERE p.round_id = r.id)
            FROM survey_round r WHERE id = ?
            """)
        try s.bind([.integer(id)])
        var round: SurveyRound?
        try s.forEach {
            round = SurveyRound(
                id: $0.int(0), title: $0.text(1), questions: [], openedAt: Timestamp(milliseconds: $0.int(2)),
                openedBy: $0.text(3), closedAt: $0.optionalInt(4).map(Timestamp.init), closedBy: $0.optionalText(5),
                answered: Int($0.int(6)))
        }
        guard var found = round else { return nil }
        let q = try db.cached("SELECT text FROM survey_question WHERE round_id = ? ORDER BY number")
        try q.bind([.integer(id)])
        try q.forEach { found.questions.append($0.text(0)) }
        return found
    }

    /// Whether `account` answered round `id`.
    public func hasAnswered(_ id: Int64, account: String) throws -> Bool {
        try db.scalarInt(
            "SELECT COUNT(*) FROM survey_participant WHERE round_id = ? AND account = ?",
            [.integer(id), .text(account)]) == 1
    }

    /// The answers of round `id`, in the order of their random keys (no order of answering).
    public func surveyAnswers(_ id: Int64) throws -> [SurveyAnswer] {
        let s = try db.cached("SELECT role, scores, comment FROM survey_answer WHERE round_id = ? ORDER BY id")
        try s.bind([.integer(id)])
        var out: [SurveyAnswer] = []
        try s.forEach {
            guard let role = Role(rawValue: $0.text(0)) else { return }
            out.append(
                SurveyAnswer(
                    role: role, scores: $0.text(1).split(separator: ",").compactMap { Int($0) },
                    comment: $0.optionalText(2)))
        }
        return out
    }

    /// The audit trail's subject for a round: `survey-3`.
    public static func surveySubject(_ id: Int64) -> String { "survey-\(id)" }

    /// 128 random bits as 32 hex digits, from the system's cryptographic generator.
    static func randomKey() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let s = String(g.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }.joined()
    }
}
