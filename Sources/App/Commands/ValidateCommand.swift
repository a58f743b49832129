import ArgumentParser
import Foundation
import ReportingCore

/// `baocao validate --form egov-2024 --values file.csv`: checks a filled form
/// without the web application.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Kiểm tra một biểu mẫu đã điền từ tệp CSV (code,value[,note])."
    )

    @Option(help: "Mã biểu mẫu, ví dụ egov-2024.") var form: String
    @Option(help: "Tệp CSV với các cột code,value[,note].") var values: String
    @Option(help: "Cấp của đơn vị báo cáo: province, department, district, commune.") var level: String?
    @Option(help: "Tệp CSV số liệu kỳ trước của cùng đơn vị (để phát hiện biến động bất thường).") var previous: String?
    @Option(help: "text hoặc json.") var format: OutputFormat = .text
    @Option(help: "Thư mục định nghĩa biểu mẫu (mặc định: biểu mẫu có sẵn).") var forms: String?

    struct Output: Encodable {
        let form: String
        let problems: [ValidationProblem]
        let errors: Int
        let warnings: Int
        let computed: [String: Double]
    }

    func run() async throws {
        do {
            let library = try FormLibrary.forCommand(directory: forms)
            guard let compiled = library.form(form) else {
                throw UserFacingError(
                    "Không có biểu mẫu “\(form)”. Các biểu mẫu có sẵn: \(library.forms.keys.sorted().joined(separator: ", ")).")
            }
            let rows = try parseValues(values)
            var unitKind: UnitKind?
            if let level {
                guard let kind = UnitKind(loose: level) else {
                    throw UserFacingError("Cấp “\(level)” không hợp lệ. Dùng province, department, district hoặc commune.")
                }
                unitKind = kind
            }
            var previousValues: [String: ExactNumber]?
            if let previous {
                previousValues = [:]
                for row in try parseValues(previous) {
                    if case .success(let number) = VietnameseNumber.parse(row.value) { previousValues?[row.code] = number }
                }
            }
            var entries: [String: String] = [:]
            var notes: [String: String] = [:]
            for row in rows {
                entries[row.code] = row.value
                if let note = row.note { notes[row.code] = note }
            }
            let report = Validator(form: compiled).validate(entries: entries, notes: notes, unitKind: unitKind, previous: previousValues)
            switch format {
            case .json:
                try printJSON(
                    Output(
                        form: form, problems: report.problems, errors: report.errors.count,
                        warnings: report.warnings.count, computed: report.computed))
            case .text:
                for problem in report.problems {
                    let mark = problem.acknowledged ? " (đã ghi chú)" : ""
                    print("\(problem.code)\t\(problem.severity.label)\(mark)\t\(problem.message)")
                }
                print("Tổng cộng: \(report.errors.count) lỗi, \(report.warnings.count) cảnh báo.")
            }
            if !report.errors.isEmpty { throw ExitCode(1) }
        } catch let error as UserFacingError {
            FileHandle.standardError.write(Data("Lỗi: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}

func parseValues(_ path: String) throws -> [ValuesFile.Row] {
    let text = try readTextFile(path)
    do { return try ValuesFile.parse(text) } catch { throw UserFacingError("Tệp “\(path)”: \(error.description)") }
}
