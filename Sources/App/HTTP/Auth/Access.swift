import ReportingCore
import Vapor

/// Who may do what with a report. Every route asks here; nothing else decides.
struct Access {
    let user: User
    let tree: UnitTree

    /// A reporter or leader acts for their own unit; a reviewer for the units
    /// below theirs; an administrator for all.
    func canRead(unitCode: String) -> Bool {
        switch user.role {
        case .admin: return true
        case .reviewer: return unitCode == user.unitCode || tree.isAncestor(user.unitCode, of: unitCode)
        case .reporter, .leader: return unitCode == user.unitCode
        }
    }

    func canEdit(_ report: Report) -> Bool {
        (user.role == .reporter || user.role == .leader) && report.unitCode == user.unitCode && report.status.isEditable
    }

    /// Figures computed from dossier records: the unit's reporter (or leader) while
    /// they may edit, or an administrator, who fills the draft for the unit.
    func canFillFromDossiers(_ report: Report) -> Bool {
        canEdit(report) || (user.role == .admin && report.status.isEditable)
    }

    func canAskApproval(_ report: Report) -> Bool {
        user.role == .reporter && report.unitCode == user.unitCode && report.status.isEditable
    }

    func canSend(_ report: Report) -> Bool {
        user.role == .leader && report.unitCode == user.unitCode && (report.status.isEditable || report.status == .awaitingApproval)
    }

    func canReview(_ report: Report) -> Bool {
        user.role == .reviewer && tree.isAncestor(user.unitCode, of: report.unitCode)
    }

    /// A reviewer sees consolidated figures for their unit and below.
    func canConsolidate(unitCode: String) -> Bool {
        user.role == .admin || (user.role == .reviewer && canRead(unitCode: unitCode))
            || (user.role == .leader && unitCode == user.unitCode)
    }
}

extension Request {
    func requireUser() throws -> User {
        guard let user = auth.get(User.self) else { throw Abort(.unauthorized, reason: "Bạn cần đăng nhập để tiếp tục.") }
        return user
    }

    func access() async throws -> Access {
        Access(user: try requireUser(), tree: try await unitTree())
    }
}
