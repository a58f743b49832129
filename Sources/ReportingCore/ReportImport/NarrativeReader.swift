import Foundation

/// Finds the narrative sections of a report by their headings ("I. KẾT QUẢ ĐẠT ĐƯỢC",
/// "II. ĐÁNH GIÁ CHUNG", "III. NHIỆM VỤ TRỌNG TÂM …", "IV. ĐỀ XUẤT, KIẾN NGHỊ", and the
/// seeds' variants) and takes their paragraphs, up to the closing line, "Nơi nhận" or the appendices.
struct NarrativeReader {
    struct Result {
        var narrative: [NarrativeField: String] = [:]
        var sections: [ImportedSection] = []
        var generated: [String] = []
        var issues: [ImportIssue] = []
    }

    /// Names of the form's percent rows as BaoCao starts its ratio sentences with them.
    let ratioSentenceStarts: [String]
    let limits: ReportImportLimits

    /// How the document numbers its top-level sections.
    enum HeadingStyle {
        /// "I. KẾT QUẢ ĐẠT ĐƯỢC", "II. Đánh giá chung": a Roman numeral, as NĐ 30/2020 reports write them.
        case roman
        /// No Roman numeral anywhere (Word's automatic numbering is not in the text, or Arabic numbers):
        /// an upper-case line that starts with a section's words ("KẾT QUẢ ĐẠT ĐƯỢC", "1. ĐÁNH GIÁ CHUNG").
        case loose
    }

