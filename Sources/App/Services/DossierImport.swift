import Foundation
import OfficeFormats
import ReportingCore

/// A dossier file (CSV or XLSX, one row per dossier, docs/dossiers.md) turned
/// into the figures of one report's unit, its units below included as the
/// figure map consolidates them, and saved into the draft through
/// `ReportService.save` like a typed save; each filled cell is marked "tính từ
/// N hồ sơ" with the file's name and time (`ComputedValue`). A bad file is
/// refused whole, with its lines, and nothing is written.
enum DossierImport {
    /// One figure for one cell, and the dossiers it was counted from.
    struct Figure: Equatable {
        let code: String
        let value: String
        let dossiers: Int
    }

    struct Outcome {
        let figures: [Figure]
        let changed: Int
        let validation: ValidationReport
    }

    /// Computes the figures and saves them. Throws `ServiceError` (unprocessable)
    /// for a file that cannot be used, and whatever the save throws (a conflict, a refusal).
    static func run(
        _ bytes: Data, fileName: String, into report: Report, service: ReportService, tree: UnitTree, user: User,
        at moment: Date = Date()
    ) async throws -> Outcome {
        let form = try service.form(of: report)
        let computed = try figures(bytes, fileName: fileName, report: report, form: form, library: service.library, tree: tree)
        var values: [String: String] = [:], notes: [String: String] = [:]
        for stored in try await service.values(of: report) {
            values[stored.code] = stored.raw
            if let note = stored.note { notes[stored.code] = note }
        }
        let changed = computed.filter { figure in values[figure.code].map { !ReportService.sameFigure($0, figure.value) } ?? true }.count
        for figure in computed { values[figure.code] = figure.value }
        let marks = computed.map {
            ComputedValue(
                code: $0.code, value: $0.value, dossiers: $0.dossiers, fileName: fileName, computedAt: moment, username: user.username)
        }
        let submission = ReportService.Submission(values: values, notes: notes, narrative: nil, version: report.version, computed: marks)
        let validation = try await service.save(report, submission, user: user)
        return Outcome(figures: computed, changed: changed, validation: validation)
    }

