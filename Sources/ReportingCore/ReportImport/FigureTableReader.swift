import Foundation

/// One row of a statistics table as printed, continuation lines joined.
struct PrintedFigureRow: Equatable {
    var stt: String
    var name: String
    var value: String
    /// The "Ghi chú" cell.
    var note: String
    /// Data row number within its table (from 1), for messages.
    var number: Int
}

/// Ties the rows of a statistics table to the form's indicators and reads their values.
///
/// A row is matched by its name first: seed 003 prints section 6 of the e-government
/// form as 6.4–6.8 where the form has 6.1–6.5, and its sub-rows restart at "1.", so the
/// printed STT is only trusted when the name agrees or, failing a name, is close.
/// Several indicators share a name ("Tổng số hồ sơ TTHC đã giải quyết xong" under 3.1,
/// 3.2, 3.3): the one after the previous match in the form's order is taken.
struct FigureTableReader {
    let form: CompiledForm
    let limits: ReportImportLimits
    private let nameKeys: [String]
    private let noteKeys: [String]
    private let exact: [String: [Int]]

    init(form: CompiledForm, limits: ReportImportLimits) {
        self.form = form
        self.limits = limits
        nameKeys = form.indicators.map { ImportText.key($0.name) }
        noteKeys = form.indicators.map { ImportText.key($0.note ?? "") }
        var exact: [String: [Int]] = [:]
        for (slot, indicator) in form.indicators.enumerated() {
            exact[nameKeys[slot], default: []].append(slot)
            if let note = indicator.note {
                let withNote = ImportText.key(indicator.name + " " + note)
                if withNote != nameKeys[slot] { exact[withNote, default: []].append(slot) }
            }
        }
        self.exact = exact
    }

    struct Result {
        var cells: [ImportedCell] = []
        var entries: [String: String] = [:]
        var notes: [String: String] = [:]
        var issues: [ImportIssue] = []
        /// Rows tied by name (with or without the STT agreeing): how well the table fits the form.
        var score = 0
    }

    /// The printed rows of the parts of one table; a row with neither STT nor value continues the name above.
    static func rows(
        _ parts: [(rows: [[String]], header: TableHeader)], limits: ReportImportLimits,
        budget: inout Int, issues: inout [ImportIssue], caption: String
    ) -> [PrintedFigureRow] {
        var result: [PrintedFigureRow] = []
        var number = 0
        for part in parts {
            let header = part.header
            guard let nameColumn = header.nameColumn, let valueColumn = header.valueColumn else { continue }
            func cell(_ row: [String], _ column: Int?) -> String {
                guard let column, column < row.count else { return "" }
                return String(row[column].prefix(limits.maxCellLength))
            }
            for (index, row) in part.rows.enumerated().dropFirst(header.dataStart) {
                if index >= limits.maxRowsPerTable || budget <= 0 {
                    issues.append(
                        ImportIssue(
                            .rowsBeyondLimit, place: caption,
                            message: "Bảng số liệu có quá nhiều dòng; các dòng từ dòng \(VietnameseNumber.format(ExactNumber(index + 1))) "
                                + "trở đi chưa được đọc. Hãy nhập các số liệu còn lại trên trang báo cáo."))
                    break
                }
                budget -= 1
                let stt = ImportText.clean(cell(row, header.sttColumn), limit: 40)
                let name = cell(row, nameColumn).trimmed
                let value = ImportText.clean(cell(row, valueColumn), limit: 200)
                let unit = ImportText.clean(cell(row, header.unitColumn), limit: 200)
                let note = cell(row, header.noteColumn).trimmed
                if stt.isEmpty && value.isEmpty && unit.isEmpty {
                    if !name.isEmpty, let last = result.indices.last { result[last].name += " " + name }
                    continue
                }
                number += 1
                result.append(PrintedFigureRow(stt: stt, name: name, value: value, note: note, number: number))
            }
        }
        return result
    }

    /// Indicators whose name the printed name is: the same, the same with the form's note, or
    /// the name followed by a bracketed or the form's note ("… của địa phương (Chỉ thống kê …)").
    func candidates(_ printed: String) -> [Int] {
        let full = ImportText.key(printed.replacingOccurrences(of: "\n", with: " "), limit: limits.maxCellLength)
        guard !full.isEmpty else { return [] }
        if let found = exact[full] { return found }
        if let firstLine = printed.split(separator: "\n").first, let found = exact[ImportText.key(String(firstLine))] { return found }
        var best: [Int] = []
        var bestLength = 0
        for (slot, key) in nameKeys.enumerated() where key.count >= 8 && key.count >= bestLength && full.hasPrefix(key) {
            let rest = full.dropFirst(key.count).trimmingCharacters(in: .whitespaces)
            let note = noteKeys[slot]
            let isNote =
                rest.hasPrefix("(")
                || (!note.isEmpty && (note.hasPrefix(rest.prefix(30)) || rest.hasPrefix(note.prefix(30))))
            guard isNote else { continue }
            if key.count > bestLength { best = []; bestLength = key.count }
            best.append(slot)
        }
        return best
    }

