import ReportingCore
import Vapor

/// What the JSON API sends. These types are the contract described in
/// Resources/Public/api/openapi.json; they do not reuse the core's Codable
/// conformances, so a change in the core cannot silently change the API.
enum ApiView {
    struct FormList: Content {
        let forms: [FormSummary]
    }

    struct FormSummary: Content {
        let id: String
        let title: String
        let shortTitle: String?
        let version: String?
        let levels: [String]
        let indicatorCount: Int

        init(_ form: Form) {
            id = form.id
            title = form.title
            shortTitle = form.shortTitle
            version = form.version
            levels = form.levels.map(\.rawValue)
            indicatorCount = form.indicators.count
        }
    }

    struct FormDetail: Content {
        let id: String
        let title: String
        let shortTitle: String?
        let version: String?
        let source: String?
        let levels: [String]
        let indicators: [IndicatorView]
    }

    struct ChoiceView: Content {
        let value: Int
        let label: String
    }

    struct IndicatorView: Content {
        let code: String
        let label: String
        let name: String
        let note: String?
        /// The kind of measure: heading, count, percent, money, coded, text.
        let unit: String
        let unitLabel: String
        let choices: [ChoiceView]?
        let formula: String?
        let required: Bool
        let levels: [String]?
        let partOf: String?
        let heading: Bool
        let computed: Bool

        init(_ indicator: Indicator) {
            code = indicator.code
            label = indicator.printedLabel
            name = indicator.name
            note = indicator.note
            unit = indicator.unit.rawValue
            unitLabel = indicator.unitLabel
            choices = indicator.choices?.map { ChoiceView(value: $0.value, label: $0.label) }
            formula = indicator.formula
            required = indicator.isRequired
            levels = indicator.levels?.map(\.rawValue)
            partOf = indicator.partOf
            heading = indicator.isHeading
            computed = indicator.isComputed
        }
    }