    /// The figures the file gives the report's unit, in the form's order; rows
    /// the form computes itself (ratios with a formula) are left to the form.
    static func figures(
        _ bytes: Data, fileName: String, report: Report, form: CompiledForm, library: FormLibrary,
        tree: UnitTree
    ) throws -> [Figure] {
        func refuse(_ reason: String) -> ServiceError {
            ServiceError(.unprocessable, "Không tính được số liệu từ tệp “\(fileName)”: \(reason) Không có gì được lưu.")
        }
        guard let period = Period(key: report.periodKey) else { throw refuse(PeriodKeyError(text: report.periodKey).description) }
        let maps: [String: DossierFigureMap]
        do { maps = try DossierFigureMap.builtIn(library: library) } catch { throw ServiceError(.internalError, "\(error)") }
        guard let map = maps.values.sorted(by: { $0.id < $1.id }).first(where: { $0.form == report.formID }) else {
            let forms = maps.values.compactMap(\.form).sorted().joined(separator: ", ")
            throw refuse("biểu mẫu “\(form.form.displayTitle)” không có chỉ tiêu nào tính được từ hồ sơ TTHC (có: \(forms)).")
        }
        let summarizer = DossierSummarizer(period: period, knownUnits: Set(tree.units.map(\.code)))
        let summary: DossierSummary
        let all: [DossierFigure]
        let counts: DossierUnitCounts?
        do {
            summary =
                isXLSX(bytes)
                ? try summarizer.summarize(table: try table(xlsx: bytes, name: fileName))
                : try summarizer.summarize(bytes: [UInt8](bytes))
            all = try DossierFigures.compute(map, summary: summary, library: library, tree: tree)
            counts = try summary.consolidated(over: tree)[report.unitCode]
        } catch let error as DossierFileError {
            throw refuse(error.description)
        }
        let unitName = tree[report.unitCode]?.name ?? report.unitCode
        guard let counts else {
            throw refuse(
                "tệp có \(VietnameseNumber.format(ExactNumber(summary.rows))) hồ sơ nhưng không hồ sơ nào của \(unitName) "
                    + "(mã \(report.unitCode)) hay đơn vị trực thuộc. Kiểm tra cột “Mã đơn vị”.")
        }
        let rows = Dictionary(map.rows.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        var figures: [Figure] = []
        for figure in all where figure.unit == report.unitCode {
            guard let slot = form.slotByCode[figure.code], !form.indicators[slot].isComputed, let row = rows[figure.code] else { continue }
            figures.append(Figure(code: figure.code, value: VietnameseNumber.format(figure.value), dossiers: dossiers(row, counts)))
        }
        guard !figures.isEmpty else {
            throw refuse("không có chỉ tiêu nào của \(unitName) xác định được từ các cột của tệp trong \(period.label).")
        }
        return figures.sorted { (form.slotByCode[$0.code] ?? Int.max) < (form.slotByCode[$1.code] ?? Int.max) }
    }

    /// The dossiers a row counts from: those finished in the period for a
    /// "finished…" count, otherwise those received in it.
    static func dossiers(_ row: DossierFigureMap.Row, _ counts: DossierUnitCounts) -> Int {
        var counters = [row.count].compactMap { $0 }
        if let ratio = row.ratio { counters += [ratio.part, ratio.whole] }
        for ratio in row.lowestOf ?? [] { counters += [ratio.part, ratio.whole] }
        return counts[counters.contains { $0.key.hasPrefix("finished") } ? .finished : .received]
    }

    /// An XLSX file is a ZIP package: it starts with "PK\u{3}\u{4}".
    static func isXLSX(_ bytes: Data) -> Bool {
        bytes.count >= 4 && bytes.prefix(4).elementsEqual([0x50, 0x4B, 0x03, 0x04])
    }

    /// The first sheet as rows of text, read within OfficeFormats' limits;
    /// numbers under a date heading ("Ngày …", "Hạn …") become dd/mm/yyyy HH:mm.
    static func table(xlsx bytes: Data, name: String) throws(ServiceError) -> [[String]] {
        let workbook: XLSXWorkbook
        do { workbook = try XLSXReader().read(bytes) } catch {
            throw ServiceError(.unprocessable, "Không đọc được tệp Excel “\(name)”: \(error) Hãy lưu lại dạng .xlsx hoặc CSV UTF-8.")
        }
        guard let sheet = workbook.sheets.first, let header = sheet.rows.first else {
            throw ServiceError(.unprocessable, "Tệp Excel “\(name)” không có trang tính nào có dòng tiêu đề.")
        }
        let dateColumns = Set(
            header.enumerated().compactMap { column, cell -> Int? in
                guard let heading = cell.value.stringValue?.lowercased() else { return nil }
                return heading.hasPrefix("ngày") || heading.hasPrefix("hạn") || heading.contains("date") ? column : nil
            })
        // A reader may drop a row's empty cells at its end, and a sheet often ends in empty rows.
        var rows = sheet.rows
        while let last = rows.last, rows.count > 1, last.allSatisfy({ text($0.value, date: false).isEmpty }) { rows.removeLast() }
        return rows.map { row in
            var cells = row.enumerated().map { column, cell in text(cell.value, date: dateColumns.contains(column)) }
            if cells.count < header.count { cells += Array(repeating: "", count: header.count - cells.count) }
            return cells
        }
    }

    static func text(_ value: XLSXValue, date: Bool) -> String {
        switch value.resolved {
        case .empty, .error, .formula: return ""
        case .string(let text): return text
        case .boolean(let flag): return flag ? "1" : "0"
        case .number(let number):
            if date, let text = DossierSummarizer.cellText(excelSerial: number) { return text }
            if number.isFinite, number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
            return String(number)
        }
    }
}
