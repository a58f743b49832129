import Foundation
import Testing

@testable import App

/// `baocao check-text` on the seeds, as the command prints it: the count per seed
/// is the number of expected findings in `narrative-findings.md`.
@Suite struct CheckTextCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ReportingCoreTests/Fixtures")

    /// Each seed's file and the options the fixture's context table gives it.
    static let seeds: [(seed: String, file: String, options: [String: String])] = [
        ("000", "000_97383555ea77d768", ["period": "2024-Q1", "form": "egov-2024", "values": "seed000-egov-2024.csv"]),
        ("001", "001_7d1829cc26fe4104", ["period": "2024-H1", "plan": "kh48-2024", "values": "seed001-kh48-results.csv"]),
        ("002", "002_15883429a392d071", ["period": "2024"]),
        ("003", "003_c80599aaa58e9ef7", ["period": "2022-Q1"]),
        ("004", "004_b9bda7c4c53b3341", ["period": "2024-Q1"])
    ]

    /// The expected findings of a seed: rows "| N… | seed | …" of the fixture.
    static func expectedCount(_ seed: String) throws -> Int {
        let text = try String(contentsOf: fixtures.appendingPathComponent("narrative-findings.md"), encoding: .utf8)
        return text.split(separator: "\n").filter { line in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            return cells.count > 2 && cells[0].hasPrefix("N") && cells[0].dropFirst().allSatisfy(\.isNumber) && cells[1] == seed
        }.count
    }

    static func run(_ seed: (seed: String, file: String, options: [String: String]), path: String, format: OutputFormat = .text)
        -> (output: String, exitCode: Int32, error: String?)
    {
        let values = seed.options["values"].map { fixtures.appendingPathComponent($0).path }
        return CheckTextCommand.evaluate(
            file: path, period: seed.options["period"], form: seed.options["form"], values: values,
            plan: seed.options["plan"], format: format)
    }

    @Test(arguments: seeds.map(\.seed)) func textCountMatchesTheFixture(seed: String) throws {
        let entry = try #require(Self.seeds.first { $0.seed == seed })
        let path = Self.fixtures.appendingPathComponent("seeds/\(entry.file).txt").path
        let expected = try Self.expectedCount(seed)
        let outcome = Self.run(entry, path: path)
        #expect(outcome.error == nil)
        #expect(outcome.exitCode == (expected == 0 ? 0 : 1))
        let lines = outcome.output.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("Dòng ") }.count == expected, "\(outcome.output)")
        let closing = expected == 0 ? "Không có cảnh báo nào về số liệu trong văn bản." : "Tổng cộng: \(expected) cảnh báo."
        #expect(lines.last.map(String.init) == closing)
    }

    @Test func jsonHasFindingsWithSentenceMessageSeverity() throws {
        let entry = try #require(Self.seeds.first { $0.seed == "004" })
        let outcome = Self.run(entry, path: Self.fixtures.appendingPathComponent("seeds/\(entry.file).txt").path, format: .json)
        #expect(outcome.exitCode == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.count == (try Self.expectedCount("004")))
        for finding in findings {
            #expect((finding["sentence"] as? String)?.isEmpty == false)
            #expect((finding["message"] as? String)?.isEmpty == false)
            #expect(finding["severity"] as? String == "warning")
        }
    }

    /// The DOCX made from each seed gives the same findings as its text (same rules and figures).
    @Test(arguments: ["000", "001", "003", "004"]) func docxFindsWhatTheTextFinds(seed: String) throws {
        let entry = try #require(Self.seeds.first { $0.seed == seed })
        let text = Self.run(entry, path: Self.fixtures.appendingPathComponent("seeds/\(entry.file).txt").path, format: .json)
        let docx = Self.run(entry, path: Self.fixtures.appendingPathComponent("docx/seed\(seed).docx").path, format: .json)
        #expect(docx.error == nil)
        func ids(_ output: String) throws -> [String] {
            let object = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
            return ((object?["findings"] as? [[String: Any]]) ?? []).map { finding in
                "\(finding["rule"] as? String ?? "")|\((finding["figures"] as? [String] ?? []).joined(separator: " · "))"
            }.sorted()
        }
        #expect(try ids(docx.output) == ids(text.output))
        #expect(docx.exitCode == text.exitCode)
    }

    @Test func badInputExitsTwoWithAVietnameseMessage() throws {
        let missing = CheckTextCommand.evaluate(file: "/nonexistent/baocao.txt")
        #expect(missing.exitCode == 2)
        #expect(missing.error?.contains("Không đọc được tệp") == true)
        let notZip = FileManager.default.temporaryDirectory.appendingPathComponent("check-text-\(UUID().uuidString).docx")
        try Data("không phải zip".utf8).write(to: notZip)
        defer { try? FileManager.default.removeItem(at: notZip) }
        let broken = CheckTextCommand.evaluate(file: notZip.path)
        #expect(broken.exitCode == 2)
        #expect(broken.error?.contains("Không đọc được tệp Word") == true)
        let entry = try #require(Self.seeds.first { $0.seed == "003" })
        let path = Self.fixtures.appendingPathComponent("seeds/\(entry.file).txt").path
        let badPeriod = CheckTextCommand.evaluate(file: path, period: "quý 1")
        #expect(badPeriod.exitCode == 2)
        #expect(badPeriod.error?.contains("Kỳ báo cáo") == true)
    }
}
