import Vapor

/// What every signed-in page shows around its content.
struct LayoutContext: Encodable {
    let title: String
    let userName: String
    let roleLabel: String
    let unitName: String
    let isReviewer: Bool
    let isAdmin: Bool
    let csrf: String
    /// The header menu for the user's role (`NavigationMenu`).
    let menu: [NavigationMenu.Item]

    static func make(_ req: Request, title: String) async throws -> LayoutContext {
        let user = try req.requireUser()
        let tree = try await req.unitTree()
        return LayoutContext(
            title: title, userName: user.displayName, roleLabel: user.role.label,
            unitName: tree[user.unitCode]?.name ?? user.unitCode,
            isReviewer: user.role == .reviewer || user.role == .admin, isAdmin: user.role == .admin,
            csrf: CSRF.token(for: req),
            menu: NavigationMenu.items(
                role: user.role, hasUnitsBelow: !tree.children(of: user.unitCode).isEmpty,
                path: req.url.path))
    }
}
