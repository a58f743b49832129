/// One aggregate BaoCao counts from dossier records, per unit. The names are
/// the vocabulary of the figure files (`Forms/dossiers/*.yaml`).
///
/// "received…" counters take the dossiers whose receipt date is inside the
/// period's cut-off window; "finished…" ones those whose finishing date is.
/// "procedures…" ones count distinct procedures (Mã thủ tục), not dossiers.
public enum DossierCounter: Int, Sendable, CaseIterable {
    case received, receivedFull, receivedFullOnline, receivedPartial, receivedPartialOnline, receivedOnline
    case receivedDigitised, receivedReused, receivedWithFees, receivedPaidOnline, receivedInProgress
    case finished, finishedOnTime, finishedLate, finishedDigitisedResult, finishedElectronicResult, finishedSynced
    case finishedRated, finishedSatisfied
    case proceduresOnlineService, proceduresOnlineServiceWithOnline, proceduresWithFees, proceduresPaidOnline

    /// Counters of dossiers (summed up the tree), as opposed to distinct procedures (unioned).
    public static let dossierCounters = allCases.filter { !$0.isDistinctProcedures }

    public var isDistinctProcedures: Bool { rawValue >= DossierCounter.proceduresOnlineService.rawValue }

    public var key: String {
        switch self {
        case .received: return "received"
        case .receivedFull: return "received_full"
        case .receivedFullOnline: return "received_full_online"
        case .receivedPartial: return "received_partial"
        case .receivedPartialOnline: return "received_partial_online"
        case .receivedOnline: return "received_online"
        case .receivedDigitised: return "received_digitised"
        case .receivedReused: return "received_reused"
        case .receivedWithFees: return "received_with_fees"
        case .receivedPaidOnline: return "received_paid_online"
        case .receivedInProgress: return "received_in_progress"
        case .finished: return "finished"
        case .finishedOnTime: return "finished_on_time"
        case .finishedLate: return "finished_late"
        case .finishedDigitisedResult: return "finished_digitised_result"
        case .finishedElectronicResult: return "finished_electronic_result"
        case .finishedSynced: return "finished_synced"
        case .finishedRated: return "finished_rated"
        case .finishedSatisfied: return "finished_satisfied"
        case .proceduresOnlineService: return "procedures_online_service"
        case .proceduresOnlineServiceWithOnline: return "procedures_online_service_with_online"
        case .proceduresWithFees: return "procedures_with_fees"
        case .proceduresPaidOnline: return "procedures_paid_online"
        }
    }

    public init?(key: String) {
        guard let counter = DossierCounter.allCases.first(where: { $0.key == key }) else { return nil }
        self = counter
    }

    /// What it counts, in Vietnamese, for error messages and the figure files.
    public var label: String {
        switch self {
        case .received: return "hồ sơ tiếp nhận trong kỳ"
        case .receivedFull: return "hồ sơ của DVCTT toàn trình tiếp nhận trong kỳ"
        case .receivedFullOnline: return "hồ sơ nộp trực tuyến của DVCTT toàn trình"
        case .receivedPartial: return "hồ sơ của DVCTT một phần tiếp nhận trong kỳ"
        case .receivedPartialOnline: return "hồ sơ nộp trực tuyến của DVCTT một phần"
        case .receivedOnline: return "hồ sơ nộp trực tuyến"
        case .receivedDigitised: return "hồ sơ được số hóa khi tiếp nhận"
        case .receivedReused: return "hồ sơ có tái sử dụng dữ liệu"
        case .receivedWithFees: return "hồ sơ có nghĩa vụ tài chính"
        case .receivedPaidOnline: return "hồ sơ có nghĩa vụ tài chính được thanh toán trực tuyến"
        case .receivedInProgress: return "hồ sơ tiếp nhận trong kỳ chưa trả kết quả"
        case .finished: return "hồ sơ đã giải quyết xong trong kỳ"
        case .finishedOnTime: return "hồ sơ giải quyết đúng hạn"
        case .finishedLate: return "hồ sơ giải quyết quá hạn"
        case .finishedDigitisedResult: return "hồ sơ có kết quả được số hóa"
        case .finishedElectronicResult: return "hồ sơ được cấp kết quả điện tử"
        case .finishedSynced: return "hồ sơ có kết quả đồng bộ lên Cổng DVC quốc gia"
        case .finishedRated: return "hồ sơ được đánh giá"
        case .finishedSatisfied: return "hồ sơ được đánh giá hài lòng"
        case .proceduresOnlineService: return "DVCTT có phát sinh hồ sơ"
        case .proceduresOnlineServiceWithOnline: return "DVCTT có phát sinh hồ sơ trực tuyến"
        case .proceduresWithFees: return "TTHC có phát sinh hồ sơ có nghĩa vụ tài chính"
        case .proceduresPaidOnline: return "TTHC có hồ sơ được thanh toán trực tuyến"
        }
    }
}

extension DossierCounter: Decodable {
    /// Named by its key in the figure files (`count: received_full`).
    public init(from decoder: Decoder) throws {
        let key = try decoder.singleValueContainer().decode(String.self)
        guard let counter = DossierCounter(key: key) else {
            let keys = DossierCounter.allCases.map(\.key).joined(separator: ", ")
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "không có bộ đếm “\(key)” (có: \(keys))"))
        }
        self = counter
    }
}
