import Foundation
import OfficeFormats
import StoredPackage

/// The DOCX reader over whole files. An input starting with "PK" is read as
/// the file itself; any other input is split at the first two NUL bytes into
/// the document part and a header part, packaged with valid checksums, so
/// mutations reach the Word XML reader instead of the CRC check.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let file: Data
    if bytes.starts(with: [0x50, 0x4B]) {
        file = Data(bytes)
    } else {
        let (document, header) = StoredPackage.split(bytes)
        file = StoredPackage.zip([
            ("_rels/.rels", Array(packageRels.utf8)),
            ("word/document.xml", document),
            ("word/_rels/document.xml.rels", Array(documentRels.utf8)),
            ("word/header1.xml", header)
        ])
    }
    let reader = DOCXReader(
        limits: OfficeReadLimits(
            maxTotalInflatedBytes: 8 << 20, maxEntryInflatedBytes: 4 << 20,
            maxEntries: 1_000))
    do {
        _ = try reader.read(file)
    } catch is OfficeFormatError {
    } catch {
        fatalError("not an OfficeFormatError: \(error)")
    }
    return 0
}

private let packageRels = """
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" \
    Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>
    """
private let documentRels = """
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" \
    Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/></Relationships>
    """
