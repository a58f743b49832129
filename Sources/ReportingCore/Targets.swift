import Foundation

/// A threshold as a plan words it: "tối thiểu 80%" (≥), "trên 50%" (>), "đạt 100%".
public struct Threshold: Sendable, Hashable, Codable {
    public enum Operator: String, Sendable, Codable {
        case atLeast = ">="
        case above = ">"
        case atMost = "<="
        case below = "<"
        public var symbol: String {
            switch self {
            case .atLeast: "≥";
            case .above: ">";
            case .atMost: "≤";
            case .below: "<"
            }
        }
    }
    public var op: Operator
    public var value: Double
    public var wording: String?

    public init(op: Operator, value: Double, wording: String? = nil) {
        self.op = op
        self.value = value
        self.wording = wording
    }

    public func isMet(by value: Double) -> Bool {
        switch op {
        case .atLeast: return value >= self.value - 1e-9
        case .above: return value > self.value + 1e-9
        case .atMost: return value <= self.value + 1e-9
        case .below: return value < self.value - 1e-9
        }
    }

    /// True for a strict threshold met exactly: "trên 95%" with 95%, not achieved.
    public func isStrictBoundary(_ value: Double) -> Bool {
        (op == .above || op == .below) && abs(value - self.value) <= 1e-9
    }

    /// How far below the threshold a value is (bigger is worse), for sorting.
    public func shortfall(_ value: Double) -> Double {
        op == .atMost || op == .below ? value - self.value : self.value - value
    }

    /// "≥ 80%", "> 50%".
    public func display(percent: Bool = true) -> String {
        "\(op.symbol) \(VietnameseNumber.format(value))\(percent ? "%" : "")"
    }

    /// Reads a threshold from the words of a plan: "đạt tối thiểu 80%", "trên 50%",
    /// "đạt 100%", "không quá 5%", "dưới 10%". Nil when no number is found.
    public static func parse(wording: String) -> Threshold? {
        guard wording.utf8.count <= 2_000 else { return nil }
        let lowered = wording.lowercased()
        guard let match = lowered.matches(of: /(\d+(?:[.,]\d+)?)\s*%/).last else { return nil }
        let numberRange = match.output.1.startIndex..<match.output.1.endIndex
        guard let number = Double(lowered[numberRange].replacingOccurrences(of: ",", with: ".")), number.isFinite else { return nil }
        let before = String(lowered[..<numberRange.lowerBound])
        let window = String(before.suffix(24))
        let op: Operator
        if window.contains("trên") || window.contains("hơn") {
            op = .above
        } else if window.contains("không quá") || window.contains("tối đa") {
            op = .atMost
        } else if window.contains("dưới") {
            op = .below
        } else {
            op = .atLeast
        }
        return Threshold(op: op, value: number, wording: wording)
    }
}

/// One target of a plan (e.g. Kế hoạch 48/KH-BCĐCĐS, target I.13).
public struct Target: Sendable, Codable {
    public var code: String
    public var name: String
    public var responsible: String?
    public var unit: MeasureKind?
    public var threshold: Threshold
    public var thresholdsByLevel: [String: Threshold]?
    public var appliesTo: [UnitKind]?
    public var indicator: String?

    enum CodingKeys: String, CodingKey {
        case code, name, responsible, unit, threshold, indicator
        case thresholdsByLevel = "thresholds_by_level"
        case appliesTo = "applies_to"
    }

    /// The threshold for a level, falling back to the plan-wide one.
    public func threshold(for level: UnitKind?) -> Threshold {
        guard let level, let specific = thresholdsByLevel?[level.rawValue] else { return threshold }
        return specific
    }

    /// "egov-2024:6.1" split into form and code.
    public var indicatorReference: (form: String, code: String)? {
        guard let indicator, let colon = indicator.firstIndex(of: ":") else { return nil }
        return (String(indicator[..<colon]), String(indicator[indicator.index(after: colon)...]))
    }

    public var isPercent: Bool { (unit ?? .percent) == .percent }
}

public struct TargetGroup: Sendable, Codable {
    public var code: String
    public var name: String
    public var targets: [Target]
}

/// A plan's targets (giao chỉ tiêu), loaded from a file, never hard-wired.
public struct TargetPlan: Sendable, Codable {
    public var id: String
    public var title: String
    public var groups: [TargetGroup]

    public var targets: [Target] { groups.flatMap(\.targets) }

    public func target(_ code: String) -> Target? { targets.first { $0.code == code } }
}

public enum TargetStatus: String, Sendable, Codable {
    case achieved, notAchieved, noData

    /// "Đạt", "Chưa đạt", "Chưa có số liệu".
    public var label: String {
        switch self {
        case .achieved: return "Đạt"
        case .notAchieved: return "Chưa đạt"
        case .noData: return "Chưa có số liệu"
        }
    }
}

