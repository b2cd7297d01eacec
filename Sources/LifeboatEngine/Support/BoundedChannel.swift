import Synchronization

/// A bounded many-producer, one-consumer queue with backpressure: `send` suspends while `capacity` elements
/// are waiting, so a fast producer (paged LISTs) can never run ahead of a slow consumer (gzip and upload) by more
/// than a fixed amount of memory. `AsyncStream` buffers without limit or drops, neither of which a backup may do.
///
/// Producers call `finish(throwing:)` once the last of them is done (or one failed); the consumer iterates, and
/// calls `cancel()` when it stops early so that suspended and later producers fail instead of waiting forever.
public final class BoundedChannel<Element: Sendable>: AsyncSequence, Sendable {
    public typealias Failure = any Error

    private struct State {
        var buffer: [Element] = []
        var head = 0
        var waitingSenders: [(element: Element, continuation: CheckedContinuation<Void, any Error>)] = []
        var waitingReceiver: CheckedContinuation<Element?, any Error>?
        var finished = false
        var failure: (any Error)?
        var cancelled = false

        var count: Int { buffer.count - head }

        /// Takes the oldest element. Taken slots are dropped as soon as they are half the array (at least every
        /// 32 takes), so a consumed element — a page of 500 items — is never kept alive by the buffer.
        mutating func popFirst() -> Element? {
            guard head < buffer.count else { return nil }
            let element = buffer[head]
            head += 1
            if head == buffer.count {
                buffer.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 32 || head * 2 >= buffer.count {
                buffer.removeFirst(head)
                head = 0
            }
            return element
        }
    }

    private enum SendAction { case done, resumeReceiver(CheckedContinuation<Element?, any Error>), fail, wait }
    private enum ReceiveAction { case element(Element, CheckedContinuation<Void, any Error>?), end, failure(any Error), wait }

    /// The most elements that wait for the consumer before a sender suspends.
    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int) {
        precondition(capacity > 0, "capacity must be positive")
        self.capacity = capacity
    }

    /// The error a send gets once the consumer has gone.
    public struct ConsumerGone: Error, CustomStringConvertible {
        public var description: String { "the consumer of the channel stopped" }
    }

    /// Queues `element`, suspending while the channel is full. Throws when the consumer cancelled.
    public func send(_ element: Element) async throws {
        let action: SendAction = state.withLock { state in
            if state.cancelled || state.finished { return .fail }
            if let receiver = state.waitingReceiver {
                state.waitingReceiver = nil
                return .resumeReceiver(receiver)
            }
            if state.count < capacity {
                state.buffer.append(element)
                return .done
            }
            return .wait
        }
        switch action {
        case .done: return
        case .resumeReceiver(let receiver): receiver.resume(returning: element)
        case .fail: throw ConsumerGone()
        case .wait:
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let refused: Bool = state.withLock { state in
                    if state.cancelled || state.finished { return true }
                    if let receiver = state.waitingReceiver {
                        // The consumer drained everything between our two locks: hand over directly.
                        state.waitingReceiver = nil
                        receiver.resume(returning: element)
                        continuation.resume()
                        return false
                    }
                    if state.count < capacity {
                        state.buffer.append(element)
                        continuation.resume()
                        return false
                    }
                    state.waitingSenders.append((element, continuation))
                    return false
                }
                if refused { continuation.resume(throwing: ConsumerGone()) }
            }
        }
    }

    /// Ends the stream: the consumer receives what is queued and then nil, or `error` when given.
    public func finish(throwing error: (any Error)? = nil) {
        let (receiver, senders): (CheckedContinuation<Element?, any Error>?, [CheckedContinuation<Void, any Error>]) = state.withLock { state in
            guard !state.finished else { return (nil, []) }
            state.finished = true
            state.failure = error
            let senders = state.waitingSenders.map(\.continuation)
            state.waitingSenders = []
            let receiver = state.count == 0 ? state.waitingReceiver : nil
            if receiver != nil { state.waitingReceiver = nil }
            return (receiver, senders)
        }
        for sender in senders { sender.resume(throwing: ConsumerGone()) }
        if let receiver {
            if let error { receiver.resume(throwing: error) } else { receiver.resume(returning: nil) }
        }
    }

    /// Called by the consumer when it stops reading: every suspended and future `send` throws.
    public func cancel() {
        let (senders, receiver): ([CheckedContinuation<Void, any Error>], CheckedContinuation<Element?, any Error>?) = state.withLock { state in
            state.cancelled = true
            state.buffer = []
            state.head = 0
            let senders = state.waitingSenders.map(\.continuation)
            state.waitingSenders = []
            let receiver = state.waitingReceiver
            state.waitingReceiver = nil
            return (senders, receiver)
        }
        for sender in senders { sender.resume(throwing: ConsumerGone()) }
        receiver?.resume(returning: nil)
    }

    /// The next element, nil at the end; throws the error the producers finished with.
    public func receive() async throws -> Element? {
        let action: ReceiveAction = state.withLock { state in
            if state.cancelled { return .end }
            if let element = state.popFirst() {
                if !state.waitingSenders.isEmpty {
                    let sender = state.waitingSenders.removeFirst()
                    state.buffer.append(sender.element)
                    return .element(element, sender.continuation)
                }
                return .element(element, nil)
            }
            if let sender = state.waitingSenders.first {
                state.waitingSenders.removeFirst()
                return .element(sender.element, sender.continuation)
            }
            if state.finished {
                if let failure = state.failure { return .failure(failure) }
                return .end
            }
            return .wait
        }
        switch action {
        case .element(let element, let sender):
            sender?.resume()
            return element
        case .end: return nil
        case .failure(let error): throw error
        case .wait:
            return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Element?, any Error>) in
                let late: ReceiveAction = state.withLock { state in
                    if state.cancelled { return .end }
                    if let element = state.popFirst() { return .element(element, nil) }
                    if let sender = state.waitingSenders.first {
                        state.waitingSenders.removeFirst()
                        return .element(sender.element, sender.continuation)
                    }
                    if state.finished { return state.failure.map { .failure($0) } ?? .end }
                    state.waitingReceiver = continuation
                    return .wait
                }
                switch late {
                case .wait: break
                case .element(let element, let sender):
                    sender?.resume()
                    continuation.resume(returning: element)
                case .end: continuation.resume(returning: nil)
                case .failure(let error): continuation.resume(throwing: error)
                }
            }
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let channel: BoundedChannel<Element>
        public mutating func next() async throws -> Element? { try await channel.receive() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(channel: self) }
}
