import SeinhuisCore
import SeinhuisStore

/// The actors' survey (docs/SURVEY.md) as the command line and the console use it: opening and closing rounds
/// (administrators), answering (every console account, once per round), and the results per role.
public enum SurveyDesk {
    public static let maxQuestions = 10
    public static let maxQuestionLength = 300
    public static let maxTitleLength = 200
    public static let maxCommentLength = 2000

    /// The questions a round asks when none are given, in `lang`.
    public static func defaultQuestions(_ lang: Language) -> [String] {
        standardQuestions.map { Catalogue.text($0, lang) }
    }

    /// The standard title and questions are stored as their catalogue keys, so each reader gets them in their own
    /// language (a round given its own questions shows them as written).
    static let standardQuestions = ["survey.question1", "survey.question2", "survey.question3"]
    static let standardTitle = "survey.defaultTitle"

    /// Opens a round (only one is open at a time). `questions` empty: the standard questions (in each reader's
    /// language); `title` nil: the standard title.
    public static func open(
        _ store: Store, title: String?, questions: [String], by actor: String, role: Role, at: Timestamp
    ) throws -> SurveyRound {
        let t = (title ?? standardTitle).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !t.isEmpty, t.count <= maxTitleLength else {
            throw SurveyError(.invalid, "a round's title needs 1 to \(maxTitleLength) characters")
        }
        let qs =
            questions.isEmpty
            ? standardQuestions
            : questions.map {
                $0.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        guard qs.count <= maxQuestions else {
            throw SurveyError(.invalid, "a round asks at most \(maxQuestions) questions, not \(qs.count)")
        }
        if let bad = qs.firstIndex(where: { $0.isEmpty || $0.count > maxQuestionLength }) {
            throw SurveyError(.invalid, "question \(bad + 1) needs 1 to \(maxQuestionLength) characters")
        }
        return try store.openSurvey(title: t, questions: qs, by: actor, role: role.rawValue, at: at)
    }

    /// Records an answer: one score 1-5 per question of the round, and an optional comment.
    public static func answer(
        _ store: Store, round id: Int64, account: String, role: Role, scores: [Int]?, comment: String?,
        at: Timestamp
    ) throws {
        guard let round = try store.surveyRound(id) else { throw SurveyError(.unknownRound, "no survey round \(id)") }
        guard round.isOpen else { throw SurveyError(.closed, "survey round \(id) is closed") }
        let scores = scores ?? []
        guard scores.count == round.questions.count else {
            throw SurveyError(
                .invalid,
                "\"answers\" needs one score per question: \(round.questions.count) scores, not \(scores.count)")
        }
        if let i = scores.firstIndex(where: { !(1...5).contains($0) }) {
            throw SurveyError(.invalid, "the answer to question \(i + 1) must be 1 to 5, not \(scores[i])")
        }
        let text = comment?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard text.count <= maxCommentLength else {
            throw SurveyError(.invalid, "a comment may have at most \(maxCommentLength) characters")
        }
        try store.answerSurvey(
            id, account: account, answer: SurveyAnswer(role: role, scores: scores, comment: text.isEmpty ? nil : text),
            at: at)
    }

    /// The results of round `id` (nil: no such round).
    public static func results(_ store: Store, round id: Int64) throws -> SurveyResults? {
        guard let round = try store.surveyRound(id) else { return nil }
        return SurveyResults(round: round, answers: round.isOpen ? [] : try store.surveyAnswers(id))
    }

    /// The results of every closed round opened in [from, to), oldest first (the evaluation report).
    public static func results(_ store: Store, from: Timestamp, to: Timestamp) throws -> [SurveyResults] {
        try store.surveyRounds().reversed().filter { !$0.isOpen && $0.openedAt >= from && $0.openedAt < to }.map {
            SurveyResults(round: $0, answers: try store.surveyAnswers($0.id))
        }
    }
}

extension SurveyRound {
    /// The title for a reader in `lang` (the standard one translated, an administrator's as written).
    public func title(_ lang: Language) -> String { Self.text(title, lang) }

    /// The questions for a reader in `lang`.
    public func questions(_ lang: Language) -> [String] { questions.map { Self.text($0, lang) } }

    static func text(_ stored: String, _ lang: Language) -> String {
        stored.hasPrefix("survey.") && Catalogue.index[stored] != nil ? Catalogue.text(stored, lang) : stored
    }
}
