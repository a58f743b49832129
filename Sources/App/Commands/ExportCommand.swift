import ArgumentParser
import Fluent
import Foundation
import OfficeFormats
import ReportingCore
import Vapor

extension ExportFormat: ExpressibleByArgument {}

/// `baocao export`: every export of the web application, on the same
/// database, without the server — the Word report, a report as a table, the
/// consolidated table, the targets table and the Excel template.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Xuất báo cáo (docx, xlsx, csv, json), bảng tổng hợp, bảng chỉ tiêu hoặc mẫu Excel từ cơ sở dữ liệu.",
        discussion: """
            Ví dụ:
              baocao export --unit 000.00.00.H05 --period 2024-Q1 --form egov-2024 --format docx -o baocao.docx
              baocao export --unit 000.00.00.H05 --period 2024-Q1 --form egov-2024 --consolidated --format xlsx -o tonghop.xlsx
              baocao export --unit 000.00.00.H05 --period 2024-H1 --targets kh48-2024 --format csv
              baocao export --unit 000.01.31.H05 --period 2024-Q1 --form egov-2024 --template -o mau.xlsx
              baocao export --unit 000.00.00.H05 --period 2024-Q1 --form egov-2024 --consolidated --exchange sdmx
              (--exchange: dhis2, adx, sdmx hoặc sdmx-structure — xem docs/exchange.md)
            """
    )

    @ArgumentParser.Option(help: "Mã đơn vị.") var unit: String
    @ArgumentParser.Option(help: "Kỳ báo cáo, ví dụ 2024-Q1, 2024-H1, 2024.") var period: String
    @ArgumentParser.Option(help: "Mã biểu mẫu, ví dụ egov-2024 (không cần với --targets).") var form: String?
    @ArgumentParser.Option(help: "docx, xlsx, csv hoặc json.") var format: ExportFormat = .xlsx
    @ArgumentParser.Option(name: .shortAndLong, help: "Tệp kết quả; bỏ trống hoặc “-” để in ra màn hình (csv, json).") var output: String?
    @ArgumentParser.Flag(help: "Bảng tổng hợp: các đơn vị là dòng, các chỉ tiêu là cột.") var consolidated = false
    @ArgumentParser.Option(help: "Bảng kết quả thực hiện các chỉ tiêu của kế hoạch, ví dụ kh48-2024.") var targets: String?
    @ArgumentParser.Flag(help: "Mẫu Excel để nhập số liệu (nhập lại bằng baocao import).") var template = false
    @ArgumentParser.Option(help: "Định dạng trao đổi thay cho --format: dhis2, adx, sdmx hoặc sdmx-structure.") var exchange: String?
    @ArgumentParser.Option(help: "Cơ sở tổng hợp: accepted (đã tiếp nhận) hoặc sent (cả đã gửi).") var basis: String = "accepted"
    @ArgumentParser.Option(help: "Word: ngày ký, dạng 14/03/2024 (mặc định hôm nay).") var date: String?
    @ArgumentParser.Option(help: "Word: số văn bản.") var number: String?
    @ArgumentParser.Option(help: "Word: ký hiệu, ví dụ BC-STTTT.") var symbol: String?
    @ArgumentParser.Option(help: "Word: kt (cấp phó ký thay) hoặc tm (người đứng đầu ký).") var sign: String?
    @ArgumentParser.Option(help: "Word: chức danh người đứng đầu, ví dụ GIÁM ĐỐC.") var head: String?
    @ArgumentParser.Option(help: "Word: chức danh người ký, ví dụ PHÓ GIÁM ĐỐC.") var position: String?
    @ArgumentParser.Option(help: "Word: họ tên người ký.") var signer: String?
    @ArgumentParser.Option(help: "Word: nơi nhận, các dòng cách nhau bởi dấu chấm phẩy.") var recipients: String?
    @ArgumentParser.Option(help: "Word: tên báo cáo (mặc định: tên biểu mẫu và kỳ).") var title: String?

    func run() async throws {
        do {
            let bytes = try await ApplicationRunner.with { app in try await produce(app) }
            if let output, output != "-" {
                do { try bytes.write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
                    throw UserFacingError("Không ghi được tệp “\(output)”: \(error.localizedDescription)")
                }
                FileHandle.standardError.write(Data("Đã ghi \(output) (\(bytes.count) byte).\n".utf8))
            } else {
                guard exchange != nil || format == .csv || format == .json, !template else {
                    throw UserFacingError(
                        "Tệp \(template ? "xlsx" : format.rawValue) là tệp nhị phân: hãy chỉ định tệp kết quả bằng -o TỆP.")
                }
                FileHandle.standardOutput.write(bytes)
            }
        } catch let error as UserFacingError {
            FileHandle.standardError.write(Data("Lỗi: \(error.description)\n".utf8))
            throw ExitCode(2)
        } catch let abort as AbortError {
            FileHandle.standardError.write(Data("Lỗi: \(abort.reason)\n".utf8))
            throw ExitCode(2)
        }
    }

    func produce(_ app: Application) async throws -> Data {
        try await app.autoMigrate()
        let tree = try await app.unitDirectory.tree(on: app.db)
        let source = ExportSource(database: app.db, library: app.library, tree: tree, cache: app.consolidationCache)
        guard let reportingUnit = tree[unit] else { throw UserFacingError("Không có đơn vị mã “\(unit)”.") }
        guard let periodValue = Period(key: period) else {
            throw UserFacingError(PeriodKeyError(text: period).description)
        }
        let basisValue = try ExportOptions.basis(basis)
        if let planID = targets {
            let table = try await source.targets(plan: try await source.plan(planID), unit: reportingUnit, periodKey: periodValue.key)
            return try TableExport.targetsTable(table).data(format)
        }
        guard let form else { throw UserFacingError("Hãy chọn biểu mẫu bằng --form, ví dụ --form egov-2024.") }
        if let exchange {
            let format = try ExchangeFormat.parse(exchange)
            let export = ExchangeExport(source: source)
            if consolidated {
                return try await export.consolidated(
                    unitCode: reportingUnit.code, formID: form, periodKey: periodValue.key,
                    basis: basisValue, format: format)
            }
            let report = try await source.report(unit: reportingUnit.code, period: periodValue.key, form: form)
            guard basisValue.includes(report.status) else {
                throw UserFacingError(
                    "Báo cáo đang ở trạng thái “\(report.status.label)”: chỉ xuất số liệu đã được tiếp nhận (--basis sent để xuất cả báo cáo đã gửi)."
                )
            }
            return try await export.report(report, format: format)
        }
        if consolidated {
            return try await TableExport.consolidatedTable(
                source: source, unitCode: reportingUnit.code, formID: form,
                periodKey: periodValue.key, basis: basisValue
            ).data(format)
        }
        let report = try await source.report(unit: reportingUnit.code, period: periodValue.key, form: form)
        if template {
            return try XLSXWriter().write(ExcelTemplate.workbook(try await source.load(report)))
        }
        if format == .docx {
            var options = try ExportOptions.documentOptions(
                ExportOptions.DocumentQuery(
                    date: date, number: number, symbol: symbol, sign: sign, head: head, position: position, signer: signer,
                    recipients: recipients, title: title, basis: basis))
            options.consolidate = true
            return try await OfficialReportBuilder(source: source).build(report, options: options)
        }
        return try TableExport.reportTable(try await source.load(report)).data(format)
    }
}
