/// Bounds on a dossier file, so that no file can exhaust memory or time.
/// The file's size itself is not bounded: it is streamed.
public enum DossierLimits {
    /// Longest record (a real row is a few hundred bytes).
    public static let maxLineBytes = 1 << 20
    /// Most columns on a line.
    public static let maxFields = 1_000
    /// Distinct unit codes in one file (a country has about 12,000 units).
    public static let maxUnits = 200_000
    /// Distinct procedure codes in one file (the national catalogue has about 6,000).
    public static let maxProcedures = 200_000
    /// Problems listed in a refusal; the total is still counted.
    public static let maxReportedProblems = 100
    /// Bytes read at a time by each worker.
    static let bufferBytes = 4 << 20
}
