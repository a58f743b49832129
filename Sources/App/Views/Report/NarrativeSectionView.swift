import ReportingCore

/// One narrative section of the data-entry page with the findings of the
/// narrative check on its text: each with its sentence and message, and
/// "đã kiểm tra" (muted, with the note) once an officer marked it.
struct NarrativeSectionView: Encodable {
    struct Finding: Encodable {
        let id: String
        /// "tổng không khớp các thành phần".
        let label: String
        let message: String
        /// The sentence, cut to 300 characters.
        let sentence: String
        let acknowledged: Bool
        let note: String
    }

    let field: String
    let title: String
    let rows: Int
    let text: String
    let findings: [Finding]
    /// Findings not yet marked.
    let openCount: Int

    static let maxSentence = 300

    static func make(_ sections: [ReportService.Narrative.Section], checked: [NarrativeReview.Section]) -> [NarrativeSectionView] {
        sections.map { section in
            let findings = (checked.first { $0.field == section.field }?.findings ?? []).map { finding in
                Finding(
                    id: finding.id, label: finding.rule.label, message: finding.message,
                    sentence: finding.sentence.count > maxSentence ? String(finding.sentence.prefix(maxSentence)) + "…" : finding.sentence,
                    acknowledged: finding.isAcknowledged, note: finding.acknowledgement ?? "")
            }
            return NarrativeSectionView(
                field: section.field, title: section.title, rows: section.rows, text: section.text,
                findings: findings, openCount: findings.filter { !$0.acknowledged }.count)
        }
    }

    /// "Phần thuyết minh có 2 cảnh báo về số liệu chưa kiểm tra", for the send step; nil without open findings.
    static func sendingNotice(_ sections: [NarrativeSectionView]) -> String? {
        let open = sections.reduce(0) { $0 + $1.openCount }
        guard open > 0 else { return nil }
        return "Phần thuyết minh có \(open) cảnh báo về số liệu chưa đánh dấu “đã kiểm tra” (xem dưới từng mục). "
            + "Cảnh báo không chặn việc gửi; hãy xem lại câu văn trước khi gửi."
    }
}
