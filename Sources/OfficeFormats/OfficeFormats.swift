/// OfficeFormats writes and reads the two Office formats BaoCao exchanges with
/// users: spreadsheets (.xlsx, SpreadsheetML) and documents (.docx,
/// WordprocessingML).
///
/// It is deliberately small and dependency-free apart from ZIPFoundation: the
/// XML is built and scanned by hand, because report workbooks are large
/// (tens of thousands of rows) and a DOM would cost more than the data.
///
/// Entry points: `XLSXWriter`, `XLSXReader`, `DOCXWriter`, `DOCXReader`.
public enum OfficeFormats {
    /// Written into docProps/app.xml so files can be traced back to us.
    public static let applicationName = "BaoCao"
}
