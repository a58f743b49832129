import ArgumentParser
import Foundation
import ReportingCore

/// `baocao targets --plan kh48-2024 --values results.csv`: evaluates a plan's
/// targets from reported results.
struct TargetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "targets",
        abstract: "Đánh giá các chỉ tiêu của một kế hoạch từ tệp CSV (code,value[,level])."
    )

    @Option(help: "Mã kế hoạch, ví dụ kh48-2024.") var plan: String
    @Option(help: "Tệp CSV với các cột code (hoặc target), value và tùy chọn level.") var values: String
    @Option(help: "text hoặc json.") var format: OutputFormat = .text
    @Option(help: "Thư mục định nghĩa (mặc định: có sẵn).") var forms: String?

    struct Output: Encodable {
        let plan: String
        let evaluations: [TargetEvaluation]
        let summary: String
    }

    func run() async throws {
        do {
            let library = try FormLibrary.forCommand(directory: forms)
            guard let targetPlan = library.plans[plan] else {
                throw UserFacingError(
                    "Không có kế hoạch “\(plan)”. Các kế hoạch có sẵn: \(library.plans.keys.sorted().joined(separator: ", ")).")
            }
            let rows = try parseValues(values)
            var byTarget: [String: [UnitKind?: String]] = [:]
            for row in rows {
                guard targetPlan.target(row.code) != nil else {
                    throw UserFacingError("Tệp “\(values)”: kế hoạch \(plan) không có chỉ tiêu mã \(row.code).")
                }
                var level: UnitKind?
                if let text = row.level {
                    guard let kind = UnitKind(loose: text) else {
                        throw UserFacingError("Chỉ tiêu \(row.code): cấp “\(text)” không hợp lệ.")
                    }
                    level = kind
                }
                byTarget[row.code, default: [:]][level] = row.value
            }
            var evaluations: [TargetEvaluation] = []
            var headline: [TargetEvaluation] = []
            for target in targetPlan.targets {
                let reported = byTarget[target.code] ?? [:]
                let main = TargetEvaluator.evaluate(target, reported: reported[nil] ?? nil)
                headline.append(main)
                evaluations.append(main)
                for (level, value) in reported.sorted(by: { ($0.key?.rawValue ?? "") < ($1.key?.rawValue ?? "") }) where level != nil {
                    evaluations.append(TargetEvaluator.evaluate(target, reported: value, level: level))
                }
            }
            let summary = TargetEvaluator.summary(headline)
            switch format {
            case .json:
                try printJSON(Output(plan: plan, evaluations: evaluations, summary: summary))
            case .text:
                for evaluation in evaluations {
                    let level = evaluation.level.map { " [\($0.label)]" } ?? ""
                    print("\(evaluation.code)\(level)\t\(evaluation.status.label)\t\(evaluation.valueText)\t\(evaluation.explanation)")
                }
                print(summary)
            }
        } catch let error as UserFacingError {
            FileHandle.standardError.write(Data("Lỗi: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}
