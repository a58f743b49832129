import ReportingCore
import Vapor

/// The data-entry page: the paper form's columns, with problems on their rows.
struct ReportPage: Encodable {
    /// One indicator's line of the grid; `FormGridHTML` writes them.
    struct Row {
        let code: String
        let label: String
        let name: String
        let note: String?
        let unitLabel: String
        let depth: Int
        let isHeading: Bool
        let isComputed: Bool
        let isCoded: Bool
        let formula: String?
        let choices: [SelectOption]
        let raw: String
        let computed: String?
        let userNote: String
        let problems: [ProblemView]
        let hasError: Bool
        let hasWarning: Bool
        let partOf: String?
        let percent: Bool
        /// False for rows another level fills (5.1.1 is the province's, not a commune's): shown as text, not inputs.
        let applies: Bool
        /// A required row the unit fills, still empty: a quiet reminder while drafting.
        let missingRequired: Bool
        let isRequired: Bool
        /// Filled from dossier records: "tính từ N hồ sơ (tệp, giờ)", and the figure when it was changed since.
        var computedFrom: String? = nil
    }

    struct ProblemView {
        let severity: String
        let label: String
        let message: String
        let acknowledged: Bool
    }

    let layout: LayoutContext
    let reportID: String
    let formTitle: String
    let unitName: String
    let period: String
    let deadline: String
    let status: String
    let statusKey: String
    let version: Int
    let revision: Int
    /// The grid's rows as HTML (`FormGridHTML`), included with `#unsafeHTML`.
    let grid: String
    let editable: Bool
    let canAskApproval: Bool
    let canSend: Bool
    let canReview: Bool
    let canReopen: Bool
    let reviewComment: String?
    let errorCount: Int
    let warningCount: Int
    /// Required rows still empty: "Còn N chỉ tiêu bắt buộc chưa nhập", an error only when sending.
    let missingRequired: Int
    let message: String?
    let conflict: [ConflictRow]
    /// The four sections with the narrative check's findings under each (`NarrativeReview`).
    let narrative: [NarrativeSectionView]
    /// Shown by the send buttons while findings are open; never blocks sending.
    var narrativeNotice: String? = nil
    /// Phụ lục I, the documents issued in the period (DocumentController).
    var documents: DocumentRegisterView? = nil
    /// The upload "Tính từ hồ sơ (CSV/XLSX)" (`DossierController`).
    var canFillFromDossiers = false

    struct ConflictRow: Encodable {
        let code: String
        let theirs: String
        let yours: String
    }

    static func rows(
        form: CompiledForm, values: [String: (raw: String, note: String?)], validation: ValidationReport,
        unitKind: UnitKind? = nil, marks: [String: ComputedValue] = [:]
    ) -> [Row] {
        let missing = Set(validation.missingRequired)
        return form.indicators.enumerated().map { slot, indicator in
            let problems = validation.problems(for: indicator.code)
            let raw = values[indicator.code]?.raw ?? ""
            return Row(
                code: indicator.code, label: indicator.printedLabel, name: indicator.name, note: indicator.note,
                unitLabel: indicator.unit == .coded ? "" : indicator.unitLabel, depth: indicator.depth,
                isHeading: indicator.isHeading, isComputed: indicator.isComputed, isCoded: indicator.unit == .coded,
                formula: form.printedFormulas[slot],
                choices: (indicator.choices ?? []).map {
                    SelectOption(value: String($0.value), label: "\($0.label) = \($0.value)", selected: raw == String($0.value))
                },
                raw: raw,
                computed: validation.computed[indicator.code].map { VietnameseNumber.format($0, decimals: 2) },
                userNote: values[indicator.code]?.note ?? "",
                problems: problems.map {
                    ProblemView(
                        severity: $0.severity.rawValue, label: $0.severity.label, message: $0.message, acknowledged: $0.acknowledged)
                },
                hasError: problems.contains { $0.severity == .error },
                hasWarning: problems.contains { $0.severity == .warning },
                partOf: indicator.partOf, percent: indicator.unit == .percent,
                applies: unitKind.map { indicator.applies(to: $0, formLevels: form.form.levels) } ?? true,
                missingRequired: missing.contains(indicator.code), isRequired: indicator.isRequired,
                computedFrom: marks[indicator.code].map { mark in
                    ReportService.sameFigure(raw, mark.value) ? mark.label : "Đã sửa; số \(mark.label) là \(mark.value)"
                })
        }
    }
}
