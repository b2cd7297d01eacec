import Foundation
import GRDB
import LifeboatCore

/// A row of the `job` table.
struct JobRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "job"

    var id: Int64?
    var kind: String
    var target: String
    var state: String
    var attempt: Int
    var leaseOwner: String?
    var leaseExpiresAt: Date?
    var heartbeatAt: Date?
    /// `JobProgress` as JSON.
    var progress: String?
    var error: String?
    var cancelRequested: Bool
    var createdAt: Date
    var dueAt: Date
    var startedAt: Date?
    var finishedAt: Date?

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let kind = Column(CodingKeys.kind)
        static let target = Column(CodingKeys.target)
        static let state = Column(CodingKeys.state)
        static let leaseOwner = Column(CodingKeys.leaseOwner)
        static let leaseExpiresAt = Column(CodingKeys.leaseExpiresAt)
        static let dueAt = Column(CodingKeys.dueAt)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    func domainValue() throws -> Job {
        guard let id, let state = JobState(rawValue: state) else {
            throw LifeboatError.conflict(reason: "job row \(id.map(String.init) ?? "?") is corrupt")
        }
        return Job(
            id: JobID(id), kind: JobKind(rawValue: kind), target: target, state: state, attempt: attempt,
            leaseOwner: leaseOwner, leaseExpiresAt: leaseExpiresAt, heartbeatAt: heartbeatAt,
            progress: try progress.map { try ObjectRows.decode(JobProgress.self, $0) }, error: error,
            cancelRequested: cancelRequested, createdAt: createdAt, dueAt: dueAt, startedAt: startedAt, finishedAt: finishedAt)
    }
}
