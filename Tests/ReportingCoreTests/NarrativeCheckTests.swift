import Foundation
import Testing

@testable import ReportingCore

/// The narrative check on the five seeds, against `Fixtures/narrative-findings.md`.
@Suite struct NarrativeSeedTests {
    static let seeds = ["000", "001", "002", "003", "004"]

    static func normalised(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    @Test(arguments: seeds) func findsExactlyTheFixtureFindings(seed: String) throws {
        let rows = try NarrativeFixtureRow.load().filter { $0.id.hasPrefix("N") && $0.seed == seed }
        let findings = try NarrativeCheck.check(try NarrativeSeeds.text(seed), context: try NarrativeSeeds.context(seed))
        let found = Set(findings.map { "\($0.line)|\($0.rule.rawValue)|\($0.figures.joined(separator: " · "))" })
        let expected = Set(rows.map { "\($0.line)|\($0.rule)|\($0.figures)" })
        #expect(found.subtracting(expected).isEmpty, "false alarms in seed \(seed): \(found.subtracting(expected).sorted())")
        #expect(expected.subtracting(found).isEmpty, "missed in seed \(seed): \(expected.subtracting(found).sorted())")
        for row in rows {
            let finding = findings.first { $0.line == row.line && $0.rule.rawValue == row.rule }
            #expect(
                finding.map { Self.normalised($0.sentence).contains(Self.normalised(row.excerpt)) } == true,
                "\(row): the sentence should contain “\(row.excerpt)”")
        }
        #expect(findings.allSatisfy { $0.severity == "warning" && !$0.message.isEmpty && !$0.expected.isEmpty })
    }

    @Test func fixtureListsFindingsRightAndTrickySentences() throws {
        let rows = try NarrativeFixtureRow.load()
        #expect(rows.filter { $0.id.hasPrefix("N") }.count == 15)
        #expect(rows.filter { $0.id.hasPrefix("R") }.count == 22)
        #expect(rows.filter { $0.id.hasPrefix("T") }.count == 7)
    }

    @Test func readsAndAcceptsTheRightFigures() throws {
        let rows = try NarrativeFixtureRow.load().filter { $0.id.hasPrefix("R") }
        for seed in Self.seeds {
            let text = try NarrativeSeeds.text(seed)
            let checked = NarrativeSeeds.checkedFigures(text)
            let findings = try NarrativeCheck.check(text, context: try NarrativeSeeds.context(seed))
            for row in rows where row.seed == seed {
                #expect(checked.contains("\(row.line)|\(row.rule)|\(row.figures)"), "\(row) was not read")
                let numbers = row.figures.split(whereSeparator: { " =+~".contains($0) }).map(String.init)
                let flagged = findings.contains { finding in
                    finding.line == row.line && finding.rule.rawValue == row.rule
                        && numbers.allSatisfy { number in
                            finding.figures.contains {
                                $0 == number || $0.hasPrefix(number + "/") || $0.hasSuffix("/" + number) || $0.contains(number)
                            }
                        }
                }
                #expect(!flagged, "\(row) is right and was flagged")
            }
        }
    }

    @Test func leavesTrickySentencesAlone() throws {
        let rows = try NarrativeFixtureRow.load().filter { $0.id.hasPrefix("T") }
        for row in rows {
            let findings = try NarrativeCheck.check(try NarrativeSeeds.text(row.seed), context: try NarrativeSeeds.context(row.seed))
            let first = row.figures.components(separatedBy: " · ")[0]
            let flagged = findings.filter { $0.line == row.line && $0.rule.rawValue == row.rule && $0.figures.contains(first) }
            #expect(flagged.isEmpty, "\(row): \(flagged.map(\.message))")
        }
    }

    @Test func seedsWithoutPeriodStillFindSumsRatiosAndDuplicates() throws {
        let findings = try NarrativeCheck.check(try NarrativeSeeds.text("004"))
        #expect(findings.map(\.rule).sorted(by: { $0.rawValue < $1.rawValue }) == [.breakdownSum, .documentDuplicate, .ratio, .ratio])
    }

    @Test func phuLucIIsReadFromTheText() throws {
        let documents = try #require(NarrativeAppendix.documentsIssued(in: try NarrativeSeeds.text("001")))
        #expect(documents.filter { $0.listedIn == .decisions }.count == 7)
        #expect(documents.filter { $0.listedIn == .plans }.count == 9)
        #expect(documents.filter { $0.listedIn == .directions }.count == 42)
        #expect(documents.contains { $0.reference?.kind == .directive && $0.listedIn == .decisions })
        let seed000 = try #require(NarrativeAppendix.documentsIssued(in: try NarrativeSeeds.text("000")))
        #expect(seed000.count == 20)
        #expect(NarrativeAppendix.documentsIssued(in: try NarrativeSeeds.text("004")) == nil)
    }
}
