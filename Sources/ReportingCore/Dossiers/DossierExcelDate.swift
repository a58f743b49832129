extension DossierSummarizer {
    /// A date cell of an XLSX sheet (a serial day number, 1900 date system) as the
    /// text the reader expects: "14/03/2024" or "14/03/2024 16:30". Nil for a
    /// number that is no date between 1900 and 2200.
    public static func cellText(excelSerial serial: Double) -> String? {
        guard serial.isFinite, serial >= 1, serial < 110_000 else { return nil }
        let days = Int(serial.rounded(.down))
        // Serial 25569 is 01/01/1970; Excel's fictitious 29/02/1900 is serial 60.
        let date = DossierDate(dayNumber: days - 25_569, minute: nil)
        let minutes = Int(((serial - Double(days)) * 1_440).rounded())
        guard minutes > 0 else { return date.vietnamese }
        return DossierDate(dayNumber: days - 25_569 + minutes / 1_440, minute: minutes % 1_440).vietnamese
    }
}
