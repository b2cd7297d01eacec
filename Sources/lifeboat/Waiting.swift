import LifeboatAPI

/// `--wait`: poll the object until it reaches a terminal phase. No timeout, like Velero: interrupt to stop waiting.
enum Waiting {
    static let interval: Duration = .milliseconds(500)

    static func until<T>(_ fetch: () async throws -> T, isDone: (T) -> Bool) async throws -> T {
        while true {
            let value = try await fetch()
            if isDone(value) { return value }
            try await Task.sleep(for: interval)
        }
    }

    static func isTerminal(_ phase: Components.Schemas.BackupPhase?) -> Bool {
        switch phase {
        case .completed, .partiallyFailed, .failed, .failedValidation: true
        default: false
        }
    }

    static func isTerminal(_ phase: Components.Schemas.RestorePhase?) -> Bool {
        switch phase {
        case .completed, .partiallyFailed, .failed, .failedValidation: true
        default: false
        }
    }

    /// A failed outcome ends `--wait` with a non-zero exit, so scripts notice.
    static func failureMessage(kind: String, name: String, phase: String?, reason: String?) -> CLIError? {
        guard let phase, ["Failed", "FailedValidation"].contains(phase) else { return nil }
        return CLIError("\(kind) \(name) finished with status \(phase)" + (reason.map { ": \($0)" } ?? ""))
    }
}
