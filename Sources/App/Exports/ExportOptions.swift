import Foundation
import ReportingCore

/// What an export is asked for beyond the report: the Word report's
/// letterhead and signer, and which reports a consolidation counts. The web
/// routes and `baocao export` read them the same way.
enum ExportOptions {
    /// Query parameters of the Word report: the signer and the rest of the letterhead.
    struct DocumentQuery: Decodable {
        var date: String?
        var number: String?
        var symbol: String?
        var sign: String?
        var head: String?
        var position: String?
        var signer: String?
        var recipients: String?
        var title: String?
        var basis: String?
    }

    static func documentOptions(_ query: DocumentQuery) throws -> OfficialReportBuilder.Options {
        var options = OfficialReportBuilder.Options()
        if let text = query.date.nonBlank {
            guard let date = parseDate(text) else {
                throw ServiceError(.invalid, "Ngày “\(text)” không hợp lệ: ghi theo dạng ngày/tháng/năm, ví dụ 14/03/2024.")
            }
            options.date = date
        }
        options.number = query.number.nonBlank ?? ""
        options.symbol = query.symbol.nonBlank
        if let sign = query.sign.nonBlank {
            guard let signing = OfficialReportBuilder.Signing(rawValue: sign.lowercased()) else {
                throw ServiceError(.invalid, "Hình thức ký “\(sign)” không hợp lệ: kt (cấp phó ký thay) hoặc tm (người đứng đầu ký).")
            }
            options.signing = signing
        }
        options.headTitle = query.head.nonBlank
        options.signerTitle = query.position.nonBlank
        options.signerName = query.signer.nonBlank
        options.recipients = query.recipients.nonBlank.map { $0.split(whereSeparator: { $0.isNewline || $0 == ";" }).map(String.init) }
        options.title = query.title.nonBlank
        options.basis = try basis(query.basis)
        return options
    }

    /// "14/03/2024" or "2024-03-14".
    static func parseDate(_ text: String) -> CivilDate? {
        CivilDate(vietnamese: text) ?? CivilDate(iso: text.trimmingCharacters(in: .whitespaces))
    }

    static func basis(_ text: String?) throws -> ConsolidationService.Basis {
        guard let key = text.nonBlank else { return .accepted }
        guard let basis = ConsolidationService.Basis(rawValue: key) else {
            throw ServiceError(
                .invalid, "Cơ sở tổng hợp “\(key)” không hợp lệ: accepted (chỉ báo cáo đã tiếp nhận) hoặc sent (cả báo cáo đã gửi).")
        }
        return basis
    }
}
