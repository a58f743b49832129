import Foundation

/// The values of a DHIS2 dataValueSets JSON file for one report, by indicator code.
public struct ImportedDataValues: Sendable, Equatable {
    public var numbers: [String: ExactNumber] = [:]
    /// Values of text rows.
    public var texts: [String: String] = [:]
    /// DHIS2 comments, to be saved as the rows' notes.
    public var comments: [String: String] = [:]

    /// Every value as an officer types it ("1.609.226", "97,45", or the text), for
    /// the app's normal save, which validates them like a typed report.
    public var entries: [String: String] {
        var result = texts
        for (code, number) in numbers { result[code] = VietnameseNumber.format(number) }
        return result
    }
}

/// Reads a DHIS2 dataValueSets JSON file into one report (one form, unit and
/// period), refusing with a Vietnamese message anything that does not belong
/// there. Bounded: at most `maxBytes` bytes and `maxValues` values; nesting is
/// bounded by the JSON decoder's own depth limit and nothing here recurses.
///
/// Accepted: `dataSet` (optional, must be the form id), `period` and `orgUnit`
/// at the top or on each value (DHIS2 period ids such as 2024Q1, or BaoCao's
/// keys such as 2024-Q1), `dataValues` with `dataElement` (the indicator code),
/// `value` (a string in the plain machine form "97.45", or a JSON number) and an
/// optional `comment`. Other DHIS2 fields (categoryOptionCombo, storedBy…) are
/// ignored; an empty value is skipped.
public struct DataValueSetReader: Sendable {
    public static let maxBytes = 2_000_000
    public static let maxValues = 10_000
    /// The longest comment or text value, in characters (a report note holds 1.000).
    public static let maxTextLength = 1_000

    public let form: CompiledForm
    public let orgUnit: String
    public let period: Period

    public init(form: CompiledForm, orgUnit: String, period: Period) {
        self.form = form
        self.orgUnit = orgUnit
        self.period = period
    }

    public func read(_ data: Data) throws(DataValueSetImportError) -> ImportedDataValues {
        guard data.count <= Self.maxBytes else { throw .tooLarge(bytes: data.count) }
        let payload: Payload
        do {
            payload = try JSONDecoder().decode(Payload.self, from: data)
        } catch let error as DecodingError {
            throw Self.structureError(error)
        } catch {
            throw .notJSON
        }
        guard let entries = payload.dataValues else { throw .notDataValueSet("thiếu danh sách “dataValues”.") }
        guard entries.count <= Self.maxValues else { throw .tooManyValues(count: entries.count) }
        if let dataSet = payload.dataSet {
            guard case .string(let id) = dataSet else { throw .notDataValueSet("trường “dataSet” phải là chuỗi.") }
            guard id == form.id else { throw .wrongDataSet(found: id, expected: form.id) }
        }
        let expectedPeriod = period.dhis2 ?? period.key
        var result = ImportedDataValues()
        for (offset, entry) in entries.enumerated() {
            let position = offset + 1
            guard case .string(let code)? = entry.dataElement else { throw .missingField(position: position, field: "dataElement") }
            guard let valueField = entry.value ?? nil else { throw .missingField(position: position, field: "value") }
            let shownValue = valueField.shown
            guard let slot = form.slotByCode[code] else { throw .unknownDataElement(code: code, value: shownValue) }
            let indicator = form.indicators[slot]
            guard case .string(let unit)? = entry.orgUnit ?? payload.orgUnit else {
                throw .missingField(position: position, field: "orgUnit")
            }
            guard unit == orgUnit else { throw .wrongOrgUnit(code: code, found: unit, expected: orgUnit) }
            guard case .string(let periodText)? = entry.period ?? payload.period else {
                throw .missingField(position: position, field: "period")
            }
            guard (Period(dhis2: periodText) ?? Period(key: periodText)) == period else {
                throw .wrongPeriod(code: code, found: periodText, expected: expectedPeriod)
            }
            guard result.numbers[code] == nil && result.texts[code] == nil else { throw .duplicateDataElement(code: code) }
            if let comment = entry.comment {
                guard case .string(let text) = comment else { throw .notDataValueSet("“comment” của chỉ tiêu \(code) phải là chuỗi.") }
                guard text.count <= Self.maxTextLength else { throw .textTooLong(code: code, field: "comment") }
                if !text.trimmed.isEmpty { result.comments[code] = text }
            }
            if case .string(let text) = valueField, text.trimmed.isEmpty { continue }
            guard !indicator.isHeading else { throw .headingDataElement(code: code, value: shownValue) }
            if indicator.unit == .text {
                guard case .string(let text) = valueField else { throw .notDataValueSet("giá trị của chỉ tiêu \(code) phải là chuỗi.") }
                guard text.count <= Self.maxTextLength else { throw .textTooLong(code: code, field: "value") }
                result.texts[code] = text.trimmed
                continue
            }
            result.numbers[code] = try Self.number(valueField, code: code)
        }
        return result
    }

