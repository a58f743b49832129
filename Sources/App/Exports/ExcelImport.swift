import Fluent
import Foundation
import OfficeFormats
import ReportingCore
import Vapor

/// Reads a filled Excel template back into a submission for
/// `ReportService.save`, the same path as the web form, after checking that
/// the file is an XLSX, is the template of this report (form, unit, period)
/// and still has the layout it was made with. Anything wrong is a `Refusal`
/// with a Vietnamese message; nothing is written then.
enum ExcelImport {
    struct Refusal: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// What the file holds, ready to save.
    struct Parsed {
        let identity: ExcelTemplate.Identity
        let form: CompiledForm
        /// Cells as typed (numbers in Vietnamese notation), including "" for emptied cells.
        let values: [String: String]
        let notes: [String: String]
        /// The report version the template was downloaded at (its `BaoCao.Version` property).
        let templateVersion: Int?
    }

    static let retry =
        "Hãy tải lại mẫu Excel của báo cáo tại trang báo cáo (hoặc bằng lệnh baocao export --template), nhập số liệu rồi tải lên."

    static func parse(_ bytes: Data, library: FormLibrary) throws(Refusal) -> Parsed {
        let workbook: XLSXWorkbook
        do { workbook = try XLSXReader().read(bytes) } catch let error as OfficeFormatError {
            throw Refusal(message: "Không đọc được tệp: \(error.message) \(retry)")
        } catch { throw Refusal(message: "Không đọc được tệp Excel (.xlsx). \(retry)") }

        let identity = try identity(of: workbook)
        guard let form = library.form(identity.form) else {
            throw Refusal(message: "Tệp là mẫu của biểu mẫu “\(identity.form)”, biểu mẫu này không còn trong hệ thống. \(retry)")
        }
        let expected = form.indicators.map(\.code)
        guard identity.layout == ExcelTemplate.fingerprint(codes: expected) else {
            throw Refusal(
                message:
                    "Mẫu Excel này được tải về theo bố cục cũ của biểu mẫu “\(form.form.displayTitle)” (mã bố cục \(identity.layout)); biểu mẫu đã thay đổi từ đó. \(retry)"
            )
        }

        // Where the rows are: from the defined names, which Excel keeps up to date.
        let codesAt =
            location(workbook, name: ExcelTemplate.Key.codes)
            ?? (ExcelTemplate.dataSheet, CellReference(row: ExcelTemplate.firstRow, column: ExcelTemplate.codeColumn))
        let valuesAt =
            location(workbook, name: ExcelTemplate.Key.values)
            ?? (codesAt.sheet, CellReference(row: codesAt.start.row, column: ExcelTemplate.valueColumn))
        guard let sheet = workbook.sheet(named: codesAt.sheet) else {
            throw Refusal(message: "Tệp không còn trang “\(codesAt.sheet)” chứa số liệu. \(retry)")
        }
        let codeColumn = codesAt.start.column, valueColumn = valuesAt.start.column, noteColumn = valuesAt.start.column + 1
        let top = codesAt.start.row

        // The hidden codes column must be exactly the form's codes, in order, with nothing after them.
        for (index, code) in expected.enumerated() {
            let found = text(sheet[top + index, codeColumn].value.resolved)
            guard found == code else {
                let cell = CellReference(row: top + index, column: codeColumn).a1
                throw Refusal(
                    message:
                        "Cột mã chỉ tiêu (cột ẩn) của tệp đã bị thay đổi: ô \(cell) có “\(found)”, đúng ra là “\(code)”. Không thêm, xóa, đổi thứ tự dòng hay sửa cột mã. \(retry)"
                )
            }
        }
        let after = top + expected.count
        if after < sheet.rows.count,
            let extra = (after..<sheet.rows.count).first(where: { !text(sheet[$0, codeColumn].value.resolved).isEmpty })
        {
            throw Refusal(
                message:
                    "Cột mã chỉ tiêu (cột ẩn) có thêm dòng “\(text(sheet[extra, codeColumn].value.resolved))” ở ô \(CellReference(row: extra, column: codeColumn).a1) ngoài các chỉ tiêu của biểu mẫu. \(retry)"
            )
        }

        var values: [String: String] = [:]
        var notes: [String: String] = [:]
        for (index, indicator) in form.indicators.enumerated() {
            let row = top + index
            let cell = sheet[row, valueColumn].value
            let place = "Ô \(CellReference(row: row, column: valueColumn).a1) (chỉ tiêu \(indicator.printedLabel))"
            if case .formula(_, let cached) = cell {
                // The template's own formulas: the server computes these rows, as on the web form.
                if indicator.isComputed { continue }
                guard !cached.isEmpty else {
                    throw Refusal(
                        message:
                            "\(place) có công thức nhưng tệp không lưu kết quả đã tính. Mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi tải lên."
                    )
                }
            }
            let entered = try typed(cell.resolved, at: place)
            if indicator.isHeading {
                // A heading has no value; one typed there goes to the validator, which says so on its row.
                if !entered.isEmpty { values[indicator.code] = entered }
                continue
            }
            values[indicator.code] = entered
            notes[indicator.code] = try typed(
                sheet[row, noteColumn].value.resolved, at: "Ô \(CellReference(row: row, column: noteColumn).a1)")
        }
        let version = workbook.properties.custom[ExcelTemplate.Key.versionProperty].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        return Parsed(identity: identity, form: form, values: values, notes: notes, templateVersion: version)
    }

