import ArgumentParser
import Foundation
import ReportingCore

/// `baocao`: the one executable, with the server and the offline tools.
public struct BaoCaoCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "baocao",
        abstract: "BaoCao — hệ thống báo cáo định kỳ.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, DemoCommand.self, UsersCommand.self, UnitsCommand.self,
            ValidateCommand.self, TargetsCommand.self, BenchCommand.self,
            ExportCommand.self, ImportCommand.self, CheckTextCommand.self, ImportDocxCommand.self, DossiersCommand.self
        ]
    )

    public init() {}
}

/// Output format shared by the checking commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Errors that end a command with a message for the user and no stack trace.
struct UserFacingError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

extension FormLibrary {
    /// The built-in library, or the one in `directory`, as a command sees it.
    static func forCommand(directory: String?) throws -> FormLibrary {
        do {
            if let directory { return try FormLibrary.load(from: URL(fileURLWithPath: directory)) }
            return try FormLibrary.builtIn()
        } catch {
            throw UserFacingError("Không nạp được định nghĩa biểu mẫu: \(error)")
        }
    }
}

func readTextFile(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw UserFacingError("Không mở được tệp “\(path)”: tệp không tồn tại hoặc không có quyền đọc.")
    }
    guard let text = String(data: data, encoding: .utf8) else {
        throw UserFacingError("Tệp “\(path)” không phải văn bản UTF-8. Hãy lưu lại dưới dạng CSV UTF-8.")
    }
    return text
}

func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

extension BaoCaoCommand {
    /// Parses the arguments and runs the chosen subcommand, sync or async.
    public static func start(_ arguments: [String]? = nil) async {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
