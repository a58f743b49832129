import Foundation
import OfficeFormats
import ReportingCore
import Vapor

/// The Excel form of one report (unit, form, period): laid out like the paper
/// form, filled with the values stored so far, input cells unlocked and the
/// rest protected, ratio rows as formulas with their results cached. The
/// identity of the file (form, unit, period, and a fingerprint of the row
/// codes in order) travels as hidden defined names and as custom document
/// properties, so an upload can be matched to its report and refused when it
/// was made for another one or its layout was changed.
enum ExcelTemplate {
    static let dataSheet = "Số liệu"
    static let instructionsSheet = "Hướng dẫn"
    /// Zero-based rows: the column headings, then one row per indicator.
    static let headerRow = 4
    static let firstRow = 5
    /// Zero-based columns.
    static let sttColumn = 0, nameColumn = 1, unitColumn = 2, valueColumn = 3, noteColumn = 4, codeColumn = 5

    /// Defined names (hidden) and custom properties that identify the file.
    enum Key {
        static let form = "BaoCao_MaBieu"
        static let unit = "BaoCao_MaDonVi"
        static let period = "BaoCao_KyBaoCao"
        static let layout = "BaoCao_BoCuc"
        static let codes = "BaoCao_MaChiTieu"
        static let values = "BaoCao_SoLieu"
        /// The report version the template holds the values of.
        static let versionProperty = "BaoCao.Version"
        static func property(_ name: String) -> String { "BaoCao." + name.replacingOccurrences(of: "BaoCao_", with: "") }
    }

    struct Identity: Equatable {
        var form: String
        var unit: String
        var period: String
        var layout: String
    }

    /// The layout's fingerprint: a hash of the row codes in order. It changes
    /// when the form gains, loses or reorders rows.
    static func fingerprint(codes: [String]) -> String {
        String(SHA256.hash(data: Data(codes.joined(separator: "\n").utf8)).hex.prefix(16))
    }

    static func fingerprint(_ form: CompiledForm) -> String { fingerprint(codes: form.indicators.map(\.code)) }

    static func fileName(_ data: ExportSource.ReportData) -> String {
        "mau-\(data.form.id)-\(data.report.periodKey)-\(data.unit.code).xlsx"
    }

    // MARK: Writing

    static func workbook(_ data: ExportSource.ReportData) -> XLSXWorkbook {
        let form = data.form
        let identity = Identity(form: form.id, unit: data.unit.code, period: data.report.periodKey, layout: fingerprint(form))
        var sheet = XLSXSheet(name: dataSheet)
        sheet[0, 0] = .string(form.form.title.uppercased(), .title)
        sheet[1, 0] = .string("Đơn vị báo cáo: \(data.unit.name) (mã \(data.unit.code))", .bold)
        sheet[2, 0] = .string("Kỳ báo cáo: \(data.periodLabel)", .bold)
        sheet[3, 0] = .string("Nhập vào các ô màu vàng (cột Số liệu và Ghi chú). Xem trang “\(instructionsSheet)”.", .italic)
        for (column, title) in ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú", "Mã chỉ tiêu"].enumerated() {
            sheet[headerRow, column] = .string(title, .header)
        }
        var rowOf: [String: Int] = [:]
        for (index, indicator) in form.indicators.enumerated() { rowOf[indicator.code] = firstRow + index }
        let cached = excelResults(data)
        for (index, indicator) in form.indicators.enumerated() {
            let row = firstRow + index
            let bold = indicator.isHeading || indicator.depth == 0
            var name = indicator.name
            if let note = indicator.note { name += "\n" + note }
            sheet[row, sttColumn] = .string(indicator.printedLabel, .centeredText)
            sheet[row, nameColumn] = .string(name, bold ? .boldText : .indent(indicator.depth))
            sheet[row, unitColumn] = .string(indicator.isHeading ? "" : indicator.unitLabel, .centeredText)
            sheet[row, valueColumn] = valueCell(indicator, data: data, rowOf: rowOf, cached: cached[indicator.code])
            sheet[row, noteColumn] =
                indicator.isHeading
                ? .blank(.text) : XLSXCell(data.note(indicator.code).isEmpty ? .empty : .string(data.note(indicator.code)), style: .input)
            sheet[row, codeColumn] = .string(indicator.code, .text)
        }
        let lastRow = firstRow + form.indicators.count - 1
        sheet.columns = [
            XLSXColumn(sttColumn, width: 7), XLSXColumn(nameColumn, width: 62), XLSXColumn(unitColumn, width: 16),
            XLSXColumn(valueColumn, width: 16), XLSXColumn(noteColumn, width: 30), XLSXColumn(codeColumn, width: 12, isHidden: true)
        ]
        sheet.merges = (0...3).map { CellRange(rows: $0...$0, columns: sttColumn...noteColumn) }
        sheet.rowHeights = [0: 42, headerRow: 30]
        sheet.frozenAt = CellReference(row: firstRow, column: valueColumn)
        sheet.isProtected = true
        sheet.printFitToWidth = true

