import ReportingCore

/// Decodes the input as a posted form, with the default limits and with
/// small ones, and checks that every field kept is within them.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    for limits in [FormURLEncoded.Limits.default, FormURLEncoded.Limits(maxFields: 3, maxNameBytes: 4, maxValueBytes: 8)] {
        let decoded = FormURLEncoded.decode(bytes, limits: limits)
        precondition(decoded.fields.count <= limits.maxFields)
        for field in decoded.fields {
            precondition(field.name.utf8.count <= limits.maxNameBytes && field.value.utf8.count <= limits.maxValueBytes)
        }
        precondition(decoded.isWellFormed == (decoded.problem == nil))
    }
    return 0
}
