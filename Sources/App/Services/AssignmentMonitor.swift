import Fluent
import Foundation

/// An assignment and the reports of it that the user may see: the
/// monitoring page and the API's status share this, and its access rule.
struct AssignmentMonitor {
    let database: any Database
    let access: Access

    func load(_ id: UUID?) async throws -> (Assignment, [Report]) {
        guard let id, let assignment = try await Assignment.find(id, on: database) else {
            throw ServiceError(.notFound, "Không tìm thấy đợt giao báo cáo.")
        }
        guard access.user.role == .admin || (access.user.role == .reviewer && access.canRead(unitCode: assignment.receiverCode)) else {
            throw ServiceError(.forbidden, "Chỉ cán bộ tiếp nhận của đơn vị nhận báo cáo mới xem được trang theo dõi.")
        }
        let reports = try await Report.query(on: database).filter(\.$assignment.$id == id).all()
            .filter { access.canRead(unitCode: $0.unitCode) }
        return (assignment, reports)
    }
}
