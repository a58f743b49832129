import ArgumentParser
import Foundation
import ReportingCore

/// `baocao dossiers summarize`: the figures a form's rows take from the
/// one-stop-shop system's dossier records (docs/dossiers.md).
struct DossiersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dossiers", abstract: "Số liệu tính từ hồ sơ TTHC (QĐ 766).",
        subcommands: [Summarize.self])

    struct Summarize: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "summarize",
            abstract: "Tính số liệu của biểu mẫu từ tệp hồ sơ (CSV hoặc XLSX, mỗi dòng một hồ sơ).",
            discussion: """
                Ví dụ:
                  baocao dossiers summarize --file hoso-quy1.csv --period 2024-Q1 --form egov-2024
                  baocao dossiers summarize --file hoso.xlsx --period 2024-Q1 --form qd766 --mapping motcua.yaml --format json
                """
        )

        @ArgumentParser.Option(help: "Tệp hồ sơ: .csv (UTF-8) hoặc .xlsx.") var file: String
        @ArgumentParser.Option(help: "Kỳ báo cáo, ví dụ 2024-Q1 (hồ sơ tiếp nhận trong thời gian chốt số liệu của kỳ).") var period: String
        @ArgumentParser.Option(help: "Biểu mẫu: egov-2024, cchc-bm3, qd766 hoặc kh48-2024.") var form: String = "egov-2024"
        @ArgumentParser.Option(help: "Tệp YAML ánh xạ cột và giá trị của hệ thống khác.") var mapping: String?
        @ArgumentParser.Option(help: "Tệp CSV cây đơn vị (code,name,kind,parent_code): tổng hợp lên cấp trên, báo mã đơn vị lạ.") var units:
            String?
        @ArgumentParser.Option(help: "csv hoặc json.") var format: String = "csv"

        func run() async throws {
            do {
                let output = try produce()
                FileHandle.standardOutput.write(Data(output.utf8))
            } catch let error as UserFacingError {
                FileHandle.standardError.write(Data("Lỗi: \(error.description)\n".utf8))
                throw ExitCode(2)
            }
        }

        func produce() throws -> String {
            guard format == "csv" || format == "json" else { throw UserFacingError("--format phải là csv hoặc json; đang là “\(format)”.") }
            guard let periodValue = Period(key: period) else { throw UserFacingError(PeriodKeyError(text: period).description) }
            let library = try FormLibrary.forCommand(directory: nil)
            var rules = DossierMapping()
            if let mapping {
                guard let data = FileManager.default.contents(atPath: mapping), let text = String(data: data, encoding: .utf8) else {
                    throw UserFacingError("Không đọc được tệp ánh xạ “\(mapping)” (cần YAML UTF-8).")
                }
                do { rules = try DossierMapping.parse(yaml: text, name: mapping) } catch { throw UserFacingError("\(error)") }
            }
            var tree: UnitTree?
            if let units {
                guard let data = FileManager.default.contents(atPath: units), let text = String(data: data, encoding: .utf8) else {
                    throw UserFacingError("Không đọc được tệp đơn vị “\(units)”.")
                }
                do { tree = try UnitTree(units: try UnitFile.parseCSV(text)) } catch {
                    throw UserFacingError("Tệp đơn vị “\(units)”: \(error)")
                }
            }
            let figures: [DossierFigure]
            do {
                if file.lowercased().hasSuffix(".xlsx") {
                    let table = try Self.table(xlsx: file)
                    let maps = try DossierFigureMap.builtIn(library: library)
                    guard let map = maps[form] else { throw DossierFileError.unknownForm(form) }
                    let known = tree.map { Set($0.units.map(\.code)) }
                    let summary = try DossierSummarizer(period: periodValue, mapping: rules, knownUnits: known).summarize(table: table)
                    figures = try DossierFigures.compute(map, summary: summary, library: library, tree: tree)
                } else {
                    figures = try DossierReport.figures(
                        path: file, period: periodValue, form: form, library: library, mapping: rules, tree: tree)
                }
            } catch let error as UserFacingError {
                throw error
            } catch {
                throw UserFacingError("Không tính được số liệu từ tệp “\(file)”: \(error) Không có số liệu nào được đưa ra.")
            }
            if format == "json" {
                do { return try DossierFigureOutput.json(figures) + "\n" } catch { throw UserFacingError("\(error)") }
            }
            return DossierFigureOutput.csv(figures)
        }

        /// The first sheet as rows of text (the web upload reads it the same way).
        static func table(xlsx path: String) throws -> [[String]] {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw UserFacingError("Không mở được tệp “\(path)”: tệp không tồn tại hoặc không có quyền đọc.")
            }
            do { return try DossierImport.table(xlsx: data, name: path) } catch { throw UserFacingError(error.message) }
        }
    }
}
