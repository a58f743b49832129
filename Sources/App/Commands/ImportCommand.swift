import ArgumentParser
import Fluent
import Foundation
import ReportingCore
import Vapor

/// `baocao import FILE.xlsx`: a filled Excel template into its report, with
/// the upload's checks and the web form's validation. Any error: the
/// problems are printed, nothing is written, the exit status is non-zero.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Nhập số liệu từ mẫu Excel đã điền (tải bằng baocao export --template hoặc từ trang báo cáo).",
        discussion: "Mã thoát: 0 đã nhập; 1 số liệu còn lỗi (không nhập gì); 2 tệp hoặc người dùng không hợp lệ (không nhập gì)."
    )

    @ArgumentParser.Argument(help: "Tệp .xlsx.") var file: String
    @ArgumentParser.Option(help: "Nhập với tư cách người dùng này (mặc định: cán bộ nhập liệu của đơn vị).") var user: String?
    @ArgumentParser.Flag(help: "Chỉ kiểm tra, không lưu.") var check = false

    func run() async throws {
        do {
            guard let bytes = FileManager.default.contents(atPath: file) else {
                throw UserFacingError("Không mở được tệp “\(file)”: tệp không tồn tại hoặc không có quyền đọc.")
            }
            try await ApplicationRunner.with { app in try await apply(bytes, app: app) }
        } catch let error as UserFacingError {
            FileHandle.standardError.write(Data("Lỗi: \(error.description)\n".utf8))
            throw ExitCode(2)
        } catch let refusal as ExcelImport.Refusal {
            FileHandle.standardError.write(Data("Không nhập được tệp “\(file)”. \(refusal.message) Không có gì được lưu.\n".utf8))
            throw ExitCode(2)
        } catch let abort as AbortError {
            FileHandle.standardError.write(Data("Lỗi: \(abort.reason) Không có gì được lưu.\n".utf8))
            throw ExitCode(2)
        }
    }

    func apply(_ bytes: Data, app: Application) async throws {
        try await app.autoMigrate()
        let tree = try await app.unitDirectory.tree(on: app.db)
        let parsed = try ExcelImport.parse(bytes, library: app.library)
        let identity = parsed.identity
        let report = try await ExportSource(database: app.db, library: app.library, tree: tree, cache: app.consolidationCache)
            .report(unit: identity.unit, period: identity.period, form: identity.form)
        try ExcelImport.check(parsed, against: report, tree: tree, library: app.library)
        let actor = try await actingUser(app, unitCode: report.unitCode)
        guard Access(user: actor, tree: tree).canEdit(report) else {
            throw UserFacingError(
                report.status.isEditable
                    ? "Người dùng \(actor.username) không có quyền sửa báo cáo của \(tree[report.unitCode]?.name ?? report.unitCode)."
                    : "Báo cáo đang ở trạng thái “\(report.status.label)”, không thể nhập số liệu.")
        }
        let service = ReportService(database: app.db, library: app.library, tree: tree, user: actor)
        let submission: ReportService.Submission, changed: Int
        do { (submission, changed) = try await ExcelImport.submission(parsed, report: report, service: service) } catch let stale
            as TemplateMerge.Stale
        {
            throw ExcelImport.Refusal(message: ExcelImport.message(stale, form: parsed.form))
        }
        let validation = try await ExcelImport.preview(parsed, report: report, service: service, unitKind: tree[report.unitCode]?.kind)
        for problem in validation.problems {
            let mark = problem.acknowledged ? " (đã ghi chú)" : ""
            print("\(problem.code)\t\(problem.severity.label)\(mark)\t\(problem.message)")
        }
        print("Tổng cộng: \(validation.errors.count) lỗi, \(validation.warnings.count) cảnh báo.")
        let unitName = tree[report.unitCode]?.name ?? report.unitCode
        let title = "\(parsed.form.form.displayTitle), \(unitName), \(Period(key: report.periodKey)?.label ?? report.periodKey)"
        guard validation.errors.isEmpty else {
            print("Không nhập: còn \(validation.errors.count) lỗi. Sửa trong tệp rồi nhập lại. Không có gì được lưu.")
            throw ExitCode(1)
        }
        if check {
            print("Tệp hợp lệ cho báo cáo \(title). Chưa lưu (--check).")
            return
        }
        _ = try await service.save(report, submission, user: actor)
        print("Đã nhập \(changed) ô thay đổi vào báo cáo \(title) với tư cách \(actor.username) (phiên bản \(report.version)).")
    }

    /// `--user`, or the unit's reporter, or its leader.
    func actingUser(_ app: Application, unitCode: String) async throws -> User {
        try await Self.actingUser(app, username: user, unitCode: unitCode)
    }

    /// `username`, or the unit's reporter, or its leader (shared with `import-docx`).
    static func actingUser(_ app: Application, username user: String?, unitCode: String) async throws -> User {
        if let user {
            guard let found = try await User.query(on: app.db).filter(\.$username == user.lowercased()).first() else {
                throw UserFacingError("Không có người dùng “\(user)”.")
            }
            return found
        }
        let members = try await User.query(on: app.db).filter(\.$unitCode == unitCode).sort(\.$username).all()
        guard let found = members.first(where: { $0.role == .reporter }) ?? members.first(where: { $0.role == .leader }) else {
            throw UserFacingError("Đơn vị \(unitCode) chưa có cán bộ nhập liệu; chỉ định người nhập bằng --user TÊN_ĐĂNG_NHẬP.")
        }
        return found
    }
}
