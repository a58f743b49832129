import ReportingCore

/// The Word report's preview: the findings of the narrative check on the
/// document's own text (the officer's narrative with the sentences BaoCao
/// writes from the consolidated figures, and Phụ lục I), before download.
struct OfficePreviewPage: Encodable {
    struct Finding: Encodable {
        let label: String
        let message: String
        let sentence: String
    }

    let layout: LayoutContext
    let reportID: String
    let title: String
    /// The query the download link repeats, so the file is the one checked.
    let downloadQuery: String
    let findings: [Finding]
    let summary: String

    static func findings(_ checked: [NarrativeFinding]) -> [Finding] {
        checked.map { finding in
            Finding(
                label: finding.rule.label, message: finding.message,
                sentence: finding.sentence.count > NarrativeSectionView.maxSentence
                    ? String(finding.sentence.prefix(NarrativeSectionView.maxSentence)) + "…" : finding.sentence)
        }
    }

    static func summary(_ count: Int) -> String {
        count == 0
            ? "Không có cảnh báo nào về số liệu trong văn bản của báo cáo Word."
            : "Có \(count) cảnh báo về số liệu trong văn bản của báo cáo Word (cảnh báo không chặn việc tải về; hãy xem lại câu văn)."
    }
}
