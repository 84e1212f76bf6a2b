@testable import SeinhuisApp
import SeinhuisCore
import Testing

@Suite("the review report's figures in each language's form")
struct ReportLanguageTests {
    @Test func durationsAndCountsInTheLanguage() {
        #expect(ReportText.duration(4_200, .fr) == "4,2 s" && ReportText.duration(4_200, .nl) == "4,2 s")
        #expect(ReportText.duration(4_200, .en) == "4.2 s")
        #expect(ReportText.duration(425_000, .fr) == "7 min 05 s")
        #expect(ReportText.days(1, .fr) == "1 jour" && ReportText.days(1500, .nl) == "1.500 dagen")
        #expect(ReportText.days(2, .en) == "2 days")
        // 2026-03-29: the day summer time begins in Brussels.
        #expect(ReportText.day(LocalDate(year: 2026, month: 3, day: 29), .fr) == "29 mars 2026")
    }
}

