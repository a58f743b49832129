import Vapor
public func configure(_ app: Application) async throws {}