/// A target's result for one unit (or level) and period.
public struct TargetEvaluation: Sendable, Codable {
    public var code: String
    public var name: String
    public var level: UnitKind?
    public var value: Double?
    /// What was reported when it is not a number ("Sở Tư pháp đang thống kê").
    public var reportedText: String?
    public var threshold: Threshold
    public var status: TargetStatus
    /// Met exactly on a strict threshold ("trên 95%" with 95%): not achieved, and said why.
    public var onStrictBoundary: Bool
    public var percent: Bool

    public var valueText: String {
        if let value { return VietnameseNumber.format(value, decimals: 2) + (percent ? "%" : "") }
        return reportedText ?? ""
    }

    /// Why the status is what it is, in Vietnamese.
    public var explanation: String {
        switch status {
        case .noData: return reportedText.map { "Chưa có số liệu (báo cáo: “\($0)”)." } ?? "Chưa có số liệu."
        case .achieved: return "Đạt: \(valueText) \(threshold.display(percent: percent).replacingOccurrences(of: "≥", with: "≥ yêu cầu"))."
        case .notAchieved:
            if onStrictBoundary {
                return
                    "Chưa đạt: \(valueText) bằng đúng ngưỡng, trong khi chỉ tiêu yêu cầu \(threshold.wording ?? "trên " + VietnameseNumber.format(threshold.value) + "%") (phải lớn hơn)."
            }
            return "Chưa đạt: \(valueText), yêu cầu \(threshold.display(percent: percent))."
        }
    }
}

/// A unit below a target's threshold, for the lists the seeds write by hand.
public struct LaggingUnit: Sendable, Hashable {
    public var name: String
    public var kind: UnitKind
    public var value: Double
}

public enum TargetEvaluator {
    /// Evaluates one target from a reported cell: a number ("34,6%", "97,44")
    /// or a text that says why there is none.
    public static func evaluate(_ target: Target, reported: String?, level: UnitKind? = nil) -> TargetEvaluation {
        let threshold = target.threshold(for: level)
        var evaluation = TargetEvaluation(
            code: target.code, name: target.name, level: level, value: nil, reportedText: nil,
            threshold: threshold, status: .noData, onStrictBoundary: false, percent: target.isPercent)
        guard let raw = reported?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty else { return evaluation }
        if case .success(let number) = VietnameseNumber.parse(raw) {
            return evaluate(target, value: number.doubleValue, level: level)
        }
        // "20% (đã triển khai …)": a result with a comment after it.
        if let match = raw.firstMatch(of: /^\s*([0-9][0-9.,]*)\s*%/), case .success(let number) = VietnameseNumber.parse(String(match.1)) {
            var withComment = evaluate(target, value: number.doubleValue, level: level)
            withComment.reportedText = raw
            return withComment
        }
        evaluation.reportedText = raw
        return evaluation
    }

    public static func evaluate(_ target: Target, value: Double?, level: UnitKind? = nil) -> TargetEvaluation {
        let threshold = target.threshold(for: level)
        var evaluation = TargetEvaluation(
            code: target.code, name: target.name, level: level, value: value, reportedText: nil,
            threshold: threshold, status: .noData, onStrictBoundary: false, percent: target.isPercent)
        guard let value else { return evaluation }
        evaluation.status = threshold.isMet(by: value) ? .achieved : .notAchieved
        evaluation.onStrictBoundary = threshold.isStrictBoundary(value)
        return evaluation
    }

    /// "đã hoàn thành và vượt mức 17 chỉ tiêu, đang thực hiện 11 chỉ tiêu",
    /// as the seeds write it; those without data count as still in progress.
    public static func summary(_ evaluations: [TargetEvaluation]) -> String {
        let achieved = evaluations.filter { $0.status == .achieved }.count
        let noData = evaluations.filter { $0.status == .noData }.count
        let inProgress = evaluations.count - achieved
        var sentence =
            "Tổng số \(evaluations.count) chỉ tiêu: đã hoàn thành và vượt mức \(achieved) chỉ tiêu, đang thực hiện \(inProgress) chỉ tiêu"
        if noData > 0 { sentence += " (trong đó \(noData) chỉ tiêu chưa có số liệu)" }
        return sentence + "."
    }

    /// Units below the target's threshold for their level, worst first.
    public static func lagging(_ target: Target, values: [(name: String, kind: UnitKind, value: Double)]) -> [LaggingUnit] {
        values.filter { !target.threshold(for: $0.kind).isMet(by: $0.value) }
            .sorted { lhs, rhs in
                let a = target.threshold(for: lhs.kind).shortfall(lhs.value), b = target.threshold(for: rhs.kind).shortfall(rhs.value)
                return a != b ? a > b : lhs.name < rhs.name
            }
            .map { LaggingUnit(name: $0.name, kind: $0.kind, value: $0.value) }
    }

    /// "Sở Tư pháp (44,97%); Sở Y tế (60,5%)".
    public static func laggingSentence(_ units: [LaggingUnit], percent: Bool = true) -> String {
        units.map { "\($0.name) (\(VietnameseNumber.format($0.value, decimals: 2))\(percent ? "%" : ""))" }.joined(separator: "; ")
    }
}
