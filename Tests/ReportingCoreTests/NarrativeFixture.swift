import Foundation

@testable import ReportingCore

/// The tables of `Fixtures/narrative-findings.md`: expected findings (N…), checked-and-right
/// figures (R…) and tricky sentences (T…), one row each.
struct NarrativeFixtureRow: Sendable, CustomStringConvertible {
    var id: String
    var seed: String
    var line: Int
    var rule: String
    var figures: String
    var excerpt: String

    var description: String { "\(id) (seed \(seed), line \(line), \(rule): \(figures))" }

    static func load() throws -> [NarrativeFixtureRow] {
        try Fixtures.text("narrative-findings.md").split(separator: "\n").compactMap { line -> NarrativeFixtureRow? in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 8, let first = cells[1].first, "NRT".contains(first), cells[1].dropFirst().allSatisfy(\.isNumber),
                let number = Int(cells[3])
            else { return nil }
            let excerpt = cells[6].trimmingCharacters(in: CharacterSet(charactersIn: "“”"))
            return NarrativeFixtureRow(id: cells[1], seed: cells[2], line: number, rule: cells[4], figures: cells[5], excerpt: excerpt)
        }
    }
}

enum NarrativeSeeds {
    static let files = [
        "000": "000_97383555ea77d768.txt", "001": "001_7d1829cc26fe4104.txt", "002": "002_15883429a392d071.txt",
        "003": "003_c80599aaa58e9ef7.txt", "004": "004_b9bda7c4c53b3341.txt"
    ]

    static func text(_ seed: String) throws -> String {
        try Fixtures.text("seeds/" + (files[seed] ?? seed))
    }

    /// The context each seed is checked with (the table at the top of the fixture).
    static func context(_ seed: String) throws -> NarrativeContext {
        switch seed {
        case "000":
            var context = NarrativeContext(period: .quarter(1, 2024), form: Fixtures.library.form("egov-2024"))
            for (code, cell) in try Fixtures.entries("seed000-egov-2024.csv") {
                if case .success(let number) = VietnameseNumber.parse(cell) { context.values[code] = number }
            }
            return context
        case "001":
            var context = NarrativeContext(period: .firstHalf(2024), plan: Fixtures.library.plans["kh48-2024"])
            for row in try ValuesFile.parse(try Fixtures.text("seed001-kh48-results.csv")) where row.level == nil {
                context.targetResults[row.code] = row.value
            }
            return context
        case "002": return NarrativeContext(period: .year(2024))
        case "003": return NarrativeContext(period: .quarter(1, 2022))
        default: return NarrativeContext(period: .quarter(1, 2024))
        }
    }

    /// Every breakdown and ratio the checker reads in a text, right or wrong, as "line|rule|figures".
    static func checkedFigures(_ text: String) -> Set<String> {
        var result: Set<String> = []
        for sentence in NarrativeSentenceSplitter.split(text) where !sentence.isTableRow {
            let characters = Array(sentence.text)
            let scanned = ScannedSentence(sentence: sentence, characters: characters, tokens: NarrativeNumberScanner.scan(characters))
            for breakdown in BreakdownRule.breakdowns(scanned) {
                let figures = breakdown.total.text + " = " + breakdown.parts.map(\.text).joined(separator: " + ")
                result.insert("\(sentence.line(at: breakdown.total.start))|breakdown_sum|\(figures)")
            }
            for ratio in RatioRule.ratios(scanned) {
                result.insert("\(sentence.line(at: ratio.percent.start))|ratio|\(ratio.written) ~ \(ratio.percent.text)")
            }
        }
        return result
    }
}
