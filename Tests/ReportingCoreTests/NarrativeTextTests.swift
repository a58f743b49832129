import Foundation
import Testing

@testable import ReportingCore

/// Sentences and figures as the seeds write them, and hostile input.
@Suite struct NarrativeTextTests {
    @Test func sentencesKeepNumbersDocumentsAndDatesWhole() {
        let text = "Cấp CCCD cho 1.609.226 trường hợp, đạt 97,45%. Theo Kế hoạch số 48/KH-BCĐCĐS ngày 14/3/2024 của BCĐ.\nDòng hai."
        let sentences = NarrativeSentenceSplitter.split(text)
        #expect(
            sentences.map(\.text) == [
                "Cấp CCCD cho 1.609.226 trường hợp, đạt 97,45%.",
                "Theo Kế hoạch số 48/KH-BCĐCĐS ngày 14/3/2024 của BCĐ.", "Dòng hai."
            ])
        let characters = Array(text)
        for sentence in sentences {
            #expect(String(characters[sentence.offset...].prefix(4)) == String(sentence.text.prefix(4)))
        }
        #expect(sentences.map(\.line) == [1, 1, 2])
    }

    @Test func markupIsBlankedAndLinesAreKept() {
        let text = "Tổng số là **1.305** camera<sup>17</sup> và\n\n*22* camera thông minh.\n- Mục hai\n- Mục ba"
        let sentences = NarrativeSentenceSplitter.split(text)
        #expect(sentences.map(\.text) == ["Tổng số là 1.305 camera và 22 camera thông minh.", "- Mục hai", "- Mục ba"])
        #expect(sentences[0].line(at: 30) == 3)
        #expect(sentences.map(\.line) == [1, 4, 5])
    }

    @Test func tableRowsAreSentencesOfTheirOwn() {
        let sentences = NarrativeSentenceSplitter.split("6.3\tTỷ lệ hồ sơ\t97,1\n6.4\tTỷ lệ\t99,8")
        #expect(sentences.count == 2 && sentences.allSatisfy(\.isTableRow))
    }

    @Test func figuresAsTheSeedsWriteThem() {
        let tokens = NarrativeNumberScanner.scan(
            "1.609.226 người, 02 quyết định, 97,45% và 0,95 % cùng 10712 và 16.2% (56/56) theo 48/KH-BCĐCĐS ngày 14/3/2024")
        #expect(tokens.map(\.text) == ["1.609.226", "02", "97,45%", "0,95 %", "10712", "16.2%", "56/56", "48/KH-BCĐCĐS", "14/3/2024"])
        #expect(tokens[0].count == ExactNumber(1_609_226))
        #expect(tokens[1].count == ExactNumber(2))
        #expect(tokens[2].isPercent && tokens[2].decimals == 2 && tokens[2].number == ExactNumber(mantissa: 9745, scale: 2))
        #expect(tokens[5].number == ExactNumber(mantissa: 162, scale: 1))
        #expect(tokens[6].kind == .fraction(ExactNumber(56), ExactNumber(56)))
        #expect(tokens[7].kind == .documentNumber("48/KH-BCĐCĐS"))
        #expect(tokens[8].kind == .date(CivilDate(year: 2024, month: 3, day: 14)))
    }

    @Test func notFigures() {
        // A footnote mark glued to a word, a code, a month with its year, a dotted number that is neither.
        let tokens = NarrativeNumberScanner.scan("ban hành1 05 quyết định, mã H05, tháng 6/2024, 5G, số 12.50 hồ sơ, hơn 7.000 người")
        #expect(tokens.map(\.text) == ["05", "7.000"])
        #expect(tokens[1].approximate)
    }

    @Test func hugeNumbersAreNotFigures() throws {
        let text =
            "Tiếp nhận 99999999999999999999999 hồ sơ (trực tuyến 1234567890123456, trực tiếp 300). "
            + "Tổng 999.999.999.999 hồ sơ (999.999.999.999 A, 999.999.999.999 B). 1/0 đạt 5%."
        let findings = try NarrativeCheck.check(text)
        #expect(findings.map(\.expected) == ["999.999.999.999 + 999.999.999.999 = 1.999.999.999.998"])
    }

    @Test func textOverTwoMegabytesIsRefused() {
        let text = String(repeating: "Tiếp nhận 10 hồ sơ. ", count: 110_000)
        #expect(text.utf8.count > NarrativeCheck.maxBytes)
        do {
            _ = try NarrativeCheck.check(text)
            Issue.record("a text over 2 MB was checked")
        } catch {
            #expect(error.description.contains("2 MB") && error.description.contains("tách"))
        }
    }

    @Test func deepParenthesesAndLongSentencesEnd() throws {
        let deep = String(repeating: "(", count: 200_000) + "1.250 hồ sơ (900, 300)" + String(repeating: ")", count: 200_000)
        #expect(try NarrativeCheck.check(deep).count <= 1)
        let figures = String(repeating: "1 (1, 1) 2/3 đạt 5% (tỷ lệ 1%) trong đó 1, 2; ", count: 20_000)
        #expect(figures.utf8.count < NarrativeCheck.maxBytes)
        let findings = try NarrativeCheck.check(figures)
        #expect(findings.allSatisfy { $0.severity == "warning" })
        #expect(!findings.isEmpty)
    }
}
