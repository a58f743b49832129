/// Why a DHIS2 dataValueSets file cannot go into a report: the message names the
/// data element and the value, and says how to fix it. Nothing is saved.
public enum DataValueSetImportError: Error, Sendable, Equatable, CustomStringConvertible {
    case tooLarge(bytes: Int)
    case tooManyValues(count: Int)
    case notJSON
    case notDataValueSet(String)
    case wrongDataSet(found: String, expected: String)
    case missingField(position: Int, field: String)
    case unknownDataElement(code: String, value: String)
    case headingDataElement(code: String, value: String)
    case duplicateDataElement(code: String)
    case wrongOrgUnit(code: String, found: String, expected: String)
    case wrongPeriod(code: String, found: String, expected: String)
    case notANumber(code: String, value: String)
    case outOfRange(code: String, value: String)
    case textTooLong(code: String, field: String)

    public var description: String {
        switch self {
        case .tooLarge(let bytes):
            return "Tệp quá lớn (\(VietnameseNumber.format(ExactNumber(bytes / 1024))) KB, tối đa "
                + "\(VietnameseNumber.format(ExactNumber(DataValueSetReader.maxBytes / 1024))) KB). "
                + "Mỗi tệp chỉ chứa số liệu của một báo cáo."
        case .tooManyValues(let count):
            return "Tệp có \(VietnameseNumber.format(ExactNumber(count))) giá trị, quá giới hạn "
                + "\(VietnameseNumber.format(ExactNumber(DataValueSetReader.maxValues))). Mỗi tệp chỉ chứa số liệu của một báo cáo."
        case .notJSON:
            return "Tệp không phải là JSON hợp lệ. Cần tệp dataValueSets của DHIS2 dạng JSON: {\"dataValues\": [...]}."
        case .notDataValueSet(let reason):
            return "Tệp không đúng cấu trúc dataValueSets của DHIS2: \(reason)"
        case .wrongDataSet(let found, let expected):
            return "Tệp là số liệu của biểu mẫu (dataSet) “\(ExchangeText.shown(found))”, "
                + "không phải biểu mẫu “\(expected)” của báo cáo này. "
                + "Chọn đúng báo cáo hoặc sửa dataSet trong tệp."
        case .missingField(let position, let field):
            return "Giá trị thứ \(position) trong dataValues thiếu trường “\(field)”. Mỗi giá trị cần dataElement, value "
                + "và period, orgUnit (ở giá trị hoặc ở đầu tệp)."
        case .unknownDataElement(let code, let value):
            return "Chỉ tiêu (dataElement) “\(ExchangeText.shown(code))” (giá trị \(ExchangeText.shown(value))) không có trong biểu mẫu. "
                + "Kiểm tra lại mã chỉ tiêu: dùng mã STT của biểu mẫu, ví dụ 6.1.2."
        case .headingDataElement(let code, let value):
            return "Chỉ tiêu \(code) là dòng tiêu đề, không nhận số liệu (tệp ghi \(ExchangeText.shown(value))). Xóa giá trị này khỏi tệp."
        case .duplicateDataElement(let code):
            return "Chỉ tiêu \(code) có nhiều hơn một giá trị trong tệp (có thể do phân tổ categoryOptionCombo). "
                + "Mỗi chỉ tiêu chỉ được một giá trị."
        case .wrongOrgUnit(let code, let found, let expected):
            return "Chỉ tiêu \(code): đơn vị (orgUnit) “\(ExchangeText.shown(found))” không phải đơn vị của báo cáo (\(expected)). "
                + "Tệp chỉ được chứa số liệu của đơn vị \(expected)."
        case .wrongPeriod(let code, let found, let expected):
            return "Chỉ tiêu \(code): kỳ (period) “\(ExchangeText.shown(found))” không phải kỳ của báo cáo (\(expected)). "
                + "Tệp chỉ được chứa số liệu của kỳ \(expected)."
        case .notANumber(let code, let value):
            return "Chỉ tiêu \(code): giá trị “\(ExchangeText.shown(value))” không phải là số. Ghi số dạng máy, dấu chấm thập phân, "
                + "không phân cách hàng nghìn, ví dụ 1609226 hoặc 97.45."
        case .outOfRange(let code, let value):
            return "Chỉ tiêu \(code): giá trị “\(ExchangeText.shown(value))” vượt quá giới hạn của một ô số liệu "
                + "(\(ExactNumber.boundsText)). "
                + "Kiểm tra lại số và đơn vị tính."
        case .textTooLong(let code, let field):
            let limit = VietnameseNumber.format(ExactNumber(DataValueSetReader.maxTextLength))
            return "Chỉ tiêu \(code): trường \(field) dài quá \(limit) ký tự. "
                + "Rút gọn nội dung."
        }
    }
}
