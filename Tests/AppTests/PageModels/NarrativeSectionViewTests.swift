import Foundation
import ReportingCore
import Testing

@testable import App

/// The narrative sections of the data-entry page with their findings, without HTTP.
@Suite struct NarrativeSectionViewTests {
    static let wrong = "Trong kỳ, xã tiếp nhận 1.250 hồ sơ (trực tuyến 900, trực tiếp 300)."
    static let right = "Trong kỳ, xã tiếp nhận 1.200 hồ sơ (trực tuyến 900, trực tiếp 300)."

    static func sections(_ narrative: ReportService.Narrative, acknowledgements: [String: String] = [:]) -> [NarrativeSectionView] {
        let checked = NarrativeReview.check(
            narrative: narrative, form: nil, periodKey: "2024-Q1", cells: [:], documents: [],
            unitKind: nil, acknowledgements: acknowledgements)
        return NarrativeSectionView.make(narrative.sections, checked: checked)
    }

    @Test func findingsGoUnderTheSectionTheirSentenceIsIn() throws {
        let narrative = ReportService.Narrative(
            achievements: Self.right, assessment: "Đánh giá chung.", nextTasks: Self.wrong, proposals: "")
        let views = Self.sections(narrative)
        #expect(views.map(\.field) == ["achievements", "assessment", "nextTasks", "proposals"])
        #expect(views.map(\.findings.count) == [0, 0, 1, 0])
        let finding = try #require(views[2].findings.first)
        #expect(finding.sentence.contains("1.250"))
        #expect(finding.message.contains("1.200"))
        #expect(!finding.acknowledged)
        #expect(views[2].openCount == 1)
        #expect(NarrativeSectionView.sendingNotice(views)?.contains("1 cảnh báo") == true)
    }

    @Test func anAcknowledgedFindingCarriesItsNoteAndLeavesNoNotice() throws {
        let narrative = ReportService.Narrative(achievements: Self.wrong, assessment: "", nextTasks: "", proposals: "")
        let id = try #require(Self.sections(narrative)[0].findings.first?.id)
        let views = Self.sections(narrative, acknowledgements: [id: "Đã đối chiếu"])
        let finding = try #require(views[0].findings.first)
        #expect(finding.acknowledged && finding.note == "Đã đối chiếu")
        #expect(views[0].openCount == 0)
        #expect(NarrativeSectionView.sendingNotice(views) == nil)
    }

    @Test func aDocumentCitedWithTwoDatesInTwoSectionsIsFound() {
        let narrative = ReportService.Narrative(
            achievements: "Thực hiện Kế hoạch số 48/KH-BCĐCĐS ngày 01/3/2024 của Ban Chỉ đạo.",
            assessment: "Theo Kế hoạch số 48/KH-BCĐCĐS ngày 28/02/2023 của Ban Chỉ đạo, các chỉ tiêu cơ bản đạt.", nextTasks: "",
            proposals: "")
        let views = Self.sections(narrative)
        #expect(views.flatMap(\.findings).count == 1)
    }
}
