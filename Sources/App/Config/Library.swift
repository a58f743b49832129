import ReportingCore
import Vapor

extension Application {
    struct LibraryKey: StorageKey { typealias Value = FormLibrary }
    /// The forms, plans and mappings, loaded once at start-up.
    public var library: FormLibrary {
        get { storage[LibraryKey.self]! }
        set { storage[LibraryKey.self] = newValue }
    }
}

extension Request {
    var library: FormLibrary { application.library }
}
