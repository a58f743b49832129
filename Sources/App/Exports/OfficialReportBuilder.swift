import Fluent
import Foundation
import OfficeFormats
import ReportingCore
import Vapor

/// The report as the province files it: a Word document in the layout of
/// Nghị định 30/2020/NĐ-CP (A4, Times New Roman, the two-column header, place
/// and date, BÁO CÁO and the title, sections I–IV, Nơi nhận and signature,
/// then the appendices). Where the seeds state figures in prose, the
/// sentences are written from the data, so the prose and the tables agree.
struct OfficialReportBuilder {
    /// How the leader signs: a deputy on behalf of the head ("KT. GIÁM ĐỐC /
    /// PHÓ GIÁM ĐỐC"), or the head ("TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH", "GIÁM ĐỐC").
    enum Signing: String, Sendable {
        case deputy = "kt"
        case head = "tm"
    }

    /// What the user may set; everything has a default.
    struct Options: Sendable {
        var date = CivilDate.today()
        /// The number, given when the document is registered; blank leaves room to write it in.
        var number = ""
        /// "BC-STTTT"; derived from the unit's name when nil.
        var symbol: String?
        var signing = Signing.deputy
        /// "GIÁM ĐỐC", "CHỦ TỊCH"; derived from the unit's name when nil.
        var headTitle: String?
        /// The signer's own title when it is not the usual one ("PHÓ CHỦ TỊCH THƯỜNG TRỰC").
        var signerTitle: String?
        var signerName: String?
        /// Lines of Nơi nhận; nil gives the receiver, the unit above, the leaders and the archive.
        var recipients: [String]?
        var title: String?
        /// Consolidated figures in Phụ lục II for a unit with units below it (only if the user may see them).
        var consolidate = true
        var basis = ConsolidationService.Basis.accepted
    }

    /// Everything the document shows, loaded.
    struct Content {
        let data: ExportSource.ReportData
        let figures: ExportSource.Figures
        let targets: [ExportSource.TargetTable]
        /// Rows of the form measured by a plan target: "(được giao 80%)".
        let linked: [String: Target]
        let parent: ReportingUnit?
        let receiver: ReportingUnit?
        let place: String
        let leaderName: String?
    }

    let source: ExportSource

    func load(_ report: Report, options: Options) async throws -> Content {
        let data = try await source.load(report)
        let tree = source.tree
        let figures = try await source.figures(data, consolidate: options.consolidate, basis: options.basis)
        let plans = try await source.plans(for: data)
        var targets: [ExportSource.TargetTable] = []
        for plan in plans {
            let table = try await source.targets(plan: plan, unit: data.unit, periodKey: report.periodKey)
            // A plan evaluated mostly on missing results says nothing worth
            // signing: attach it once at least half of its targets have data.
            let withData = table.rows.filter { $0.evaluation.status != .noData }.count
            if !table.rows.isEmpty && withData * 2 >= table.rows.count { targets.append(table) }
        }
        let leader = try await User.query(on: source.database).filter(\.$unitCode == data.unit.code)
            .filter(\.$role == .leader).sort(\.$username).first()
        let path = tree.path(to: data.unit.code)
        return Content(
            data: data, figures: figures, targets: targets,
            linked: ExportSource.linkedTargets(plans, formID: data.form.id),
            parent: path.dropLast().last, receiver: data.assignment.flatMap { tree[$0.receiverCode] },
            place: Self.place(path.first?.name ?? data.unit.name), leaderName: leader?.displayName)
    }

    func build(_ report: Report, options: Options) async throws -> Data {
        try DOCXWriter().write(Self.document(try await load(report, options: options), options: options))
    }

    // MARK: The document

    static let tableFont = 24 // 12 pt in tables, 14 pt in the text
    static let grey = "D9D9D9"

