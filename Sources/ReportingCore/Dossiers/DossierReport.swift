import Foundation

/// The whole `baocao dossiers summarize` step in one call, for the command line
/// and the web upload: read the file for the period, then fill the form's rows.
public enum DossierReport {
    /// The `--form` names that have a figure map: egov-2024, cchc-bm3, qd766, kh48-2024.
    public static func availableForms(library: FormLibrary) throws -> [String] {
        try DossierFigureMap.builtIn(library: library).keys.sorted()
    }

    /// Figures of `form` (a figure-map id) from the dossier CSV at `path`.
    /// `tree` consolidates units below and, when given, makes an unknown unit code a problem.
    public static func figures(
        path: String, period: Period, form: String, library: FormLibrary,
        mapping: DossierMapping = DossierMapping(), tree: UnitTree? = nil
    ) throws -> [DossierFigure] {
        let maps = try DossierFigureMap.builtIn(library: library)
        guard let map = maps[form] else { throw DossierFileError.unknownForm(form) }
        let known = tree.map { Set($0.units.map(\.code)) }
        let summary = try DossierSummarizer(period: period, mapping: mapping, knownUnits: known).summarize(path: path)
        return try DossierFigures.compute(map, summary: summary, library: library, tree: tree)
    }
}
