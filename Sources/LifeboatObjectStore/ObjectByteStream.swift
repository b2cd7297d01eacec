import NIOCore

/// The bytes of one object as they arrive, in order; iterate it once.
///
/// Each store supplies the iterator: the S3 store pulls from the HTTP response (and resumes with a
/// `Range` request when the connection drops), the filesystem store reads the file in chunks. Pulling
/// drives the transfer, so a slow consumer holds back the producer instead of buffering the object.
public struct ObjectByteStream: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer
    public typealias Failure = any Error

    /// Pulls one chunk at a time; nil at the end of the object.
    public struct AsyncIterator: AsyncIteratorProtocol {
        public typealias Element = ByteBuffer
        public typealias Failure = any Error

        let source: any ByteChunkSource

        public mutating func next() async throws -> ByteBuffer? {
            try await source.nextChunk()
        }
    }

    private let makeSource: @Sendable () -> any ByteChunkSource

    init(_ makeSource: @escaping @Sendable () -> any ByteChunkSource) {
        self.makeSource = makeSource
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(source: makeSource())
    }

    /// Reads the whole stream into one buffer, failing when it is longer than `maxBytes`.
    public func collect(upTo maxBytes: Int) async throws -> ByteBuffer {
        var result = ByteBuffer()
        for try await var chunk in self {
            guard result.readableBytes + chunk.readableBytes <= maxBytes else {
                throw ObjectStoreError.invalidArgument(reason: "object is larger than the \(maxBytes) bytes allowed here")
            }
            result.writeBuffer(&chunk)
        }
        return result
    }
}

/// The stateful producer behind one iteration of an ``ObjectByteStream``.
///
/// A class because iteration state (an open file, an HTTP response iterator, the resume offset) is
/// mutated across `await`s by the single task that iterates.
protocol ByteChunkSource: AnyObject {
    func nextChunk() async throws -> ByteBuffer?
}
