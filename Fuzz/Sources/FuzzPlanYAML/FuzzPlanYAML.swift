import ReportingCore

let library = try? FormLibrary.builtIn()

/// Loads the input as a plan file, then evaluates its targets.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let library else { return 0 }
    guard let plan = try? PlanCheck.load(yaml: text, name: "fuzz.yaml", library: library) else { return 0 }
    let evaluations = plan.targets.map { TargetEvaluator.evaluate($0, reported: $0.threshold.wording) }
    _ = TargetEvaluator.summary(evaluations)
    for evaluation in evaluations { _ = evaluation.explanation }
    return 0
}
