import Fluent
import SQLKit

extension Database {
    /// The database as SQL. Both drivers BaoCao runs on (SQLite, PostgreSQL)
    /// speak SQL; a refusal instead of a trap if another ever does not.
    func requireSQL() throws -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else {
            throw ServiceError(.invalid, "Cơ sở dữ liệu không hỗ trợ truy vấn SQL trực tiếp.")
        }
        return sql
    }
}
