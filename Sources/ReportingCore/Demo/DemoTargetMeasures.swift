import Foundation

/// The demo's own data for the Kế hoạch 48 targets that no form row measures
/// (I.2 online payments, I.3 procedures with fees paid online, I.4 online
/// dossiers): for every unit a target applies to, a count and the whole it is
/// part of, and the ratio the unit reports. Which units lag is then found by
/// evaluating these ratios against the plan's threshold, as for any unit.
///
/// Seed 001 names the units below each threshold, some with their ratio: those
/// units get counts giving that ratio (or one below the threshold when the seed
/// gives none); every other unit gets counts above it.
public enum DemoTargetMeasures {
    public struct Measure: Sendable, Hashable {
        public let target: String
        public let unitCode: String
        public let part: Int
        public let whole: Int
        /// part / whole × 100, two decimals: what the unit enters.
        public var percent: ExactNumber {
            guard whole > 0 else { return .zero }
            let hundredths = (Double(part) * 10_000 / Double(whole)).rounded()
            return ExactNumber(mantissa: Int64(hundredths), scale: 2).normalized
        }
        /// As typed: "44,97%".
        public var text: String { VietnameseNumber.format(percent) + "%" }
    }

    /// Targets measured this way, with what the whole counts and its usual size per unit.
    static let targets: [(code: String, word: String, size: [UnitKind: Int])] = [
        ("I.2", "giao dịch thanh toán", [.department: 10_000, .district: 10_000, .commune: 1_000]),
        ("I.3", "TTHC có nghĩa vụ tài chính", [.department: 40, .district: 30, .commune: 20]),
        ("I.4", "hồ sơ", [.department: 1_000, .district: 10_000, .commune: 1_000])
    ]

    /// `lagging`: target → unit code → the seed's ratio in percent, or nil when it gives none.
    public static func measures(
        plan: TargetPlan, periodKey: String, units: [ReportingUnit],
        lagging: [String: [String: Double?]]
    ) -> [Measure] {
        var result: [Measure] = []
        for spec in targets {
            guard let target = plan.target(spec.code) else { continue }
            let levels = target.appliesTo ?? []
            for unit in units where unit.kind != .province && levels.contains(unit.kind) {
                let threshold = target.threshold(for: unit.kind).value
                let whole = spec.size[unit.kind] ?? 1_000
                let roll = DemoFigures.noise("\(periodKey)|\(unit.code)|\(spec.code)")
                let share: Double
                if let named = lagging[spec.code]?[unit.code] {
                    // Seed 001's figure, or a value well below the threshold when it prints none.
                    share = named ?? (threshold * (0.45 + 0.4 * roll))
                } else {
                    share = threshold + 2 + (100 - threshold - 2) * roll
                }
                let part = Int((Double(whole) * min(share, 100) / 100).rounded())
                result.append(Measure(target: spec.code, unitCode: unit.code, part: min(part, whole), whole: whole))
            }
        }
        return result
    }
}
