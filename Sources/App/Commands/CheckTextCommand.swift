import ArgumentParser
import Foundation
import OfficeFormats
import ReportingCore

/// `baocao check-text FILE`: the figures a report's prose states, checked like
/// cells (totals and their parts, ratios, targets, documents and dates). Every
/// finding is a warning; the exit code is 0 without findings, 1 with some,
/// 2 when the file or an option cannot be read.
struct CheckTextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-text",
        abstract: "Kiểm tra số liệu trong phần thuyết minh (.txt hoặc .docx): tổng và các phần, tỷ lệ, chỉ tiêu, văn bản và ngày.",
        discussion: """
            Ví dụ:
              baocao check-text baocao-6thang.docx --period 2024-H1 --plan kh48-2024
              baocao check-text thuyetminh.txt --form egov-2024 --values so-lieu.csv --format json
            """
    )

    @ArgumentParser.Argument(help: "Tệp .txt (UTF-8) hoặc .docx.") var file: String
    @ArgumentParser.Option(help: "Kỳ báo cáo, ví dụ 2024-Q1: văn bản ghi ngày sau kỳ được chỉ ra.") var period: String?
    @ArgumentParser.Option(help: "Mã biểu mẫu, để so số liệu trong câu với ô của biểu.") var form: String?
    @ArgumentParser.Option(help: "Tệp CSV số liệu (code,value) của biểu mẫu hoặc kết quả chỉ tiêu.") var values: String?
    @ArgumentParser.Option(help: "Mã kế hoạch, ví dụ kh48-2024: so “đạt”, “vượt”, “chưa đạt” với ngưỡng.") var plan: String?
    @ArgumentParser.Option(help: "Thư mục định nghĩa biểu mẫu (mặc định: có sẵn).") var formsDir: String?
    @ArgumentParser.Option(help: "text hoặc json.") var format: OutputFormat = .text

    func run() throws {
        let outcome = Self.evaluate(file: file, period: period, form: form, values: values, plan: plan, formsDir: formsDir, format: format)
        print(outcome.output, terminator: "")
        if let error = outcome.error { FileHandle.standardError.write(Data("Lỗi: \(error)\n".utf8)) }
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }

    /// What the command prints and its exit code, without printing: 0 no findings, 1 findings, 2 bad input (`error` says why).
    static func evaluate(
        file: String, period: String? = nil, form: String? = nil, values: String? = nil, plan: String? = nil,
        formsDir: String? = nil, format: OutputFormat = .text
    ) -> (output: String, exitCode: Int32, error: String?) {
        do {
            let text = try Self.text(of: file)
            let library = try FormLibrary.forCommand(directory: formsDir)
            var csv: String?
            if let values {
                guard let data = FileManager.default.contents(atPath: values), let decoded = String(data: data, encoding: .utf8) else {
                    throw UserFacingError("Không đọc được tệp số liệu “\(values)” (cần CSV UTF-8).")
                }
                csv = decoded
            }
            if values != nil && form == nil && plan == nil {
                throw UserFacingError("Tệp số liệu --values cần đi kèm --form (mã biểu mẫu) hoặc --plan (mã kế hoạch).")
            }
            let context: NarrativeContext
            do { context = try NarrativeContext(library: library, periodKey: period, formID: form, valuesCSV: csv, planID: plan) } catch {
                throw UserFacingError("\(error)")
            }
            let findings: [NarrativeFinding]
            do { findings = try NarrativeCheck.check(text, context: context) } catch { throw UserFacingError("\(error)") }
            let output: String
            if format == .json {
                do { output = try NarrativeReport.json(findings) + "\n" } catch { throw UserFacingError("Không ghi được kết quả JSON.") }
            } else {
                output = NarrativeReport.text(findings)
            }
            return (output, findings.isEmpty ? 0 : 1, nil)
        } catch let error as UserFacingError {
            return ("", 2, error.description)
        } catch {
            return ("", 2, "\(error)")
        }
    }

    /// The text of a .txt (UTF-8) or the paragraphs and table rows of a .docx, one per line.
    static func text(of path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw UserFacingError("Không đọc được tệp “\(path)”.") }
        guard path.lowercased().hasSuffix(".docx") else {
            guard let text = String(data: data, encoding: .utf8) else {
                throw UserFacingError("Tệp “\(path)” không phải văn bản UTF-8. Hãy lưu lại dưới dạng .txt UTF-8, hoặc dùng tệp .docx.")
            }
            return text
        }
        let content: DOCXContent
        do { content = try DOCXReader().read(data) } catch let error as OfficeFormatError {
            throw UserFacingError("Không đọc được tệp Word “\(path)”: \(error.message)")
        } catch {
            throw UserFacingError("Không đọc được tệp Word “\(path)”. Hãy chọn tệp .docx (Word 2007 trở lên) hoặc .txt UTF-8.")
        }
        return content.blocks.map { block -> String in
            switch block {
            case .paragraph(let paragraph): return paragraph
            case .table(let rows): return rows.map { $0.joined(separator: "\t") }.joined(separator: "\n")
            }
        }.joined(separator: "\n")
    }
}
