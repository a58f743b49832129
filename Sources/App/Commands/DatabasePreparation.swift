import Fluent
import Foundation
import Vapor

/// Migrates the database and, when asked, loads the demo province into it
/// if it is empty. Several instances started together on one empty
/// PostgreSQL database race to create the same tables; the one that loses
/// waits and tries again, by then finding the work done.
enum DatabasePreparation {
    struct Outcome {
        /// The demo loaded now: units, summary lines, accounts.
        var demo: (units: Int, lines: [String], users: [(String, String)])?
    }

    static func prepare(_ app: Application, loadDemo: Bool, attempts: Int = 8) async throws -> Outcome {
        var attempt = 1
        while true {
            do {
                try await app.autoMigrate()
                guard loadDemo else { return Outcome() }
                guard try await UnitRecord.query(on: app.db).count() == 0 else { return Outcome() }
                let (units, lines, users) = try await DemoCommand.load(app)
                return Outcome(demo: (units, lines, users))
            } catch {
                guard case .postgres = app.config.database, attempt < attempts else {
                    throw UserFacingError(
                        "Không chuẩn bị được cơ sở dữ liệu (tạo bảng hoặc nạp dữ liệu mẫu): "
                            + "\(String(reflecting: error)). Hãy kiểm tra DATABASE_URL và quyền tạo bảng, rồi chạy lại.")
                }
                app.logger.warning(
                    "Chuẩn bị cơ sở dữ liệu chưa xong (lần \(attempt)), có thể do một phiên bản khác đang làm cùng lúc; thử lại: \(error)")
                try await Task.sleep(for: .milliseconds(500 * attempt))
                attempt += 1
            }
        }
    }
}
