/// What a command run in a container produced.
public struct ExecResult: Sendable, Equatable {
    /// The process's exit status; 0 when the server reported Success.
    public var exitCode: Int
    public var stdout: [UInt8]
    public var stderr: [UInt8]
    /// The negotiated WebSocket subprotocol (`v5.channel.k8s.io` or `v4.channel.k8s.io`).
    public var subprotocol: String

    public var stdoutString: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrString: String { String(decoding: stderr, as: UTF8.self) }
}

/// Exec failures that are not a Kubernetes `Status`.
public enum ExecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The command did not finish in time; the session was closed (the process may still run in the pod).
    case timedOut(seconds: Double)
    /// The server answered the upgrade with something other than a channel protocol we speak.
    case protocolNotNegotiated(String?)
    /// The connection ended without the final Status on channel 3, so the outcome is unknown (the command
    /// may or may not have run). v4/v5 servers always send one.
    case endedWithoutStatus

    public var description: String {
        switch self {
        case .timedOut(let seconds): "exec did not finish within \(seconds) seconds"
        case .protocolNotNegotiated(let offered):
            "the server did not agree on an exec protocol (answered \(offered ?? "none"); we speak v5.channel.k8s.io and v4.channel.k8s.io)"
        case .endedWithoutStatus: "the exec session ended without a final status; the command's outcome is unknown"
        }
    }
}
