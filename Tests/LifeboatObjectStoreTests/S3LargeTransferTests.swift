import Foundation
import LifeboatObjectStore
import NIOCore
import Synchronization
import Testing

/// Resident memory of this process, sampled while a transfer runs.
final class MemorySampler: Sendable {
    private let peak = Mutex<Int>(0)

    /// VmRSS from /proc/self/status, in bytes.
    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        let kibibytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return kibibytes * 1024
    }

    /// Runs `body` while sampling every 50 ms; returns its result and the peak RSS seen.
    func measure<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> (T, Int) {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    let now = Self.residentBytes()
                    self.peak.withLock { $0 = max($0, now) }
                    try? await Task.sleep(for: .milliseconds(50))
                }
                return nil
            }
            let result = try await body()
            group.cancelAll()
            return (result, peak.withLock { $0 })
        }
    }
}

/// Memory stays bounded by part size × parts in flight, whatever the object size.
@Suite(.serialized) struct S3LargeTransferTests {
    static let mebibyte = 1024 * 1024

    @Test(.timeLimit(.minutes(15)))
    func a300MiBStreamGoesUpAndDownInBoundedMemory() async throws {
        try await TestSupport.withS3Store(label: "large", partSize: 8 * Self.mebibyte, maxPartsInFlight: 3) { store, _ in
            let data = GeneratedBytes(size: 300 * Self.mebibyte, seed: 300, chunkSize: 256 * 1024)
            let baseline = MemorySampler.residentBytes()
            let (result, uploadPeak) = try await MemorySampler().measure { try await store.put(key: "large/300MiB.bin", body: data) }
            #expect(result.size == Int64(data.size))
            #expect(result.parts == 38)
            let ((sha, size), downloadPeak) = try await MemorySampler().measure {
                try await digest(try await store.get(key: "large/300MiB.bin").body)
            }
            #expect(size == data.size)
            #expect(sha == (try await data.sha256()))
            // (3 in flight + 1 filling) × 8 MiB = 32 MiB of parts, plus their copies in the HTTP stack,
            // hashing and allocator slack: about 75 MiB measured alone. RSS is per process and other
            // suites run beside this one, so the bound leaves room for them; buffering the object
            // would add at least 300 MiB and fail it.
            let bound = 224 * Self.mebibyte
            #expect(uploadPeak - baseline < bound, "upload grew RSS by \((uploadPeak - baseline) / Self.mebibyte) MiB")
            #expect(downloadPeak - baseline < bound, "download grew RSS by \((downloadPeak - baseline) / Self.mebibyte) MiB")
            try await store.delete(key: "large/300MiB.bin")
        }
    }

    @Test func aFailedMultipartUploadLeavesNoIncompleteUpload() async throws {
        let home = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        try await TestSupport.withS3Store(label: "abort") { store, moto in
            let failing = GeneratedBytes(size: 40 * Self.mebibyte, seed: 5, failAfter: 27 * Self.mebibyte)
            await #expect(throws: GeneratedBytes.InjectedFailure.self) {
                try await store.put(key: "aborted/object.bin", body: failing)
            }
            let uploads = try await TestSupport.boto3(["list-uploads", store.configuration.bucket], moto: moto, home: home)
            #expect(uploads.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
            #expect(try await store.exists(key: "aborted/object.bin") == false)
        }
    }

    @Test func aCancelledMultipartUploadIsAbortedToo() async throws {
        let home = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        try await TestSupport.withS3Store(label: "cancel") { store, moto in
            let upload = Task {
                try await store.put(key: "cancelled/object.bin", body: GeneratedBytes(size: 400 * Self.mebibyte, seed: 6))
            }
            // Cancel once the multipart upload exists, i.e. mid-stream.
            var started = false
            var polls = 0
            while !started && polls < 600 {
                polls += 1
                try await Task.sleep(for: .milliseconds(100))
                let count = try await TestSupport.boto3(["list-uploads", store.configuration.bucket], moto: moto, home: home)
                started = count.trimmingCharacters(in: .whitespacesAndNewlines) != "0"
            }
            #expect(started)
            upload.cancel()
            _ = await upload.result
            let uploads = try await TestSupport.boto3(["list-uploads", store.configuration.bucket], moto: moto, home: home)
            #expect(uploads.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        }
    }
}