    /// The file's identity: hidden defined names, or the custom properties
    /// when a program dropped the names. Both present and different: tampered.
    static func identity(of workbook: XLSXWorkbook) throws(Refusal) -> ExcelTemplate.Identity {
        func named(_ key: String) -> String? {
            workbook.definedName(key).map { ExcelTemplate.unquoted($0.refersTo) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        func property(_ key: String) -> String? {
            workbook.properties.custom[ExcelTemplate.Key.property(key)].flatMap { $0.isEmpty ? nil : $0 }
        }
        let keys = [ExcelTemplate.Key.form, ExcelTemplate.Key.unit, ExcelTemplate.Key.period, ExcelTemplate.Key.layout]
        var found: [String] = []
        for key in keys {
            let name = named(key), prop = property(key)
            if let name, let prop, name != prop {
                throw Refusal(message: "Thông tin nhận dạng của tệp không khớp nhau (“\(name)” và “\(prop)”): tệp đã bị sửa. \(retry)")
            }
            guard let value = name ?? prop else {
                throw Refusal(
                    message: "Tệp không phải mẫu Excel của hệ thống BaoCao (thiếu thông tin biểu mẫu, đơn vị, kỳ báo cáo). \(retry)")
            }
            found.append(value)
        }
        return ExcelTemplate.Identity(form: found[0], unit: found[1], period: found[2], layout: found[3])
    }

    /// The file must be the template of `report`.
    static func check(_ parsed: Parsed, against report: Report, tree: UnitTree, library: FormLibrary) throws(Refusal) {
        let identity = parsed.identity
        var wrong: [String] = []
        if identity.unit != report.unitCode {
            wrong.append("đơn vị \(tree[identity.unit]?.name ?? identity.unit) thay vì \(tree[report.unitCode]?.name ?? report.unitCode)")
        }
        if identity.form != report.formID {
            wrong.append(
                "biểu mẫu “\(library.form(identity.form)?.form.displayTitle ?? identity.form)” thay vì “\(library.form(report.formID)?.form.displayTitle ?? report.formID)”"
            )
        }
        if identity.period != report.periodKey {
            wrong.append(
                "kỳ \(Period(key: identity.period)?.label ?? identity.period) thay vì \(Period(key: report.periodKey)?.label ?? report.periodKey)"
            )
        }
        guard wrong.isEmpty else {
            throw Refusal(message: "Tệp Excel không phải mẫu của báo cáo này: tệp dành cho \(wrong.joined(separator: ", ")). \(retry)")
        }
    }

    /// "'Số liệu'!$F$6:$F$40" → the sheet and the top-left cell.
    static func location(_ workbook: XLSXWorkbook, name: String) -> (sheet: String, start: CellReference)? {
        guard let reference = workbook.definedName(name)?.refersTo, let bang = reference.lastIndex(of: "!") else { return nil }
        var sheet = String(reference[..<bang])
        if sheet.hasPrefix("=") { sheet.removeFirst() }
        if sheet.hasPrefix("'"), sheet.hasSuffix("'"), sheet.count >= 2 {
            sheet = String(sheet.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
        }
        guard let range = CellRange(String(reference[reference.index(after: bang)...])) else { return nil }
        return (sheet, range.start)
    }

    static func text(_ value: XLSXValue) -> String {
        switch value {
        case .string(let s): return s.trimmingCharacters(in: .whitespaces)
        case .number(let v): return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
        default: return ""
        }
    }

    /// A cell's value as if typed on the web form: numbers in Vietnamese
    /// notation (28295 → "28.295", 97.1 → "97,1"), texts as they are.
    static func typed(_ value: XLSXValue, at place: String) throws(Refusal) -> String {
        switch value {
        case .empty: return ""
        case .string(let text): return text
        case .number(let number):
            // Beyond what a cell holds (or not a number at all: 1e400 reads as infinity): refused here, by its cell.
            guard number.isFinite, number.magnitude < 1e12 else {
                throw Refusal(
                    message: "\(place) có số \(number.isFinite ? vietnamese(number) : "quá lớn") vượt quá giới hạn của một ô "
                        + "(\(ExactNumber.boundsText)). Kiểm tra lại số và đơn vị tính rồi tải lên lại.")
            }
            return vietnamese(number)
        case .boolean(let flag): return flag ? "TRUE" : "FALSE"
        case .error(let code): return code
        case .formula(_, let cached):
            guard !cached.isEmpty else { throw Refusal(message: "\(place) có công thức nhưng tệp không lưu kết quả đã tính.") }
            return try typed(cached.resolved, at: place)
        }
    }

    /// The number as Excel shows it (15 significant digits, so 0.1+0.2 is 0,3),
    /// written the Vietnamese way. Decimals beyond what a form allows stay, so
    /// the validator can say so on the row. `shortest`: every digit that tells
    /// the double apart instead (for exports that must read back exactly).
    static func vietnamese(_ value: Double, shortest: Bool = false) -> String {
        guard value.isFinite else { return "#NUM!" }
        let significant = shortest ? "\(value)" : String(format: "%.15g", value)
        let plain = Decimal(string: significant, locale: Locale(identifier: "en_US_POSIX")).map { "\($0)" } ?? significant
        var body = Substring(plain)
        let negative = body.hasPrefix("-")
        if negative { body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var grouped: [Character] = []
        for (index, digit) in parts[0].reversed().enumerated() {
            if index > 0 && index % 3 == 0 { grouped.append(".") }
            grouped.append(digit)
        }
        let integer = String(grouped.reversed())
        let fraction = parts.count == 2 && !parts[1].isEmpty ? "," + parts[1] : ""
        return (negative && (integer != "0" || !fraction.isEmpty) ? "-" : "") + integer + fraction
    }

    // MARK: Applying

    /// The values the report would hold after the import, validated as the
    /// report page would show them, without saving anything.
    static func preview(_ parsed: Parsed, report: Report, service: ReportService, unitKind: UnitKind?) async throws -> ValidationReport {
        var entries: [String: String] = [:], notes: [String: String] = [:]
        for value in try await service.values(of: report) {
            entries[value.code] = value.raw
            if let note = value.note { notes[value.code] = note }
        }
        for (code, text) in parsed.values { entries[code] = text }
        for (code, text) in parsed.notes { notes[code] = text }
        let previous = try await service.previousValues(of: report)
        return Validator(form: parsed.form).validate(entries: entries, notes: notes, unitKind: unitKind, previous: previous)
    }

    /// The save the file makes against the report as it stands now, merged
    /// with what changed since the template was downloaded (`TemplateMerge`),
    /// and how many cells it changes. Throws `TemplateMerge.Stale` when the
    /// file and a later save changed the same cell.
    static func submission(_ parsed: Parsed, report: Report, service: ReportService) async throws
        -> (submission: ReportService.Submission, changed: Int)
    {
        guard let templateVersion = parsed.templateVersion, templateVersion >= 0 else {
            throw Refusal(message: "Tệp không ghi phiên bản báo cáo lúc tải mẫu, nên không biết số liệu nào đã được sửa sau đó. \(retry)")
        }
        guard templateVersion <= report.version else {
            throw Refusal(
                message: "Tệp ghi phiên bản \(templateVersion), mới hơn phiên bản hiện có của báo cáo (\(report.version)): "
                    + "tệp không được tải từ báo cáo này. \(retry)")
        }
        let stored = try await service.values(of: report)
        var storedValues: [String: String] = [:], storedNotes: [String: String] = [:]
        for value in stored {
            storedValues[value.code] = value.raw
            if let note = value.note { storedNotes[value.code] = note }
        }
        let history = templateVersion == report.version ? [] : try await service.cellChanges(of: report, after: templateVersion)
        let merge = TemplateMerge(
            templateVersion: templateVersion, currentVersion: report.version,
            storedValues: storedValues, storedNotes: storedNotes, changes: history)
        let merged = try merge.merge(values: parsed.values, notes: parsed.notes)
        let submission = ReportService.Submission(values: merged.values, notes: merged.notes, narrative: nil, version: report.version)
        return (submission, changes(merged.values, merged.notes, stored: stored))
    }

    /// The message for a stale template, listing the cells both sides changed.
    static func message(_ stale: TemplateMerge.Stale, form: CompiledForm) -> String {
        let cells = stale.clashes.prefix(20).map { clash -> String in
            let name = form.slotByCode[clash.code].map { form.indicators[$0].name } ?? ""
            let what = clash.field == .value ? "chỉ tiêu \(clash.code)" : "ghi chú của chỉ tiêu \(clash.code)"
            func shown(_ text: String) -> String { text.isEmpty ? "(trống)" : "“\(text)”" }
            return
                "\(what)\(name.isEmpty ? "" : " (\(name))"): lúc tải mẫu \(shown(clash.base)), nay \(shown(clash.theirs)), trong tệp \(shown(clash.yours))"
        }
        let more = stale.clashes.count > 20 ? "; và \(stale.clashes.count - 20) ô khác" : ""
        return "Mẫu Excel được tải về ở phiên bản \(stale.templateVersion); báo cáo nay ở phiên bản \(stale.currentVersion) "
            + "và \(stale.clashes.count) ô đã được người khác sửa sau khi tải mẫu, trong khi tệp ghi giá trị khác: "
            + cells.joined(separator: "; ") + more + ". Không có gì được lưu. Hãy xem lại các ô này trên trang báo cáo, "
            + "hoặc tải mẫu mới rồi nhập lại."
    }

    /// How many cells the import changes, for the message after saving.
    static func changes(_ values: [String: String], _ notes: [String: String], stored: [ReportValue]) -> Int {
        var raw: [String: String] = [:], note: [String: String] = [:]
        for value in stored {
            raw[value.code] = value.raw
            note[value.code] = value.note ?? ""
        }
        let changedValues = values.filter { (raw[$0.key] ?? "") != $0.value.trimmingCharacters(in: .whitespacesAndNewlines) }.count
        let changedNotes = notes.filter { (note[$0.key] ?? "") != $0.value.trimmingCharacters(in: .whitespacesAndNewlines) }.count
        return changedValues + changedNotes
    }
}
