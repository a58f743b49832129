/// The columns of BaoCao's default dossier layout (one row per dossier, as the
/// one-stop-shop systems export them). Headers are matched by name, in any order.
public enum DossierField: Int, Sendable, CaseIterable {
    case dossierCode, unit, procedure, serviceLevel, channel, receivedOn, dueOn, finishedOn
    case digitisedInput, digitisedResult, electronicResult, reusedData, hasFees, paidOnline, rating
    /// Optional: the result was synchronised to the national public-service portal (KH 48 I.10).
    case syncedToPortal

    /// The header as written in the default layout.
    public var header: String {
        switch self {
        case .dossierCode: return "Mã hồ sơ"
        case .unit: return "Mã đơn vị"
        case .procedure: return "Mã thủ tục"
        case .serviceLevel: return "Mức độ DVC"
        case .channel: return "Hình thức nộp"
        case .receivedOn: return "Ngày tiếp nhận"
        case .dueOn: return "Hạn trả kết quả"
        case .finishedOn: return "Ngày trả kết quả"
        case .digitisedInput: return "Số hóa hồ sơ"
        case .digitisedResult: return "Số hóa kết quả"
        case .electronicResult: return "Kết quả điện tử"
        case .reusedData: return "Tái sử dụng dữ liệu"
        case .hasFees: return "Có nghĩa vụ tài chính"
        case .paidOnline: return "Thanh toán trực tuyến"
        case .rating: return "Đánh giá"
        case .syncedToPortal: return "Đồng bộ DVCQG"
        }
    }

    /// The name used in a mapping file (`headers: {unit: "MaDonVi"}`).
    public var key: String {
        switch self {
        case .dossierCode: return "dossier_code"
        case .unit: return "unit"
        case .procedure: return "procedure"
        case .serviceLevel: return "service_level"
        case .channel: return "channel"
        case .receivedOn: return "received_on"
        case .dueOn: return "due_on"
        case .finishedOn: return "finished_on"
        case .digitisedInput: return "digitised_input"
        case .digitisedResult: return "digitised_result"
        case .electronicResult: return "electronic_result"
        case .reusedData: return "reused_data"
        case .hasFees: return "has_fees"
        case .paidOnline: return "paid_online"
        case .rating: return "rating"
        case .syncedToPortal: return "synced_to_portal"
        }
    }

    public init?(key: String) {
        guard let field = DossierField.allCases.first(where: { $0.key == key }) else { return nil }
        self = field
    }

    /// A file without this column cannot be summarised. The dossier code is not
    /// needed for any count, and the portal flag only feeds I.10.
    public var isRequired: Bool { self != .dossierCode && self != .syncedToPortal }

    /// Columns whose cell is a Có/Không flag.
    public var isFlag: Bool {
        switch self {
        case .digitisedInput, .digitisedResult, .electronicResult, .reusedData, .hasFees, .paidOnline, .syncedToPortal: return true
        default: return false
        }
    }

    /// The words a cell of this column may hold, with what they mean; empty for
    /// free-text and date columns.
    public var defaultWords: [(word: String, value: UInt8)] {
        if isFlag { return [("Có", 1), ("Không", 0), ("1", 1), ("0", 0), ("", 0)] }
        switch self {
        case .serviceLevel:
            return [
                ("Toàn trình", DossierServiceLevel.full.rawValue), ("Một phần", DossierServiceLevel.partial.rawValue),
                ("", DossierServiceLevel.none.rawValue)
            ]
        case .channel:
            return [
                ("Trực tuyến", DossierChannel.online.rawValue), ("Trực tiếp", DossierChannel.inPerson.rawValue),
                ("Bưu chính", DossierChannel.post.rawValue)
            ]
        case .rating:
            return [
                ("Hài lòng", DossierRating.satisfied.rawValue), ("Không hài lòng", DossierRating.dissatisfied.rawValue),
                ("", DossierRating.none.rawValue)
            ]
        default: return []
        }
    }
}

/// Mức độ DVC: the online-service level of the procedure the dossier was filed under (NĐ 42/2022).
public enum DossierServiceLevel: UInt8, Sendable {
    case none = 0
    case full = 1
    case partial = 2
}

/// Hình thức nộp.
public enum DossierChannel: UInt8, Sendable {
    case online = 1
    case inPerson = 2
    case post = 3
}

/// Đánh giá of the citizen or business once the result is returned.
public enum DossierRating: UInt8, Sendable {
    case none = 0
    case satisfied = 1
    case dissatisfied = 2
}

extension DossierField: Decodable {
    /// Named by its key in YAML (`requires: synced_to_portal`).
    public init(from decoder: Decoder) throws {
        let key = try decoder.singleValueContainer().decode(String.self)
        guard let field = DossierField(key: key) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "trường “\(key)” không có"))
        }
        self = field
    }
}
