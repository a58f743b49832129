import Vapor

/// The services as a request's controller uses them: its database, the
/// loaded forms, and who is signed in. Services themselves never see a request.
extension ReportService {
    init(request: Request) {
        self.init(
            database: request.db, library: request.library, writeGate: request.application.writeGate,
            currentAccess: { try await request.access() }, currentTree: { try await request.unitTree() })
        mail = request.application.workflowMail
    }
}

extension Request {
    var plans: PlanCatalog { PlanCatalog(database: db, library: library) }
}
