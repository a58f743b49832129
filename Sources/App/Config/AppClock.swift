import NIOConcurrencyHelpers
import Vapor

/// The time sessions and the login limiter go by. The wall clock, which a
/// test may move forward to see a session expire or a lock-out end.
final class AppClock: Sendable {
    private let offset = NIOLockedValueBox<TimeInterval>(0)

    func now() -> Date { Date().addingTimeInterval(offset.withLockedValue { $0 }) }

    /// Whole seconds since 1970, as the session and limiter columns store them.
    func seconds() -> Int64 { Int64(now().timeIntervalSince1970.rounded(.down)) }

    func advance(by interval: TimeInterval) { offset.withLockedValue { $0 += interval } }
}

extension Application {
    struct ClockKey: StorageKey { typealias Value = AppClock }

    var clock: AppClock {
        if let clock = storage[ClockKey.self] { return clock }
        let clock = AppClock()
        storage[ClockKey.self] = clock
        return clock
    }
}
