import Foundation

/// The four narrative parts of a report, as the report page holds them.
public enum NarrativeField: String, Sendable, CaseIterable, Codable {
    case achievements, assessment, nextTasks, proposals

    /// "Kết quả đạt được", as the section is called on the report page.
    public var label: String {
        switch self {
        case .achievements: return "Kết quả đạt được"
        case .assessment: return "Đánh giá chung"
        case .nextTasks: return "Nhiệm vụ trọng tâm kỳ tới"
        case .proposals: return "Đề xuất, kiến nghị"
        }
    }

    /// The heading BaoCao writes: "I. KẾT QUẢ ĐẠT ĐƯỢC".
    public var heading: String {
        switch self {
        case .achievements: return "I. KẾT QUẢ ĐẠT ĐƯỢC"
        case .assessment: return "II. ĐÁNH GIÁ CHUNG"
        case .nextTasks: return "III. NHIỆM VỤ TRỌNG TÂM KỲ TỚI"
        case .proposals: return "IV. ĐỀ XUẤT, KIẾN NGHỊ"
        }
    }
}

/// A narrative section found by its heading.
public struct ImportedSection: Sendable, Equatable {
    /// The heading as printed: "II. ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN NHIỆM VỤ 6 THÁNG ĐẦU NĂM 2024".
    public var heading: String
    /// The field it fills; nil when the heading matches none (its text is then not read).
    public var field: NarrativeField?
    /// Paragraphs taken into the field.
    public var paragraphs: Int
}

/// How a statistics row was tied to an indicator of the form.
public enum RowMatch: Sendable, Equatable {
    /// Printed STT and name both agree with the indicator.
    case sttAndName
    /// By name; the printed STT (shown) is another code or none.
    case name(printedSTT: String)
    /// By STT; the printed name is close to the indicator's but not the same.
    case stt(printedName: String)

    public var label: String {
        switch self {
        case .sttAndName: return "khớp STT và tên"
        case .name(let stt): return stt.isEmpty ? "khớp theo tên (dòng không ghi STT)" : "khớp theo tên (STT in là \(stt))"
        case .stt: return "khớp theo STT (tên in khác tên chỉ tiêu)"
        }
    }
}

/// A cell of the statistics table read into the draft.
public struct ImportedCell: Sendable, Equatable {
    /// The form's indicator code ("6.1").
    public var code: String
    /// The cell as printed, trimmed ("97,1", "1.628", "12,5%").
    public var text: String
    /// The value read: a number (coded rows too) or, for text rows, the text.
    public var value: CellValue
    /// The STT as printed in the document ("6.4." where the form says 6.1).
    public var printedSTT: String
    public var match: RowMatch
}

/// One document of Phụ lục I read into the register.
public struct ImportedDocument: Sendable, Equatable {
    /// The row's STT as printed within its group ("15").
    public var printedSTT: String
    public var reference: DocumentReference
}

/// Something in the document that was not taken into the draft, and why.
public struct ImportIssue: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable {
        case sectionMissing, sectionUnknown, sectionTooLong
        case noFigureTable, rowNotMatched, duplicateRow, valueOnHeading, valueNotRead, rowsBeyondLimit
        case documentNotRead
        case tableSkipped
    }

    public var kind: Kind
    /// Where: "Phụ lục II, dòng STT 6.4", "Mục IV".
    public var place: String
    /// What is wrong and how to fix it, in Vietnamese.
    public var message: String
    /// The indicator concerned, when there is one.
    public var code: String?

    public init(_ kind: Kind, place: String, message: String, code: String? = nil) {
        self.kind = kind
        self.place = place
        self.message = message
        self.code = code
    }
}

/// Everything read from one Word report, to be shown and saved as a draft.
public struct ImportedReport: Sendable {
    /// Field text: paragraphs joined by "\n" (as the report page keeps them); "" when not found.
    public var narrative: [NarrativeField: String]
    public var sections: [ImportedSection]
    public var documents: [ImportedDocument]
    /// Cells read, in the order of the document.
    public var cells: [ImportedCell]
    /// The cells by code as typed, for `Validator` and for saving.
    public var entries: [String: String]
    /// "Ghi chú" of matched rows by code: the officer's explanation (it acknowledges a warning on the row).
    public var notes: [String: String]
    /// What was not read, each with a Vietnamese message.
    public var notRead: [ImportIssue]
    /// Lines BaoCao writes itself from the data ("(Chi tiết … tại Phụ lục I kèm theo)", the documents count,
    /// the ratio sentences), left out of the narrative because the export writes them again.
    public var generatedLines: [String]
    /// The draft's cells checked by the form's rules.
    public var validation: ValidationReport

    public var achievements: String { narrative[.achievements] ?? "" }
    public var assessment: String { narrative[.assessment] ?? "" }
    public var nextTasks: String { narrative[.nextTasks] ?? "" }
    public var proposals: String { narrative[.proposals] ?? "" }

    /// Statistics rows tied to an indicator, by how.
    public var matchCounts: (sttAndName: Int, name: Int, stt: Int) {
        var counts = (0, 0, 0)
        for cell in cells {
            switch cell.match {
            case .sttAndName: counts.0 += 1
            case .name: counts.1 += 1
            case .stt: counts.2 += 1
            }
        }
        return counts
    }

    /// Nothing in the cells blocks saving: no validation error. The narrative and the
    /// register always import; a caller writes nothing when this is false.
    public var canSave: Bool { validation.errors.isEmpty }
}
