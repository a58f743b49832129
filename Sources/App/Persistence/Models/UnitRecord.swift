import Fluent
import ReportingCore
import Vapor

/// A reporting unit as stored; the tree itself is built in core.
final class UnitRecord: Model, @unchecked Sendable {
    static let schema = "units"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: String
    @OptionalField(key: "parent_code") var parentCode: String?
    @OptionalField(key: "retired_on") var retiredOn: String?
    @Field(key: "successor_codes") var successorCodes: String

    init() {}

    init(_ unit: ReportingUnit) {
        code = unit.code
        name = unit.name
        kind = unit.kind.rawValue
        parentCode = unit.parentCode
        retiredOn = unit.retiredOn?.description
        successorCodes = unit.successorCodes.joined(separator: ",")
    }

    var core: ReportingUnit {
        ReportingUnit(
            code: code, name: name, kind: UnitKind(rawValue: kind) ?? .other, parentCode: parentCode,
            retiredOn: retiredOn.flatMap(CivilDate.init(iso:)),
            successorCodes: successorCodes.split(separator: ",").map(String.init))
    }
}
