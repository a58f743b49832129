import ArgumentParser
import Fluent
import Foundation
import ReportingCore
import Vapor

/// `baocao import-docx FILE --unit U --period P --form F`: a report written in
/// Word into the unit's draft, through `WordReportImport` (the same as the
/// upload on the report page). Prints what was read and what was not; writes
/// nothing when the cells read have errors.
struct ImportDocxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-docx",
        abstract: "Nhập báo cáo Word (.docx, trình bày theo NĐ 30/2020): thuyết minh, Phụ lục I và bảng số liệu vào bản nháp của đơn vị.",
        discussion: """
            Ví dụ: baocao import-docx baocao-quy1.docx --unit STTTT --period 2024-Q1 --form egov-2024
            Mã thoát: 0 đã nhập; 1 số liệu còn lỗi (không nhập gì); 2 tệp, đơn vị, kỳ, biểu mẫu hoặc người dùng không hợp lệ (không nhập gì).
            """
    )

    @ArgumentParser.Argument(help: "Tệp .docx.") var file: String
    @ArgumentParser.Option(help: "Mã đơn vị báo cáo.") var unit: String
    @ArgumentParser.Option(help: "Kỳ báo cáo, ví dụ 2024-Q1.") var period: String
    @ArgumentParser.Option(help: "Mã biểu mẫu, ví dụ egov-2024.") var form: String
    @ArgumentParser.Option(help: "Nhập với tư cách người dùng này (mặc định: cán bộ nhập liệu của đơn vị).") var user: String?
    @ArgumentParser.Flag(help: "Chỉ đọc và kiểm tra, không lưu.") var check = false

    func run() async throws {
        do {
            guard let bytes = FileManager.default.contents(atPath: file) else {
                throw UserFacingError("Không mở được tệp “\(file)”: tệp không tồn tại hoặc không có quyền đọc.")
            }
            try await ApplicationRunner.with { app in try await apply(bytes, app: app) }
        } catch let error as UserFacingError {
            FileHandle.standardError.write(Data("Lỗi: \(error.description)\n".utf8))
            throw ExitCode(2)
        } catch let refusal as WordReportImport.Refusal {
            FileHandle.standardError.write(Data("\(refusal.message)\n".utf8))
            throw ExitCode(refusal.errors.isEmpty ? 2 : 1)
        } catch let abort as AbortError {
            FileHandle.standardError.write(Data("Lỗi: \(abort.reason) Không có gì được lưu.\n".utf8))
            throw ExitCode(2)
        } catch let conflict as ReportService.Conflict {
            FileHandle.standardError.write(
                Data(
                    "Lỗi: báo cáo vừa được lưu bởi người khác (phiên bản \(conflict.currentVersion)). Hãy nhập lại. Không có gì được lưu.\n"
                        .utf8))
            throw ExitCode(2)
        }
    }

    func apply(_ bytes: Data, app: Application) async throws {
        try await app.autoMigrate()
        let tree = try await app.unitDirectory.tree(on: app.db)
        guard let compiled = app.library.form(form) else {
            throw UserFacingError(
                "Không có biểu mẫu “\(form)” (các biểu mẫu hiện có: \(app.library.forms.keys.sorted().joined(separator: ", "))).")
        }
        guard let period = Period(key: period) else { throw UserFacingError(PeriodKeyError(text: self.period).description) }
        guard let node = tree[unit] else { throw UserFacingError("Không có đơn vị mã “\(unit)”.") }
        let imported = try WordReportImport.read(bytes, name: file, form: compiled, unitKind: node.kind)
        let summary = WordReportImport.summary(imported)
        print("Đã đọc:")
        for line in summary.read { print("  " + line) }
        if summary.read.isEmpty { print("  (không có gì)") }
        print("Không đọc được:")
        for line in summary.notRead { print("  " + line) }
        if summary.notRead.isEmpty { print("  (không có)") }
        for problem in imported.validation.problems {
            print("\(problem.code)\t\(problem.severity.label)\t\(problem.message)")
        }
        print("Tổng cộng: \(imported.validation.errors.count) lỗi, \(imported.validation.warnings.count) cảnh báo.")
        let report = try await ExportSource(database: app.db, library: app.library, tree: tree)
            .report(unit: node.code, period: period.key, form: compiled.id)
        let actor = try await ImportCommand.actingUser(app, username: user, unitCode: report.unitCode)
        guard imported.canSave else {
            print(
                "Không nhập: số liệu đọc được còn \(imported.validation.errors.count) lỗi. Sửa trong tệp Word rồi nhập lại. Không có gì được lưu."
            )
            throw ExitCode(1)
        }
        if check {
            print("Tệp đọc được cho báo cáo của \(node.name), \(period.label). Chưa lưu (--check).")
            return
        }
        let service = ReportService(database: app.db, library: app.library, tree: tree, user: actor)
        let outcome = try await WordReportImport.apply(imported, to: report, service: service, user: actor)
        print(
            "Đã nhập vào bản nháp của \(node.name), \(period.label) với tư cách \(actor.username): \(outcome.changedCells) ô thay đổi, "
                + "\(outcome.sections) mục thuyết minh, \(outcome.documentsAdded) văn bản thêm vào Phụ lục I.")
    }
}