        let codesRange = CellRange(rows: firstRow...lastRow, columns: codeColumn...codeColumn)
        let valuesRange = CellRange(rows: firstRow...lastRow, columns: valueColumn...valueColumn)
        let constants = [(Key.form, identity.form), (Key.unit, identity.unit), (Key.period, identity.period), (Key.layout, identity.layout)]
        var names = constants.map { XLSXDefinedName(name: $0.0, refersTo: quoted($0.1), isHidden: true) }
        names.append(XLSXDefinedName(name: Key.codes, refersTo: codesRange.formulaReference(sheetName: dataSheet), isHidden: true))
        names.append(XLSXDefinedName(name: Key.values, refersTo: valuesRange.formulaReference(sheetName: dataSheet), isHidden: true))
        var custom: [String: String] = [:]
        for (key, value) in constants { custom[Key.property(key)] = value }
        custom[Key.versionProperty] = String(data.report.version)
        return XLSXWorkbook(
            sheets: [sheet, instructions(data, identity: identity)], definedNames: names,
            properties: OfficeDocumentProperties(
                title: "\(form.form.displayTitle) — \(data.unit.name) — \(data.periodLabel)",
                subject: form.form.title, creator: OfficeFormats.applicationName, custom: custom))
    }

    /// The Số liệu cell of a row: locked for headings, a formula for computed
    /// rows, an input cell holding what is stored for the others.
    static func valueCell(_ indicator: Indicator, data: ExportSource.ReportData, rowOf: [String: Int], cached: Double??) -> XLSXCell {
        if indicator.isHeading { return .blank(.text) }
        let style: XLSXStyle =
            indicator.unit == .count ? .inputInteger : (indicator.unit == .percent || indicator.unit == .money ? .inputDecimal : .input)
        if let formula = indicator.formula, let excel = excelFormula(formula, rowOf: rowOf) {
            let result: XLSXValue = (cached ?? nil).map { .number($0) } ?? .string("")
            return .formula(excel, cached: result, indicator.unit == .percent ? .percent : .decimal)
        }
        let raw = data.stored[indicator.code]?.raw ?? ""
        switch data.validation.values[indicator.code] {
        case .number(let number)?: return .number(number.doubleValue, style)
        case .text(let text)?: return XLSXCell(.string(text), style: .input)
        case nil: return raw.isEmpty ? .blank(style) : XLSXCell(.string(raw), style: .input)
        }
    }

    /// "[6.3.2] / [6.3.1] * 100" → `IFERROR(D33/D32*100,"")`. Nil for
    /// expressions Excel cannot take as they are (functions, comparisons).
    static func excelFormula(_ source: String, rowOf: [String: Int]) -> String? {
        var result = ""
        var code: String?
        for character in source {
            if var reading = code {
                if character == "]" {
                    guard let row = rowOf[reading] else { return nil }
                    result += CellReference(row: row, column: valueColumn).a1
                    code = nil
                } else {
                    reading.append(character)
                    code = reading
                }
            } else if character == "[" {
                code = ""
            } else if "0123456789.+-*/() ".contains(character) {
                if character != " " { result.append(character) }
            } else {
                return nil
            }
        }
        guard code == nil, !result.isEmpty else { return nil }
        return "IFERROR(\(result),\"\")"
    }

    /// What Excel computes for the formula rows: blanks count as 0, an error shows as "".
    static func excelResults(_ data: ExportSource.ReportData) -> [String: Double?] {
        let form = data.form
        var values = [Double?](repeating: nil, count: form.slotCount)
        for (slot, indicator) in form.indicators.enumerated() where !indicator.isComputed && !indicator.isHeading {
            values[slot] = data.validation.values[indicator.code]?.number?.doubleValue ?? 0
        }
        var results: [String: Double?] = [:]
        for (slot, expression, _) in form.formulas {
            let value = expression.evaluate(values, previous: nil).flatMap { $0.isFinite ? $0 : nil }
            values[slot] = value
            results[form.indicators[slot].code] = value
        }
        return results
    }

    static func instructions(_ data: ExportSource.ReportData, identity: Identity) -> XLSXSheet {
        var sheet = XLSXSheet(name: instructionsSheet)
        sheet.append([.string("HƯỚNG DẪN NHẬP SỐ LIỆU BẰNG EXCEL", .title)])
        let lines = [
            "1. Chỉ nhập vào các ô màu vàng của trang “\(dataSheet)”: cột “Số liệu” và cột “Ghi chú”. Các ô khác đã được khóa.",
            "2. Nhập số như bình thường trong Excel. Cách hiển thị (1.609.226 hoặc 97,45) theo thiết lập của máy; hệ thống đọc đúng giá trị số.",
            "3. Tỷ lệ phần trăm nhập con số phần trăm, ví dụ 97,1 (không nhập 0,971 và không định dạng ô thành %).",
            "4. Các dòng tỷ lệ có công thức được tính tự động từ các chỉ tiêu thành phần; không cần nhập.",
            "5. Chỉ tiêu mã hóa (ví dụ “Chưa = 0; Hoàn thành = 1”) nhập con số tương ứng.",
            "6. Số liệu thay đổi bất thường so với kỳ trước: ghi lý do vào cột “Ghi chú”.",
            "7. Không thêm, xóa, đổi thứ tự dòng và không sửa cột mã chỉ tiêu (cột ẩn). Tệp này chỉ dùng cho đúng đơn vị, biểu mẫu và kỳ báo cáo ghi dưới đây.",
            "8. Tải tệp lên tại trang báo cáo (mục “Nhập bằng Excel”) hoặc bằng lệnh: baocao import TỆP.xlsx",
            "9. Khi tải lên, hệ thống kiểm tra như khi nhập trên trang web và chỉ ra lỗi ở từng dòng; tệp sai đơn vị, biểu mẫu, kỳ hoặc bị sửa bố cục sẽ bị từ chối và không có gì được lưu."
        ]
        for line in lines { sheet.append([.string(line, .plain)]) }
        sheet.append([])
        sheet.append([.string("Thông tin nhận dạng tệp", .bold)])
        for (label, value) in [
            ("Đơn vị", "\(data.unit.name) (mã \(identity.unit))"),
            ("Biểu mẫu", "\(data.form.form.title) (mã \(identity.form))"),
            ("Kỳ báo cáo", "\(data.periodLabel) (mã \(identity.period))"),
            ("Mã bố cục", identity.layout)
        ] {
            sheet.append([.string(label + ": " + value, .plain)])
        }
        sheet.columns = [XLSXColumn(0, width: 140)]
        sheet.rowHeights = [0: 30]
        sheet.isProtected = true
        return sheet
    }

    /// A text constant as a defined name holds it: `"egov-2024"`.
    static func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    static func unquoted(_ text: String) -> String {
        var value = text.trimmingCharacters(in: .whitespaces)
        if value.hasPrefix("=") { value.removeFirst() }
        guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") else { return value }
        return String(value.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
    }
}
