import Foundation

/// Writes figures as `unit,code,value` CSV (values as a Vietnamese reader
/// types them: 29.140, 97,45) or as JSON (machine form: "97.45").
public enum DossierFigureOutput {
    public static func csv(_ figures: [DossierFigure]) -> String {
        var lines = ["unit,code,value"]
        lines.reserveCapacity(figures.count + 1)
        for figure in figures {
            lines.append([figure.unit, figure.code, VietnameseNumber.format(figure.value)].map(CSVField.encode).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ figures: [DossierFigure]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(figures), as: UTF8.self)
    }
}
