import ReportingCore

/// Reads the input as a pasted register block, and each document read is
/// written back as a citation and read again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let result = DocumentRegister.parseLines(text)
    for (_, reference) in result.references {
        _ = try? DocumentReference.parsing(reference.citation)
    }
    _ = DocumentRegister.countsSentence(result.references.map(\.reference.kind))
    for (_, _, error) in result.failures { _ = error.description }
    return 0
}
