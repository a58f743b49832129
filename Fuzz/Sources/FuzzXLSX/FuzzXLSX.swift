import Foundation
import OfficeFormats
import StoredPackage

/// The XLSX reader over whole files. An input starting with "PK" is read as
/// the file itself; any other input is split at the first two NUL bytes into
/// a worksheet part and a shared-strings part, packaged with valid checksums,
/// so mutations reach the sheet and string readers instead of the CRC check.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let file: Data
    if bytes.starts(with: [0x50, 0x4B]) {
        file = Data(bytes)
    } else {
        let (sheet, strings) = StoredPackage.split(bytes)
        file = StoredPackage.zip([
            ("_rels/.rels", Array(packageRels.utf8)),
            ("xl/workbook.xml", Array(workbook.utf8)),
            ("xl/_rels/workbook.xml.rels", Array(workbookRels.utf8)),
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", strings)
        ])
    }
    let reader = XLSXReader(
        limits: OfficeReadLimits(
            maxTotalInflatedBytes: 8 << 20, maxEntryInflatedBytes: 4 << 20,
            maxEntries: 1_000, maxCells: 200_000))
    do {
        let workbook = try reader.read(file)
        // Touch what callers use, so a value the reader should have refused shows up here.
        for sheet in workbook.sheets {
            for (r, row) in sheet.rows.enumerated() where !row.isEmpty {
                _ = CellReference(row: r, column: row.count - 1).a1
            }
            _ = sheet.frozenAt?.a1
            _ = sheet.merges.map(\.a1)
        }
        _ = try reader.sheetNames(file)
    } catch is OfficeFormatError {
    } catch {
        fatalError("not an OfficeFormatError: \(error)")
    }
    return 0
}

private let packageRels = """
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" \
    Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
    """
private let workbook = """
    <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
    xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\
    <sheet name="Biểu 1" sheetId="1" r:id="rId1"/></sheets></workbook>
    """
private let workbookRels = """
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" \
    Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
    <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" \
    Target="sharedStrings.xml"/></Relationships>
    """