    /// A top-level heading: a Roman numeral, a dot or bracket, and an upper-case title, or a mixed-case
    /// title that starts with a section's words (text after a colon is the section's first content:
    /// "V. KIẾN NGHỊ, ĐỀ XUẤT: Không có"). With `.loose`, an upper-case line naming a section.
    static func heading(_ line: String, style: HeadingStyle) -> (numeral: String, title: String, rest: String, field: NarrativeField?)? {
        guard line.count <= 400 else { return nil }
        let numeral: String
        let body: String
        switch style {
        case .roman:
            guard let match = line.wholeMatch(of: /([IVX]{1,4})\s*[.)]\s*(.+)/) else { return nil }
            (numeral, body) = (String(match.1), String(match.2))
        case .loose:
            if let match = line.wholeMatch(of: /(\d{1,2})\s*[.)]\s*(.+)/) {
                (numeral, body) = (String(match.1), String(match.2))
            } else {
                (numeral, body) = ("", line)
            }
        }
        let parts = body.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let title = String(parts[0]).trimmingCharacters(in: .whitespaces)
        let rest = parts.count == 2 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : ""
        let letters = title.filter(\.isLetter)
        guard letters.count >= 4 else { return nil }
        let upper = letters == letters.uppercased()
        if style == .roman && upper { return (numeral, title, rest, field(forTitle: title)) }
        // Mixed case, or no Roman numeral: only a short title that names a section by its first words.
        guard title.count <= 120, style == .roman || upper, let field = field(startingWith: title) else { return nil }
        return (numeral, title, rest, field)
    }

    /// The field a title names by its first words ("KẾT QUẢ…", "PHƯƠNG HƯỚNG, NHIỆM VỤ…").
    static func field(startingWith title: String) -> NarrativeField? {
        let key = ImportText.key(title)
        let starts: [(String, NarrativeField)] = [
            ("kết quả", .achievements), ("công tác", .achievements), ("tình hình", .achievements),
            ("đánh giá", .assessment), ("một số khó khăn", .assessment), ("khó khăn", .assessment), ("tồn tại", .assessment),
            ("nhiệm vụ", .nextTasks), ("phương hướng", .nextTasks),
            ("kiến nghị", .proposals), ("đề xuất", .proposals)
        ]
        return starts.first(where: { key.hasPrefix($0.0) })?.1
    }

    /// The field a heading's title names, as the seeds and BaoCao write them.
    static func field(forTitle title: String) -> NarrativeField? {
        if let field = field(startingWith: title) { return field }
        let key = ImportText.key(title)
        let contains: [(String, NarrativeField)] = [
            ("kiến nghị", .proposals), ("đề xuất", .proposals), ("phương hướng", .nextTasks), ("nhiệm vụ trọng tâm", .nextTasks),
            ("đánh giá", .assessment), ("khó khăn", .assessment), ("tồn tại", .assessment), ("kết quả", .achievements)
        ]
        return contains.first(where: { key.contains($0.0) })?.1
    }

    /// Where the narrative ends: the closing sentence, the recipients, an appendix.
    static func endsNarrative(_ line: String) -> Bool {
        let key = ImportText.key(line)
        return key.hasPrefix("trên đây là báo cáo") || key.hasPrefix("nơi nhận") || key.hasPrefix("phụ lục")
            || key.hasPrefix("biểu mẫu thống kê")
    }

    func read(_ blocks: [ImportBlock]) -> Result {
        var result = Result()
        // The sections in order, each with its lines.
        var found: [(heading: String, numeral: String, field: NarrativeField?, lines: [String])] = []
        var lines: [String] = []
        for block in blocks {
            guard case .paragraph(let text) = block else { continue }
            for rawLine in text.split(separator: "\n") {
                let line = ImportText.clean(String(rawLine), limit: limits.maxSectionLength)
                if !line.isEmpty { lines.append(line) }
            }
        }
        let style: HeadingStyle = lines.contains { Self.heading($0, style: .roman) != nil } ? .roman : .loose
        for line in lines {
            if let heading = Self.heading(line, style: style) {
                found.append((line, heading.numeral, heading.field, heading.rest.isEmpty ? [] : [heading.rest]))
                continue
            }
            guard !found.isEmpty else { continue } // title, number, place and date, the opening sentence
            if Self.endsNarrative(line) { break }
            found[found.count - 1].lines.append(line)
        }

        var texts: [NarrativeField: [String]] = [:]
        var perField: [NarrativeField: Int] = [:]
        for section in found { if let field = section.field { perField[field, default: 0] += 1 } }
        for section in found {
            var lines = dropGenerated(section.lines, into: &result.generated)
            if lines.count == 1, ["không có", "không"].contains(ImportText.key(lines[0])) { lines = [] }
            result.sections.append(ImportedSection(heading: section.heading, field: section.field, paragraphs: lines.count))
            guard let field = section.field else {
                if !lines.isEmpty {
                    result.issues.append(
                        ImportIssue(
                            .sectionUnknown, place: "Mục \(section.numeral)",
                            message: "Mục “\(ImportText.quote(section.heading, 80))” không ứng với phần nào của báo cáo (Kết quả đạt được, "
                                + "Đánh giá chung, Nhiệm vụ trọng tâm, Đề xuất kiến nghị): \(lines.count) đoạn của mục này chưa được đọc. "
                                + "Hãy chép nội dung vào phần phù hợp trên trang báo cáo."))
                }
                continue
            }
            // Two sections into one field (seed 003: "I. CÔNG TÁC CHỈ ĐẠO…" and "II. KẾT QUẢ…"): keep each heading.
            if (perField[field] ?? 0) > 1 { texts[field, default: []].append(section.heading) }
            texts[field, default: []] += lines
        }
        for field in NarrativeField.allCases {
            guard let lines = texts[field] else {
                result.issues.append(
                    ImportIssue(
                        .sectionMissing, place: field.heading,
                        message: "Không thấy mục “\(field.label)” (tiêu đề dạng “\(field.heading)”): phần này để trống. "
                            + "Nếu báo cáo có nội dung này dưới tiêu đề khác, hãy nhập trên trang báo cáo."))
                result.narrative[field] = ""
                continue
            }
            var text = lines.joined(separator: "\n")
            if text.count > limits.maxSectionLength {
                text = String(text.prefix(limits.maxSectionLength))
                result.issues.append(
                    ImportIssue(
                        .sectionTooLong, place: field.heading,
                        message: "Phần “\(field.label)” dài quá \(VietnameseNumber.format(ExactNumber(limits.maxSectionLength))) ký tự; "
                            + "chỉ đọc phần đầu. Hãy rút gọn hoặc chuyển bớt nội dung vào phụ lục."))
            }
            result.narrative[field] = text
        }
        return result
    }

    /// Leaves out the lines BaoCao writes from the data, so a report exported and imported
    /// again has the officer's text only (the export writes those lines again).
    func dropGenerated(_ lines: [String], into generated: inout [String]) -> [String] {
        var kept: [String] = []
        var index = 0
        var inLaggingList = false
        while index < lines.count {
            let line = lines[index]
            let next = index + 1 < lines.count ? lines[index + 1] : ""
            index += 1
            if Self.isDetailsAside(line) {
                generated.append(line); continue
            }
            if line.hasPrefix("Theo "), Self.isDetailsAside(next), ImportText.key(next).contains("chỉ tiêu") {
                generated.append(line); continue
            }
            if Self.isCountsSentence(line) || isRatioSentence(line) {
                generated.append(line); continue
            }
            if line == "Một số chỉ tiêu chưa đạt yêu cầu tại các đơn vị sau:" {
                inLaggingList = true
                generated.append(line); continue
            }
            if inLaggingList, line.hasPrefix("- Chỉ tiêu "), line.contains("“") {
                generated.append(line); continue
            }
            inLaggingList = false
            kept.append(line)
        }
        return kept
    }

    /// "(Chi tiết các văn bản tại Phụ lục I kèm theo)".
    static func isDetailsAside(_ line: String) -> Bool {
        line.count < 400 && line.wholeMatch(of: /\(\s*[Cc]hi tiết .{0,200}[Pp]hụ lục\s+[IVX\d]{1,5}\s+kèm theo\s*\)\.?/) != nil
    }

    /// "Trong quý I năm 2024, đã ban hành 01 quyết định, 04 kế hoạch, 15 văn bản chỉ đạo."
    static func isCountsSentence(_ line: String) -> Bool {
        guard line.count < 400, line.hasPrefix("Trong "), line.hasSuffix("."),
            let range = line.range(of: ", đã ban hành ")
        else { return false }
        let counts = line[range.upperBound...].dropLast().components(separatedBy: ", ")
        return (1...3).contains(counts.count)
            && counts.allSatisfy { $0.wholeMatch(of: /\d{1,5} (quyết định|kế hoạch|văn bản chỉ đạo)/) != nil }
    }

    /// "Tỷ lệ hồ sơ trực tuyến toàn trình đạt 97,1% (28.295/29.140 hồ sơ)." for a percent row of the form.
    func isRatioSentence(_ line: String) -> Bool {
        guard line.count < 1_000 else { return false }
        return ratioSentenceStarts.contains { start in
            guard line.hasPrefix(start + " đạt ") else { return false }
            let rest = line.dropFirst(start.count + 5)
            return rest.wholeMatch(of: /-?[\d.]+(,\d+)?%( \(.{0,200}\))?\./) != nil
        }
    }
}
