/// One entry read from a tar stream, with its whole body.
public struct TarEntry: Sendable, Equatable {
    /// What an entry is. The reader refuses every other kind, so callers never see links or devices.
    public enum Kind: Sendable, Equatable {
        case regularFile
        /// Only returned when the reader was asked to (`includeDirectories`); Velero ignores them.
        case directory
    }

    /// The normalised relative path: no leading `./`, no empty or `.` components, no trailing `/`.
    public var name: String
    public var kind: Kind
    /// Body size in bytes (`body.count`).
    public var size: UInt64
    /// Modification time in seconds since 1970, as stored in the header.
    public var modificationTime: Int64
    /// Permission bits from the header (0755 in Velero's archives).
    public var mode: UInt32
    public var body: [UInt8]

    /// Creates an entry; the reader fills every field from the headers.
    public init(name: String, kind: Kind, modificationTime: Int64 = 0, mode: UInt32 = 0o755, body: [UInt8]) {
        self.name = name
        self.kind = kind
        self.size = UInt64(body.count)
        self.modificationTime = modificationTime
        self.mode = mode
        self.body = body
    }
}
