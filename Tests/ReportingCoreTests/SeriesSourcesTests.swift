import Testing

@testable import ReportingCore

@Suite("Time series across form versions")
struct SeriesSourcesTests {
    @Test func egov2024ToantrinhReadsEgov2022MucDo4() {
        let sources = Fixtures.library.seriesSources(form: "egov-2024", code: "6.1")
        #expect(sources.map { "\($0.form):\($0.code)" } == ["egov-2024:6.1", "egov-2022:6.2"])
        #expect(sources.last?.note?.contains("toàn trình") == true)
    }

    @Test func theSameCodeWithAnotherMeaningIsNotUsed() {
        // egov-2022 6.4 (mức độ 3 và 4 gộp) is not egov-2024 6.4 (một phần).
        #expect(Fixtures.library.seriesSources(form: "egov-2024", code: "6.4").map(\.form) == ["egov-2024"])
        #expect(Fixtures.library.seriesSources(form: "egov-2024", code: "6.2").count == 1)
    }

    @Test func chainsOfVersionsAreFollowed() {
        let older = FormVersionMapping(
            from: "f-2020", to: "f-2022",
            rows: [.init(from: "A", to: "B", note: "đổi mã"), .init(from: "Z", to: nil, note: nil, reason: "bỏ")])
        let newer = FormVersionMapping(from: "f-2022", to: "f-2024", rows: [.init(from: "B", to: "C", note: nil, reason: nil)])
        let library = FormLibrary(forms: [:], plans: [:], mappings: [newer, older])
        #expect(library.seriesSources(form: "f-2024", code: "C").map { "\($0.form):\($0.code)" } == ["f-2024:C", "f-2022:B", "f-2020:A"])
        #expect(library.seriesSources(form: "f-2024", code: "Z").count == 1)
    }
}
