import Foundation
import NIOConcurrencyHelpers
import NIOCore
import SQLKit
import Vapor

/// Sends what the outbox holds: claims each due row, sends it, marks it sent
/// or counts the failure and sets the next try. Several instances may drain one database.
struct OutboxDrain: Sendable {
    let database: any SQLDatabase
    let settings: SMTPSettings
    let clock: AppClock
    let logger: Logger
    /// Delivers one message; the SMTP client, or a test's stand-in.
    let deliver: @Sendable (MailMessage) async throws -> Void
    let token = UUID().uuidString

    init(
        database: any SQLDatabase, settings: SMTPSettings, clock: AppClock, logger: Logger,
        deliver: @escaping @Sendable (MailMessage) async throws -> Void
    ) {
        self.database = database
        self.settings = settings
        self.clock = clock
        self.logger = logger
        self.deliver = deliver
    }

    struct Outcome: Equatable, Sendable {
        var sent = 0
        var failed = 0
    }

    /// One pass over the rows due now (at most `limit`).
    func drainOnce(limit: Int = 20) async throws -> Outcome {
        var outcome = Outcome()
        for id in try await EmailOutbox.due(now: clock.seconds(), limit: limit, on: database) {
            guard let row = try await EmailOutbox.claim(id, token: token, now: clock.seconds(), on: database) else { continue }
            do {
                try await deliver(
                    MailMessage(from: settings.from, to: row.recipient, subject: row.subject, body: row.body, date: clock.now()))
                try await EmailOutbox.markSent(row.id, token: token, now: clock.seconds(), on: database)
                outcome.sent += 1
            } catch {
                try await EmailOutbox.markFailed(row, error: "\(error)", token: token, now: clock.seconds(), on: database)
                logger.warning("Chưa gửi được thư tới \(row.recipient) (lần \(row.attempts + 1)): \(error)")
                outcome.failed += 1
            }
        }
        return outcome
    }
}

/// Drains the outbox every few seconds while `baocao serve` runs (registered by `ServeCommand` when SMTP is configured).
final class OutboxSender: LifecycleHandler, Sendable {
    let interval: TimeAmount
    private let task = NIOLockedValueBox<RepeatedTask?>(nil)

    init(interval: TimeAmount = .seconds(5)) { self.interval = interval }

    func didBoot(_ application: Application) throws {
        guard let settings = application.config.smtp, let sql = application.db as? any SQLDatabase else { return }
        let group = application.eventLoopGroup
        let client = SMTPClient(settings: settings, group: group)
        let drain = OutboxDrain(
            database: sql, settings: settings, clock: application.clock, logger: application.logger,
            deliver: { try await client.send($0) })
        let logger = application.logger
        let loop = group.next()
        let repeated = loop.scheduleRepeatedAsyncTask(initialDelay: .seconds(1), delay: interval) { task in
            loop.makeFutureWithTask {
                do { _ = try await drain.drainOnce() } catch { logger.error("Lỗi khi gửi thư trong hàng đợi: \(error)") }
            }
        }
        task.withLockedValue { $0 = repeated }
    }

    func shutdown(_ application: Application) {
        task.withLockedValue {
            $0?.cancel(); $0 = nil
        }
    }
}