    static func document(_ content: Content, options: Options) -> DOCXDocument {
        let data = content.data
        let unit = data.unit
        let symbol = options.symbol.map { $0.hasPrefix("BC-") ? $0 : "BC-" + $0 } ?? "BC-" + abbreviation(unit.name)
        let numberText = "Số: " + (options.number.isEmpty ? "       " : options.number) + "/" + symbol
        let title = options.title ?? "\(data.form.form.title) \(data.periodLabel)"
        var doc = DOCXDocument(
            page: DOCXPageSetup(marginTop: 20, marginBottom: 20, marginLeft: 30, marginRight: 15),
            fontName: "Times New Roman", fontSize: 28,
            properties: OfficeDocumentProperties(
                title: "Báo cáo \(title)", subject: data.form.form.title, creator: unit.name,
                custom: ["BaoCao.Form": data.form.id, "BaoCao.Unit": unit.code, "BaoCao.Period": data.report.periodKey]))
        let width = doc.page.textWidth
        let leftWidth = 70.0, rightWidth = width - leftWidth

        // Header: agency and number on the left, national title and place/date on the right.
        var left: [DOCXParagraph] = []
        if let parent = content.parent { left.append(DOCXParagraph(parent.name.uppercased(), size: 26, alignment: .center)) }
        for line in agencyLines(unit.name) { left.append(DOCXParagraph(line, bold: true, size: 26, alignment: .center)) }
        left.append(.rule(width: 25, availableWidth: leftWidth))
        left.append(DOCXParagraph(numberText, size: 26, alignment: .center, spacingBefore: 6))
        let right = [
            DOCXParagraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold: true, size: 24, alignment: .center),
            DOCXParagraph("Độc lập - Tự do - Hạnh phúc", bold: true, size: 28, alignment: .center),
            .rule(width: 60, availableWidth: rightWidth),
            DOCXParagraph("\(content.place), \(dateLine(options.date))", italic: true, size: 28, alignment: .center, spacingBefore: 6)
        ]
        doc.append(DOCXTable.documentHeader(left: left, right: right, widths: (leftWidth, rightWidth)))

        doc.append(DOCXParagraph("BÁO CÁO", bold: true, alignment: .center, spacingBefore: 18))
        doc.append(DOCXParagraph(title, bold: true, alignment: .center))
        doc.append(.rule(width: 35, availableWidth: width))
        doc.append(body("\(unit.name) báo cáo \(lowerFirst(title)) như sau:", spacingBefore: 12))

        // Appendix numerals in the order they are attached.
        var appendices: [String] = []
        func numeral(_ name: String) -> String {
            if let index = appendices.firstIndex(of: name) { return roman(index + 1) }
            appendices.append(name)
            return roman(appendices.count)
        }
        let hasDocuments = !data.documents.isEmpty
        let documentsNumeral = hasDocuments ? numeral("documents") : ""
        let figuresNumeral = numeral("figures")
        let targetNumerals = content.targets.map { numeral("targets-" + $0.plan.id) }

        // I. Results: the narrative, then the sentences the data gives.
        doc.append(heading("I. KẾT QUẢ ĐẠT ĐƯỢC"))
        var first = paragraphs(data.report.achievements)
        if hasDocuments {
            let kinds = data.documents.map { DocumentKind(rawValue: $0.kind) ?? .officialLetter }
            first.append(body("Trong \(lowerFirst(data.periodLabel)), đã ban hành \(DocumentRegister.countsSentence(kinds))."))
            first.append(aside("(Chi tiết các văn bản tại Phụ lục \(documentsNumeral) kèm theo)"))
        }
        let ratios = ratioSentences(content)
        first += ratios.map { body($0) }
        first.append(aside("(Chi tiết số liệu tại Phụ lục \(figuresNumeral) kèm theo)"))
        for (table, tableNumeral) in zip(content.targets, targetNumerals) {
            first.append(body("Theo \(planReference(table.plan)), \(lowerFirst(table.summary))"))
            first.append(aside("(Chi tiết kết quả thực hiện các chỉ tiêu tại Phụ lục \(tableNumeral) kèm theo)"))
        }
        doc.body += first.map { .paragraph($0) }

        // II. Assessment, with the units below the thresholds.
        doc.append(heading("II. ĐÁNH GIÁ CHUNG"))
        var second = paragraphs(data.report.assessment)
        let lagging = content.targets.flatMap { table in table.rows.filter { !$0.lagging.isEmpty } }
        if !lagging.isEmpty {
            second.append(body("Một số chỉ tiêu chưa đạt yêu cầu tại các đơn vị sau:"))
            for row in lagging {
                second.append(
                    body(
                        "- Chỉ tiêu \(row.target.code) “\(row.target.name)”: \(TargetEvaluator.laggingSentence(row.lagging, percent: row.target.isPercent))."
                    ))
            }
        }
        doc.body += (second.isEmpty ? [body("Không có.")] : second).map { .paragraph($0) }

        let next = data.period.map(nextPeriodLabel) ?? "KỲ TỚI"
        doc.append(heading("III. NHIỆM VỤ TRỌNG TÂM \(next.uppercased())"))
        let third = paragraphs(data.report.nextTasks)
        doc.body += (third.isEmpty ? [body("Không có.")] : third).map { .paragraph($0) }

