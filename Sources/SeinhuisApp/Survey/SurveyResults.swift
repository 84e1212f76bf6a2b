import SeinhuisCore
import SeinhuisStore

/// One question's answers in a group: how many, the mean, and how many gave each score 1-5.
public struct SurveyQuestionResult: Sendable, Equatable {
    public var count: Int
    public var mean: Double?
    /// `distribution[0]` answered 1, … `distribution[4]` answered 5.
    public var distribution: [Int]
}

/// The answers of one group: a role, `others` (roles with too few answers each, pooled) or `all`.
public struct SurveyGroupResult: Sendable, Equatable {
    public var group: String
    public var answers: Int
    public var questions: [SurveyQuestionResult]
    /// The comments, sorted (never in the order they were given).
    public var comments: [String]
}

/// A round's results per role (docs/SURVEY.md). Shown only once the round is closed, so that results seen before
/// and after one more answer cannot be differenced into that answer; a role with fewer than `minimumGroup` answers
/// is pooled with the other small ones into `others`, and a pool still under `minimumGroup` is withheld, so no
/// shown figure is one person's answer. `all` is the shown groups together.
public struct SurveyResults: Sendable, Equatable {
    public static let minimumGroup = 3
    public static let others = "others"
    public static let all = "all"

    public var round: SurveyRound
    /// Empty while the round is open.
    public var groups: [SurveyGroupResult]
    /// Answers not shown: in a pool of small roles under `minimumGroup`.
    public var withheld: Int

    public var shown: Bool { !round.isOpen }

    public init(round: SurveyRound, answers: [SurveyAnswer]) {
        self.round = round
        guard !round.isOpen else {
            groups = []
            withheld = 0
            return
        }
        let questions = round.questions.count
        var shownGroups: [SurveyGroupResult] = []
        var shownAnswers: [SurveyAnswer] = []
        var pooled: [SurveyAnswer] = []
        for role in Role.allCases {
            let mine = answers.filter { $0.role == role }
            if mine.count >= Self.minimumGroup {
                shownGroups.append(Self.group(role.rawValue, mine, questions: questions))
                shownAnswers += mine
            } else {
                pooled += mine
            }
        }
        if pooled.count >= Self.minimumGroup {
            shownGroups.append(Self.group(Self.others, pooled, questions: questions))
            shownAnswers += pooled
            withheld = 0
        } else {
            withheld = pooled.count
        }
        if !shownGroups.isEmpty { shownGroups.append(Self.group(Self.all, shownAnswers, questions: questions)) }
        groups = shownGroups
    }

    static func group(_ name: String, _ answers: [SurveyAnswer], questions: Int) -> SurveyGroupResult {
        let perQuestion = (0..<questions).map { i -> SurveyQuestionResult in
            let scores = answers.compactMap { $0.scores.indices.contains(i) ? $0.scores[i] : nil }
            var distribution = [0, 0, 0, 0, 0]
            for s in scores where (1...5).contains(s) { distribution[s - 1] += 1 }
            let mean = scores.isEmpty ? nil : Double(scores.reduce(0, +)) / Double(scores.count)
            return SurveyQuestionResult(count: scores.count, mean: mean, distribution: distribution)
        }
        return SurveyGroupResult(
            group: name, answers: answers.count, questions: perQuestion,
            comments: answers.compactMap(\.comment).sorted())
    }
}
