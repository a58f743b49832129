import Testing

@testable import ReportingCore

@Suite("Checking an uploaded plan file")
struct PlanCheckTests {
    static let good = """
        id: kh12-2025
        title: "Kế hoạch 12/KH-BCĐCĐS năm 2025"
        groups:
          - code: "I"
            name: "Phát triển chính quyền số"
            targets:
              - code: "I.1"
                name: "Tỷ lệ cung cấp dịch vụ công trực tuyến toàn trình đạt tối thiểu 90%"
                responsible: "Giám đốc Sở Thông tin và Truyền thông"
                unit: percent
                threshold: {op: ">=", value: 90, wording: "đạt tối thiểu 90%"}
                applies_to: [province, department]
                indicator: "egov-2024:6.1"
              - code: "I.2"
                name: "Tỷ lệ hồ sơ trực tuyến đạt trên 75%"
                unit: percent
                threshold: {op: ">", value: 75}
                thresholds_by_level:
                  commune: {op: ">", value: 60}
        """

    func load(_ yaml: String) -> Result<TargetPlan, PlanCheck.Failure> {
        do throws(PlanCheck.Failure) { return .success(try PlanCheck.load(yaml: yaml, name: "plan.yaml", library: Fixtures.library)) } catch
        { return .failure(error) }
    }

    func problems(_ yaml: String) -> [String] {
        if case .failure(let failure) = load(yaml) { return failure.problems }
        return []
    }

    @Test func aGoodFileLoads() throws {
        let plan = try load(Self.good).get()
        #expect(plan.id == "kh12-2025")
        #expect(plan.targets.map(\.code) == ["I.1", "I.2"])
        #expect(plan.target("I.2")?.threshold(for: .commune).value == 60)
    }

    @Test func theBuiltInPlanPassesItsOwnChecks() throws {
        let plan = try #require(Fixtures.library.plans["kh48-2024"])
        #expect(PlanCheck.problems(in: plan, library: Fixtures.library).isEmpty)
    }

    @Test func duplicateTargetCodesAreNamed() {
        let yaml = Self.good.replacingOccurrences(of: "code: \"I.2\"", with: "code: \"I.1\"")
        #expect(problems(yaml) == ["Mã chỉ tiêu I.1 bị trùng: mỗi chỉ tiêu phải có một mã riêng."])
    }

    @Test func aMissingThresholdNamesTheTarget() {
        let yaml = Self.good.replacingOccurrences(of: "        threshold: {op: \">\", value: 75}\n", with: "")
        let found = problems(yaml)
        #expect(found.count == 1)
        #expect(found.first?.contains("thiếu ngưỡng (threshold) ở nhóm I › chỉ tiêu I.2") == true, "\(found)")
    }

    @Test func unknownLevelsFormsAndOperatorsAreRefused() {
        #expect(problems(Self.good.replacingOccurrences(of: "commune: {op", with: "xa: {op")).first?.contains("cấp “xa”") == true)
        #expect(
            problems(Self.good.replacingOccurrences(of: "egov-2024:6.1", with: "egov-2030:6.1")).first?.contains(
                "không có biểu mẫu “egov-2030”") == true)
        #expect(problems(Self.good.replacingOccurrences(of: "egov-2024:6.1", with: "egov-2024:6")).first?.contains("là đề mục") == true)
        let badOp = problems(Self.good.replacingOccurrences(of: "op: \">=\"", with: "op: \"=>\""))
        #expect(badOp.first?.contains("phép so sánh phải là >=") == true, "\(badOp)")
        #expect(
            problems(Self.good.replacingOccurrences(of: "value: 90,", with: "value: 900,")).first?.contains("ngoài khoảng 0–100%") == true)
    }

    @Test func badIdsAndNonPlansAreRefused() {
        #expect(
            problems(Self.good.replacingOccurrences(of: "id: kh12-2025", with: "id: \"KH 12/2025\"")).first?.contains("Mã kế hoạch") == true
        )
        #expect(problems("- a\n- b\n").first?.contains("cần các trường id, title và groups") == true)
        #expect(problems("id: [unclosed").first?.contains("không phải YAML hợp lệ") == true)
        #expect(problems("   \n").first == "Tệp plan.yaml rỗng.")
    }
}