        doc.append(heading("IV. ĐỀ XUẤT, KIẾN NGHỊ"))
        let fourth = paragraphs(data.report.proposals)
        doc.body += (fourth.isEmpty ? [body("Không có.")] : fourth).map { .paragraph($0) }

        doc.append(body("Trên đây là báo cáo \(lowerFirst(title)) của \(unit.name)./."))
        doc.append(signatureBlock(content, options: options, width: width))

        // Appendices, each on its own page.
        let attached =
            "(Kèm theo Báo cáo số " + (options.number.isEmpty ? "       " : options.number)
            + "/\(symbol) ngày \(options.date.vietnamese) của \(unit.name))"
        if hasDocuments {
            doc.appendPageBreak()
            appendixTitle(&doc, "Phụ lục \(documentsNumeral)", "DANH MỤC CÁC VĂN BẢN CHỈ ĐẠO, ĐIỀU HÀNH ĐÃ BAN HÀNH TRONG KỲ", attached)
            doc.append(documentsTable(data.documents))
        }
        doc.appendPageBreak()
        appendixTitle(
            &doc, "Phụ lục \(figuresNumeral)", data.form.form.title.uppercased(),
            "(Kỳ báo cáo: \(data.periodLabel). \(attached.dropFirst())")
        doc.append(figuresTable(content.figures.rows))
        if let note = content.figures.source {
            doc.append(DOCXParagraph(note, italic: true, size: 24, alignment: .justify, spacingBefore: 6))
        }
        for (table, tableNumeral) in zip(content.targets, targetNumerals) {
            doc.appendPageBreak()
            appendixTitle(
                &doc, "Phụ lục \(tableNumeral)", "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
                "(Theo \(table.plan.title). Kết quả \(lowerFirst(data.periodLabel)). \(attached.dropFirst())")
            doc.append(targetsTable(table))
        }
        return doc
    }

    // MARK: Sentences from data

    /// "Tỷ lệ hồ sơ trực tuyến toàn trình đạt 97,1% (28.295/29.140 hồ sơ)." for
    /// ratio rows, with "được giao 80%" where a plan target measures the row.
    static func ratioSentences(_ content: Content) -> [String] {
        var byCode: [String: ExportSource.FigureRow] = [:]
        for row in content.figures.rows { byCode[row.indicator.code] = row }
        var sentences: [String] = []
        for row in content.figures.rows where row.indicator.unit == .percent {
            let target = content.linked[row.indicator.code]
            guard row.indicator.isComputed || target != nil, case .number(let number)? = row.value else { continue }
            var details: [String] = []
            if let target { details.append("được giao " + assigned(target.threshold)) }
            if let formula = row.indicator.formula,
                let references = try? ExpressionParser.parse(formula).references, references.count == 2,
                case .number(let part)? = byCode[references[0]]?.value, case .number(let whole)? = byCode[references[1]]?.value
            {
                let unitWord = byCode[references[1]]?.indicator.unitWord.map(lowerWord) ?? ""
                details.append(
                    "\(VietnameseNumber.format(part))/\(VietnameseNumber.format(whole))" + (unitWord.isEmpty ? "" : " " + unitWord))
            }
            let suffix = details.isEmpty ? "" : " (" + details.joined(separator: "; ") + ")"
            sentences.append("\(upperFirst(row.indicator.name)) đạt \(VietnameseNumber.format(number))%\(suffix).")
        }
        return sentences
    }

    /// "80%", "trên 50%", as the seeds write "(được giao 90%)".
    static func assigned(_ threshold: Threshold) -> String {
        let value = VietnameseNumber.format(threshold.value) + "%"
        switch threshold.op {
        case .atLeast: return value
        case .above: return "trên " + value
        case .atMost: return "không quá " + value
        case .below: return "dưới " + value
        }
    }

    /// "Kế hoạch 48/KH-BCĐCĐS ngày 01/3/2024" from the plan title (the part before its colon).
    static func planReference(_ plan: TargetPlan) -> String {
        plan.title.split(separator: ":", maxSplits: 1).first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? plan.title
    }

    // MARK: Header and signature

    /// "ỦY BAN NHÂN DÂN / TỈNH BẮC GIANG", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG".
    static func agencyLines(_ name: String) -> [String] {
        let upper = name.uppercased()
        for prefix in ["UBND ", "ỦY BAN NHÂN DÂN ", "UỶ BAN NHÂN DÂN "] where upper.hasPrefix(prefix) {
            return ["ỦY BAN NHÂN DÂN", String(upper.dropFirst(prefix.count))]
        }
        return [upper]
    }

    static func isPeoplesCommittee(_ name: String) -> Bool { agencyLines(name).first == "ỦY BAN NHÂN DÂN" }

    /// "STTTT" from "Sở Thông tin và Truyền thông", "UBND" for a people's committee,
    /// "VPUBND" from "Văn phòng UBND tỉnh": initials, acronyms whole, place words left out.
    static func abbreviation(_ name: String) -> String {
        if isPeoplesCommittee(name) { return "UBND" }
        let skipped: Set<String> = ["và", "các", "tỉnh", "huyện", "xã", "phường", "thị", "trấn", "thành", "phố", "quận"]
        var result = ""
        for word in name.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" || $0 == "–" }) {
            let letters = word.filter(\.isLetter)
            guard let first = letters.first, !skipped.contains(letters.lowercased()) else { continue }
            result += letters.count > 1 && letters == letters.uppercased() ? letters : String(first).uppercased()
        }
        return result.isEmpty ? "BC" : result
    }

    /// "GIÁM ĐỐC" for a Sở, "CHỦ TỊCH" for a people's committee, …
    static func headTitle(_ name: String) -> String {
        if isPeoplesCommittee(name) { return "CHỦ TỊCH" }
        let lowered = name.lowercased()
        if lowered.hasPrefix("văn phòng") { return "CHÁNH VĂN PHÒNG" }
        if lowered.hasPrefix("ban ") { return "TRƯỞNG BAN" }
        if lowered.hasPrefix("sở ") || lowered.hasPrefix("công an") || lowered.hasPrefix("đài ") || lowered.hasPrefix("ngân hàng") {
            return "GIÁM ĐỐC"
        }
        if lowered.hasPrefix("tỉnh đoàn") { return "BÍ THƯ" }
        return "THỦ TRƯỞNG"
    }

    /// The title lines above the signature, ND 30/2020 style.
    static func signatureLines(unitName: String, options: Options) -> [String] {
        let head = options.headTitle?.uppercased() ?? headTitle(unitName)
        var lines: [String] = []
        let committee = isPeoplesCommittee(unitName)
        if committee { lines.append("TM. ỦY BAN NHÂN DÂN") }
        switch options.signing {
        case .deputy:
            lines.append("KT. \(head)")
            lines.append(options.signerTitle?.uppercased() ?? "PHÓ \(head)")
        case .head:
            lines.append(options.signerTitle?.uppercased() ?? head)
        }
        return lines
    }

    static func recipients(_ content: Content, options: Options) -> [String] {
        var lines: [String]
        if let given = options.recipients?.map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }).filter({ !$0.isEmpty }),
            !given.isEmpty
        {
            lines = given
        } else {
            lines = []
            var named: Set<String> = [content.data.unit.code]
            for unit in [content.receiver, content.parent].compactMap({ $0 }) where named.insert(unit.code).inserted {
                lines.append("\(unit.name) (b/c)")
            }
            let name = content.data.unit.name.lowercased()
            lines.append(
                isPeoplesCommittee(content.data.unit.name)
                    ? "Chủ tịch, các Phó Chủ tịch UBND"
                    : name.hasPrefix("sở ") ? "Lãnh đạo Sở" : "Lãnh đạo đơn vị")
            lines.append("Lưu: VT")
        }
        return lines.enumerated().map { index, line in
            var text = line.hasPrefix("-") ? line : "- " + line
            while let last = text.last, last == ";" || last == "." { text.removeLast() }
            return text + (index == lines.count - 1 ? "." : ";")
        }
    }

    static func signatureBlock(_ content: Content, options: Options, width: Double) -> DOCXTable {
        var left = [DOCXParagraph(runs: [DOCXRun("Nơi nhận:", bold: true, italic: true, size: 24)], spacingBefore: 12)]
        left += recipients(content, options: options).map { DOCXParagraph($0, size: 22) }
        var right = signatureLines(unitName: content.data.unit.name, options: options).enumerated().map { index, line in
            DOCXParagraph(line, bold: true, size: 28, alignment: .center, spacingBefore: index == 0 ? 12 : 0)
        }
        right.append(DOCXParagraph("", spacingAfter: 60))
        let name = options.signerName ?? content.leaderName ?? ""
        right.append(DOCXParagraph(name, bold: true, size: 28, alignment: .center))
        return DOCXTable.documentHeader(left: left, right: right, widths: (width * 0.45, width * 0.55))
    }

    // MARK: Appendix tables

    static func appendixTitle(_ doc: inout DOCXDocument, _ name: String, _ title: String, _ note: String) {
        doc.append(DOCXParagraph(name, bold: true, alignment: .center))
        doc.append(DOCXParagraph(title, bold: true, alignment: .center))
        doc.append(DOCXParagraph(note, italic: true, size: 26, alignment: .center, spacingAfter: 12))
    }

    static func headerCell(_ text: String, span: Int = 1) -> DOCXTableCell {
        DOCXTableCell(text, bold: true, size: tableFont, alignment: .center, columnSpan: span, shading: grey)
    }

    static func cell(
        _ text: String, bold: Bool = false, alignment: DOCXAlignment = .left, indent: Double = 0,
        span: Int = 1, keepWithNext: Bool = false
    ) -> DOCXTableCell {
        var paragraph = DOCXParagraph(text, bold: bold, size: tableFont, alignment: alignment)
        paragraph.leftIndent = indent
        paragraph.keepWithNext = keepWithNext
        return DOCXTableCell(paragraphs: [paragraph], columnSpan: span)
    }

    /// A section row of an appendix table ("I | Quyết định"), kept on the page of its first item.
    static func groupRow(_ numeral: String, _ title: String, span: Int) -> DOCXTableRow {
        DOCXTableRow([
            cell(numeral, bold: true, alignment: .center, keepWithNext: true),
            cell(title, bold: true, span: span, keepWithNext: true)
        ])
    }

    /// Phụ lục I: STT | Nội dung văn bản, grouped as the register prints it.
    static func documentsTable(_ documents: [DocumentEntry]) -> DOCXTable {
        var table = DOCXTable(columnWidths: [15, 150])
        table.rows.append(DOCXTableRow([headerCell("STT"), headerCell("NỘI DUNG VĂN BẢN")], repeatsAsHeader: true))
        let latest = CivilDate(year: 9999, month: 12, day: 31)
        for group in DocumentGroup.allCases {
            let members = documents.filter { (DocumentKind(rawValue: $0.kind) ?? .officialLetter).group == group }
                .sorted {
                    ($0.issuedOn.flatMap(CivilDate.init(iso:)) ?? latest, $0.number) < (
                        $1.issuedOn.flatMap(CivilDate.init(iso:)) ?? latest, $1.number
                    )
                }
            guard !members.isEmpty else { continue }
            table.rows.append(groupRow(group.numeral, group.title, span: 1))
            for (index, entry) in members.enumerated() {
                table.rows.append(DOCXTableRow([cell(String(index + 1), alignment: .center), cell(entry.citation, alignment: .justify)]))
            }
        }
        return table
    }

    /// Phụ lục II: STT | Chỉ tiêu | ĐVT | Số liệu | Ghi chú.
    static func figuresTable(_ figures: [ExportSource.FigureRow]) -> DOCXTable {
        var table = DOCXTable(columnWidths: [14, 72, 24, 24, 31])
        table.rows.append(
            DOCXTableRow(
                [
                    headerCell("STT"), headerCell("Chỉ tiêu"), headerCell("ĐVT"), headerCell("Số liệu"),
                    headerCell("Ghi chú")
                ], repeatsAsHeader: true))
        for row in figures {
            let indicator = row.indicator
            var name = DOCXParagraph(indicator.name, bold: indicator.isHeading || indicator.depth == 0, size: tableFont, alignment: .left)
            name.leftIndent = Double(min(indicator.depth, 3)) * 3
            var nameParagraphs = [name]
            if let note = indicator.note {
                var small = DOCXParagraph(note, italic: true, size: 22, alignment: .left)
                small.leftIndent = name.leftIndent
                nameParagraphs.append(small)
            }
            table.rows.append(
                DOCXTableRow([
                    cell(indicator.printedLabel, bold: indicator.depth == 0, alignment: .center),
                    DOCXTableCell(paragraphs: nameParagraphs),
                    cell(indicator.isHeading ? "" : indicator.unitLabel, alignment: .center),
                    cell(row.value?.vietnamese ?? "", bold: indicator.depth == 0, alignment: .right),
                    cell(row.note)
                ]))
        }
        return table
    }

    /// The targets: STT | Chỉ tiêu | Chủ trì theo dõi | Kết quả | Đánh giá.
    static func targetsTable(_ targets: ExportSource.TargetTable) -> DOCXTable {
        var table = DOCXTable(columnWidths: [13, 70, 34, 24, 24])
        table.rows.append(
            DOCXTableRow(
                [
                    headerCell("STT"), headerCell("Chỉ tiêu"), headerCell("Chủ trì theo dõi"),
                    headerCell("Kết quả"), headerCell("Đánh giá")
                ], repeatsAsHeader: true))
        for group in targets.plan.groups {
            let rows = targets.rows.filter { $0.group.code == group.code }
            guard !rows.isEmpty else { continue }
            table.rows.append(groupRow(group.code, group.name, span: 4))
            for (index, row) in rows.enumerated() {
                let evaluation = row.evaluation
                table.rows.append(
                    DOCXTableRow([
                        cell(String(index + 1), alignment: .center), cell(row.target.name, alignment: .justify),
                        cell(row.target.responsible ?? ""), cell(evaluation.reportedText ?? evaluation.valueText, alignment: .center),
                        cell(evaluation.status.label, alignment: .center)
                    ]))
            }
        }
        return table
    }

    // MARK: Text helpers

    static func heading(_ text: String) -> DOCXParagraph {
        DOCXParagraph(
            runs: [DOCXRun(text, bold: true)], alignment: .justify, firstLineIndent: 12.7,
            spacingBefore: 6, spacingAfter: 6, lineSpacing: 1.15, keepWithNext: true)
    }

    static func body(_ text: String, spacingBefore: Double = 0) -> DOCXParagraph {
        DOCXParagraph(text, alignment: .justify, firstLineIndent: 12.7, spacingBefore: spacingBefore, spacingAfter: 6, lineSpacing: 1.15)
    }

    static func aside(_ text: String) -> DOCXParagraph {
        DOCXParagraph(text, italic: true, alignment: .justify, firstLineIndent: 12.7, spacingAfter: 6, lineSpacing: 1.15)
    }

    /// The officer's narrative, one paragraph per non-empty line.
    static func paragraphs(_ text: String) -> [DOCXParagraph] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { body($0) }
    }

    /// "ngày 05 tháng 02 năm 2024": ND 30/2020 writes days below 10 and months 1–2 with a leading zero.
    static func dateLine(_ date: CivilDate) -> String {
        let day = date.day < 10 ? "0\(date.day)" : "\(date.day)"
        let month = date.month <= 2 ? "0\(date.month)" : "\(date.month)"
        return "ngày \(day) tháng \(month) năm \(date.year)"
    }

    /// "Bắc Giang" from "UBND tỉnh Bắc Giang".
    static func place(_ provinceName: String) -> String {
        var name = provinceName
        for prefix in ["UBND ", "Ủy ban nhân dân ", "Uỷ ban nhân dân "] where name.lowercased().hasPrefix(prefix.lowercased()) {
            name = String(name.dropFirst(prefix.count))
        }
        for prefix in ["tỉnh ", "thành phố "] where name.lowercased().hasPrefix(prefix) {
            name = String(name.dropFirst(prefix.count))
        }
        return name
    }

    /// The period the next tasks are for: "Quý II năm 2024", "6 tháng cuối năm 2024".
    static func nextPeriodLabel(_ period: Period) -> String {
        switch period.kind {
        case .month: return (period.index == 12 ? Period.month(1, period.year + 1) : Period.month(period.index + 1, period.year)).label
        case .quarter: return (period.index == 4 ? Period.quarter(1, period.year + 1) : Period.quarter(period.index + 1, period.year)).label
        case .firstHalf: return "6 tháng cuối năm \(period.year)"
        case .nineMonths: return Period.quarter(4, period.year).label
        case .year: return Period.year(period.year + 1).label
        }
    }

    static func roman(_ n: Int) -> String { ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][min(max(n, 0), 10)] }

    /// "quý I" stays "Quý I" (as the seeds write it mid-sentence); other words lose their capital.
    static func lowerFirst(_ text: String) -> String {
        guard let first = text.first, !text.hasPrefix("Quý") else { return text }
        return String(first).lowercased() + text.dropFirst()
    }

    static func upperFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return String(first).uppercased() + text.dropFirst()
    }

    /// "Hồ sơ" → "hồ sơ", but "DVC" stays.
    static func lowerWord(_ word: String) -> String { word == word.uppercased() ? word : word.lowercased() }
}