    /// One page of the reports a user may read: `next` is the address of the
    /// following page, null on the last.
    struct ReportList: Content {
        let reports: [ReportSummary]
        let total: Int
        let limit: Int
        let offset: Int
        let next: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(reports, forKey: .reports)
            try container.encode(total, forKey: .total)
            try container.encode(limit, forKey: .limit)
            try container.encode(offset, forKey: .offset)
            try container.encode(next, forKey: .next) // null, not left out, on the last page
        }
    }

    struct ReportSummary: Content {
        let id: String
        let assignmentId: String
        let formId: String
        let formTitle: String
        let unitCode: String
        let unitName: String
        let period: String
        let periodLabel: String
        let deadline: String?
        let status: String
        let statusLabel: String
        let version: Int
        let revision: Int
        let sentAt: String?
        let acceptedAt: String?

        init(_ report: Report, tree: UnitTree, library: FormLibrary, deadline: String?) {
            id = report.id?.uuidString ?? ""
            assignmentId = report.$assignment.id.uuidString
            formId = report.formID
            formTitle = library.form(report.formID)?.form.displayTitle ?? report.formID
            unitCode = report.unitCode
            unitName = tree[report.unitCode]?.name ?? report.unitCode
            period = report.periodKey
            periodLabel = Period(key: report.periodKey)?.label ?? report.periodKey
            self.deadline = deadline
            status = report.status.rawValue
            statusLabel = report.status.label
            version = report.version
            revision = report.revision
            sentAt = report.sentAt.map(ApiView.timestamp)
            acceptedAt = report.acceptedAt.map(ApiView.timestamp)
        }
    }

    /// One cell as stored: the text as typed, the number it parsed to (null
    /// when it did not parse), the officer's note (null when none).
    struct CellView: Content {
        let raw: String
        let number: Double?
        let note: String?

        enum CodingKeys: String, CodingKey { case raw, number, note }

        init(raw: String, number: Double?, note: String?) {
            self.raw = raw
            self.number = number
            self.note = note
        }

        // Explicit nulls: a client sees "not a number" rather than a missing key.
        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(raw, forKey: .raw)
            try container.encode(number, forKey: .number)
            try container.encode(note, forKey: .note)
        }
    }

    struct ProblemView: Content {
        let code: String
        let severity: String
        let severityLabel: String
        let kind: String
        let message: String
        let values: [String: String]
        let acknowledged: Bool
        let blocksSending: Bool

        init(_ problem: ValidationProblem) {
            code = problem.code
            severity = problem.severity.rawValue
            severityLabel = problem.severity.label
            kind = problem.kind.rawValue
            message = problem.message
            values = problem.values
            acknowledged = problem.acknowledged
            blocksSending = problem.blocksSending
        }
    }

    struct ValidationView: Content {
        let canSend: Bool
        let errorCount: Int
        let warningCount: Int
        let problems: [ProblemView]
        let computed: [String: Double]

        init(_ report: ValidationReport) {
            canSend = report.canSend
            errorCount = report.errors.count
            warningCount = report.warnings.filter { !$0.acknowledged }.count
            problems = report.problems.map(ProblemView.init)
            computed = report.computed.filter { $0.value.isFinite }
        }
    }

    struct Permissions: Content {
        let canEdit: Bool
        let canAskApproval: Bool
        let canSend: Bool
        let canReturn: Bool
        let canAccept: Bool
        let canReopen: Bool

        init(_ access: Access, _ report: Report) {
            canEdit = access.canEdit(report)
            canAskApproval = access.canAskApproval(report)
            canSend = access.canSend(report)
            canReturn = access.canReview(report) && report.status == .sent
            canAccept = access.canReview(report) && report.status == .sent
            canReopen = access.canReview(report) && report.status == .accepted
        }
    }

    struct ReportDetail: Content {
        let report: ReportSummary
        let reviewComment: String?
        let narrative: ReportService.Narrative
        let values: [String: CellView]
        let validation: ValidationView
        let permissions: Permissions
    }

    struct SaveResult: Content {
        let report: ReportSummary
        let validation: ValidationView
    }

    struct ActionResult: Content {
        let report: ReportSummary
        let permissions: Permissions
    }

    struct AssignmentView: Content {
        let id: String
        let title: String
        let formId: String
        let period: String
        let periodLabel: String
        let deadline: String
        let receiverCode: String
        let receiverName: String

        init(_ assignment: Assignment, tree: UnitTree) {
            id = assignment.id?.uuidString ?? ""
            title = assignment.title
            formId = assignment.formID
            period = assignment.periodKey
            periodLabel = Period(key: assignment.periodKey)?.label ?? assignment.periodKey
            deadline = assignment.deadline
            receiverCode = assignment.receiverCode
            receiverName = tree[assignment.receiverCode]?.name ?? assignment.receiverCode
        }
    }

    struct AssignmentList: Content {
        let assignments: [AssignmentView]
    }

    struct StatusCount: Content {
        let status: String
        let label: String
        let count: Int
    }

    struct StatusRow: Content {
        let reportId: String
        let unitCode: String
        let unitName: String
        let unitKind: String
        let status: String
        let statusLabel: String
        let overdueDays: Int?
        let sentAt: String?
    }

    struct AssignmentStatus: Content {
        let assignment: AssignmentView
        let total: Int
        let sent: Int
        let notSent: Int
        let onTime: Int
        /// Share of all assigned units that sent on time, in percent.
        let onTimeRate: Double
        let counts: [StatusCount]
        let rows: [StatusRow]
    }

    struct FigureView: Content {
        let code: String
        let name: String
        let unit: String
        let unitLabel: String
        let value: Double?
        let reported: Int
        let expected: Int
        let complete: Bool
        let unitsMeeting: Int?
        let unitsCounted: Int?

        enum CodingKeys: String, CodingKey {
            case code, name, unit, unitLabel, value, reported, expected, complete, unitsMeeting, unitsCounted
        }

        init(_ indicator: Indicator, _ figure: ConsolidatedFigure) {
            code = indicator.code
            name = indicator.name
            unit = indicator.unit.rawValue
            unitLabel = indicator.unitLabel
            value = figure.value.flatMap { $0.isFinite ? $0 : nil }
            reported = figure.reported
            expected = figure.expected
            complete = figure.isComplete
            unitsMeeting = figure.unitsMeeting
            unitsCounted = figure.unitsCounted
        }

        // `value` is always present: null means no unit below reported the row.
        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(code, forKey: .code)
            try container.encode(name, forKey: .name)
            try container.encode(unit, forKey: .unit)
            try container.encode(unitLabel, forKey: .unitLabel)
            try container.encode(value, forKey: .value)
            try container.encode(reported, forKey: .reported)
            try container.encode(expected, forKey: .expected)
            try container.encode(complete, forKey: .complete)
            try container.encodeIfPresent(unitsMeeting, forKey: .unitsMeeting)
            try container.encodeIfPresent(unitsCounted, forKey: .unitsCounted)
        }
    }

    struct Consolidated: Content {
        let formId: String
        let formTitle: String
        let period: String
        let periodLabel: String
        let unitCode: String
        let unitName: String
        let basis: String
        let basisLabel: String
        let figures: [FigureView]
    }

    /// ISO 8601 in UTC, e.g. 2024-03-15T00:00:00Z.
    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