    /// A plain decimal with a dot, within the bounds of a cell.
    static func number(_ field: JSONScalar, code: String) throws(DataValueSetImportError) -> ExactNumber {
        let text: String
        switch field {
        case .string(let value): text = value.trimmed
        case .number(let value): text = value
        default: throw .notANumber(code: code, value: field.shown)
        }
        if let number = ExactNumber(machine: text) { return number.normalized }
        var body = Substring(text)
        if body.hasPrefix("-") { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        let wellFormed =
            text.utf8.count <= 64 && (1...2).contains(parts.count) && !parts[0].isEmpty
            && parts.allSatisfy { $0.allSatisfy(\.isASCIIDigit) } && (parts.count == 1 || !parts[1].isEmpty)
        throw wellFormed ? .outOfRange(code: code, value: text) : .notANumber(code: code, value: text)
    }

    static func structureError(_ error: DecodingError) -> DataValueSetImportError {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty: return .notJSON
        case .typeMismatch(_, let context), .dataCorrupted(let context), .valueNotFound(_, let context), .keyNotFound(_, let context):
            if context.codingPath.isEmpty { return .notDataValueSet("nội dung phải là một đối tượng JSON {…}.") }
            let path = context.codingPath.map { $0.intValue.map { "[\($0 + 1)]" } ?? "." + $0.stringValue }.joined()
            let field = path.hasPrefix(".") ? String(path.dropFirst()) : path
            return .notDataValueSet("trường “\(ExchangeText.shown(field))” sai kiểu (dataValues phải là danh sách các đối tượng {…}).")
        @unknown default: return .notJSON
        }
    }

    struct Payload: Decodable {
        var dataSet: JSONScalar?
        var period: JSONScalar?
        var orgUnit: JSONScalar?
        var dataValues: [Entry]?
    }

    struct Entry: Decodable {
        var dataElement: JSONScalar?
        var period: JSONScalar?
        var orgUnit: JSONScalar?
        var value: JSONScalar??
        var comment: JSONScalar?

        enum CodingKeys: String, CodingKey { case dataElement, period, orgUnit, value, comment }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            dataElement = try container.decodeIfPresent(JSONScalar.self, forKey: .dataElement)
            period = try container.decodeIfPresent(JSONScalar.self, forKey: .period)
            orgUnit = try container.decodeIfPresent(JSONScalar.self, forKey: .orgUnit)
            value = container.contains(.value) ? .some(try container.decode(JSONScalar.self, forKey: .value)) : nil
            comment = try container.decodeIfPresent(JSONScalar.self, forKey: .comment)
        }
    }
}

/// One JSON value where a scalar is expected, whatever it turned out to be, so the
/// reader can say what is wrong instead of failing inside the decoder.
enum JSONScalar: Decodable, Equatable {
    case string(String)
    /// The number as exact decimal text.
    case number(String)
    case bool(Bool)
    case null
    case other

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null; return }
        if let text = try? container.decode(String.self) { self = .string(text); return }
        if let flag = try? container.decode(Bool.self) { self = .bool(flag); return }
        if let number = try? container.decode(Decimal.self), number.isFinite { self = .number(number.description); return }
        self = .other
    }

    /// For messages.
    var shown: String {
        switch self {
        case .string(let text): return text
        case .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .other: return "(không phải giá trị đơn)"
        }
    }
}
