import Testing
@testable import OfficeFormats
@Test func placeholder() {}