    func match(_ rows: [PrintedFigureRow], caption: String) -> Result {
        var result = Result()
        var used = Set<Int>()
        var lastSlot = -1
        for row in rows {
            let place = "\(caption), dòng \(row.number)" + (row.stt.isEmpty ? "" : " (STT \(row.stt))")
            let printedName = ImportText.quote(row.name)
            let code = ImportText.code(fromSTT: row.stt)
            let sttSlot = code.isEmpty ? nil : form.slotByCode[code]
            let named = candidates(row.name)
            var chosen: Int?
            var how = RowMatch.sttAndName
            if !named.isEmpty {
                if let sttSlot, named.contains(sttSlot), !used.contains(sttSlot) {
                    chosen = sttSlot
                } else {
                    let free = named.filter { !used.contains($0) }
                    chosen = free.first { $0 > lastSlot } ?? free.first
                    how = .name(printedSTT: row.stt)
                }
                if chosen != nil { result.score += 1 }
            } else if let sttSlot, !used.contains(sttSlot),
                ImportText.similarity(ImportText.key(row.name), nameKeys[sttSlot]) >= 0.5
            {
                chosen = sttSlot
                how = .stt(printedName: printedName)
            }
            guard let slot = chosen else {
                let already = !named.isEmpty
                let lost = row.value.isEmpty ? "" : " Giá trị “\(ImportText.quote(row.value, 30))” của dòng chưa được đọc."
                result.issues.append(
                    ImportIssue(
                        already ? .duplicateRow : .rowNotMatched, place: place,
                        message: already
                            ? "Dòng “\(printedName)” lặp lại một chỉ tiêu đã đọc ở dòng trước.\(lost) Hãy kiểm tra bảng có bị lặp dòng không."
                            : "Dòng “\(printedName)” không khớp chỉ tiêu nào của biểu mẫu “\(form.form.displayTitle)” (theo tên và STT).\(lost) "
                                + "Nếu đây là một chỉ tiêu của biểu mẫu, hãy sửa tên cho đúng mẫu hoặc nhập giá trị trên trang báo cáo."))
                continue
            }
            used.insert(slot)
            lastSlot = slot
            if !row.note.isEmpty { result.notes[form.indicators[slot].code] = row.note }
            read(row, slot: slot, how: how, place: place, into: &result)
        }
        return result
    }

    /// The value of a matched row, checked as the report page checks a typed cell.
    private func read(_ row: PrintedFigureRow, slot: Int, how: RowMatch, place: String, into result: inout Result) {
        let indicator = form.indicators[slot]
        let text = row.value
        guard !text.isEmpty else { return }
        let label = "Chỉ tiêu \(indicator.code) “\(ImportText.quote(indicator.name))”"
        var value: CellValue?
        switch indicator.unit {
        case .heading:
            result.issues.append(
                ImportIssue(
                    .valueOnHeading, place: place,
                    message: "\(label) là dòng tiêu đề, không có số liệu; giá trị “\(ImportText.quote(text, 30))” chưa được đọc. "
                        + "Hãy nhập giá trị vào chỉ tiêu con phù hợp.", code: indicator.code))
            return
        case .text:
            value = .text(text)
        case .coded:
            let choices = indicator.choices ?? []
            if case .success(let number) = VietnameseNumber.parse(text), number.isInteger,
                choices.contains(where: { Double($0.value) == number.doubleValue })
            {
                value = .number(number.normalized)
            } else if let choice = choices.first(where: { ImportText.key($0.label) == ImportText.key(text) }) {
                value = .number(ExactNumber(choice.value))
            } else {
                let legend = choices.map { "\($0.value) (\($0.label))" }.joined(separator: ", ")
                result.issues.append(
                    ImportIssue(
                        .valueNotRead, place: place,
                        message: "\(label) chỉ nhận một trong các giá trị \(legend); ô ghi “\(ImportText.quote(text, 30))” chưa được đọc. "
                            + "Hãy chọn giá trị trên trang báo cáo.", code: indicator.code))
                return
            }
        case .count, .money, .percent:
            switch VietnameseNumber.parse(text) {
            case .success(let number): value = .number(number)
            case .failure(let error):
                result.issues.append(
                    ImportIssue(
                        .valueNotRead, place: place,
                        message: "\(label): \(error.message) Giá trị chưa được đọc; hãy sửa trong tệp hoặc nhập trên trang báo cáo.",
                        code: indicator.code))
                return
            }
        }
        guard let value else { return }
        result.cells.append(ImportedCell(code: indicator.code, text: text, value: value, printedSTT: row.stt, match: how))
        // A coded cell written as its label ("Hoàn thành") is saved as its value, as the report page would.
        if indicator.unit == .coded, case .number(let number) = value {
            result.entries[indicator.code] = VietnameseNumber.format(number)
        } else {
            result.entries[indicator.code] = text
        }
    }
}
