import Foundation
import Testing

@testable import LifeboatServer

@Suite struct DataDirectoryLockTests {
    @Test func oneHolderAtATimeAndReleaseLetsTheNextIn() throws {
        let directory = URL(fileURLWithPath: try makeTemporaryPath(), isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let first = try DataDirectoryLock(directory: directory)
        #expect(throws: DataDirectoryLock.Failure.inUse(directory: directory.path, ownerPID: getpid())) {
            _ = try DataDirectoryLock(directory: directory)
        }
        first.release()
        let next = try DataDirectoryLock(directory: directory)
        next.release()
        next.release()  // idempotent
    }

    @Test func aMissingDirectoryIsAnIOErrorNamingThePath() throws {
        let missing = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)", isDirectory: true)
        #expect {
            _ = try DataDirectoryLock(directory: missing)
        } throws: { error in
            "\(error)".contains(missing.path + "/lifeboat.lock")
        }
    }
}
