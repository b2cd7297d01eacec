import Foundation

/// Reads a tar stream pushed to it in arbitrary chunks and returns its file entries one at a time.
///
/// It understands what real tools write: plain USTAR with the name prefix, PAX extended headers
/// (`path`, `size`), GNU long names (`././@LongLink`, type `L`) and base-256 numbers, and V7 headers.
/// It is also the restore's first line of defence: every name is checked before it is returned
/// (no absolute paths, no `..`, no NUL, valid UTF-8), links, devices, FIFOs and sparse files are
/// refused, header checksums are verified, and an archive that stops early is reported as truncated.
///
/// Only the unread part of the input and one entry are held in memory, bounded by `maximumEntrySize`.
///
/// ```swift
/// var tar = TarReader()
/// for chunk in chunks {
///     tar.append(chunk)
///     while let entry = try tar.nextEntry() { handle(entry) }
/// }
/// try tar.finish()
/// ```
public struct TarReader: Sendable {
    private enum State: Sendable {
        case headers
        /// One zero block seen: the next block must be zero too, or the input must end.
        case sawZeroBlock
        case ended
    }

    /// The largest body (file or extended header) the reader buffers before refusing the entry.
    public let maximumEntrySize: UInt64
    /// Whether directory entries are returned (as `.directory`) instead of skipped.
    public let includeDirectories: Bool

    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var state = State.headers
    /// Offset in the whole stream of `buffer[readIndex]`, for error messages.
    private var streamOffset: UInt64 = 0
    private var pendingPath: String?
    private var pendingSize: UInt64?
    private var headerAwaitingBody: (Header, UInt64)?

    /// Creates a reader.
    /// - Parameters:
    ///   - maximumEntrySize: refuse entries with larger bodies (Kubernetes objects are at most ~1.5 MiB).
    ///   - includeDirectories: return directory entries instead of skipping them.
    public init(maximumEntrySize: UInt64 = 64 * 1024 * 1024, includeDirectories: Bool = false) {
        self.maximumEntrySize = maximumEntrySize
        self.includeDirectories = includeDirectories
    }

    /// True once the end-of-archive blocks were read; later input is ignored.
    public var isAtEnd: Bool {
        if case .ended = state { return true }
        return false
    }

    /// Adds the next chunk of the (decompressed) stream.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if case .ended = state { return }  // GNU tar pads archives to 10 KiB records with zeros
        if readIndex > 0 && readIndex >= buffer.count / 2 {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Adds the next chunk of the (decompressed) stream (an array, `Data`, a slice).
    public mutating func append(_ bytes: some ContiguousBytes) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Returns the next complete entry, or nil when more input is needed or the archive has ended.
    public mutating func nextEntry() throws(TarError) -> TarEntry? {
        while true {
            let available = buffer.count - readIndex
            guard available >= 512 else { return nil }
            switch state {
            case .ended:
                return nil
            case .sawZeroBlock:
                guard isZeroBlock(at: readIndex) else {
                    throw .malformedHeader(offset: streamOffset, reason: "data after a lone end-of-archive block")
                }
                consume(512)
                state = .ended
                buffer = []
                readIndex = 0
                return nil
            case .headers:
                if isZeroBlock(at: readIndex) {
                    consume(512)
                    state = .sawZeroBlock
                    continue
                }
                // While a body arrives in small chunks, the header parsed on the first call is reused.
                let (header, size): (Header, UInt64)
                if let waiting = headerAwaitingBody {
                    (header, size) = waiting
                } else {
                    header = try parseHeader(at: readIndex)
                    // A PAX `size` belongs to the file after the extended header, not to another extended header.
                    let describesNext = [UInt8(ascii: "x"), UInt8(ascii: "g"), UInt8(ascii: "L"), UInt8(ascii: "K")].contains(header.typeFlag)
                    size = describesNext ? header.size : (pendingSize ?? header.size)
                    guard size <= maximumEntrySize else {
                        throw .entryTooLarge(name: pendingPath ?? header.name, size: size, limit: maximumEntrySize)
                    }
                }
                let padded = Int((size + 511) / 512 * 512)
                guard available >= 512 + padded else {
                    headerAwaitingBody = (header, size)
                    return nil
                }
                headerAwaitingBody = nil
                let bodyStart = readIndex + 512
                let body = Array(buffer[bodyStart..<(bodyStart + Int(size))])
                let headerOffset = streamOffset
                consume(512 + padded)
                if let entry = try interpret(header, size: size, body: body, offset: headerOffset) {
                    return entry
                }
            }
        }
    }

    /// Declares the end of input. Throws `truncatedArchive` unless the end-of-archive marker was read
    /// and nothing is left over; call it after `nextEntry()` returned nil.
    public mutating func finish() throws(TarError) {
        switch state {
        case .ended:
            return
        case .sawZeroBlock:
            // Go's reader also accepts a single zero block followed by the end of input.
            guard buffer.count - readIndex == 0 else { throw .truncatedArchive }
            state = .ended
        case .headers:
            throw .truncatedArchive
        }
    }

    // MARK: - Headers

    private struct Header {
        var name: String
        var rawName: [UInt8]
        var size: UInt64
        var mode: UInt32
        var modificationTime: Int64
        var typeFlag: UInt8
    }

    private mutating func consume(_ count: Int) {
        readIndex += count
        streamOffset += UInt64(count)
    }

    private func isZeroBlock(at index: Int) -> Bool {
        buffer.withUnsafeBufferPointer { all in
            all[index..<(index + 512)].allSatisfy { $0 == 0 }
        }
    }

    private func parseHeader(at index: Int) throws(TarError) -> Header {
        let offset = streamOffset
        let block = buffer[index..<(index + 512)]
        func field(_ start: Int, _ length: Int) -> ArraySlice<UInt8> { block[(index + start)..<(index + start + length)] }

        // Checksum first: a header that fails it says nothing trustworthy about sizes or names.
        let stored = try Self.parseNumber(field(148, 8), offset: offset, field: "checksum")
        var unsigned: Int64 = 0
        var signed: Int64 = 0
        for (position, byte) in block.enumerated() {
            let value = (148..<156).contains(position) ? UInt8(ascii: " ") : byte
            unsigned += Int64(value)
            signed += Int64(Int8(bitPattern: value))
        }
        guard stored == unsigned || stored == signed else { throw .badHeaderChecksum(offset: offset) }

        let magic = Array(field(257, 8))
        let isPOSIX = magic.starts(with: Array("ustar\u{0}".utf8))
        var rawName = Array(Self.cString(field(0, 100)))
        if isPOSIX {
            let prefix = Self.cString(field(345, 155))
            if !prefix.isEmpty { rawName = Array(prefix) + [UInt8(ascii: "/")] + rawName }
        }
        let size = try Self.parseNumber(field(124, 12), offset: offset, field: "size")
        let mode = try Self.parseNumber(field(100, 8), offset: offset, field: "mode")
        let mtime = try Self.parseNumber(field(136, 12), offset: offset, field: "mtime")
        guard size >= 0 else { throw .malformedHeader(offset: offset, reason: "negative size") }
        return Header(
            name: String(decoding: rawName, as: UTF8.self), rawName: rawName, size: UInt64(size),
            mode: UInt32(truncatingIfNeeded: mode), modificationTime: mtime, typeFlag: block[index + 156])
    }

    /// Applies one header and its body: returns an entry, or nil for headers that only describe the next one.
    private mutating func interpret(_ header: Header, size: UInt64, body: [UInt8], offset: UInt64) throws(TarError) -> TarEntry? {
        switch header.typeFlag {
        case UInt8(ascii: "x"):
            try applyPAX(body, offset: offset)
            return nil
        case UInt8(ascii: "g"):
            _ = try Self.parsePAXRecords(body, offset: offset)  // global defaults: validated, not applied
            return nil
        case UInt8(ascii: "L"):
            var name = body
            while name.last == 0 { name.removeLast() }
            pendingPath = try Self.decodeName(name)
            return nil
        case UInt8(ascii: "K"):
            return nil  // a long link target: the link entry after it is refused anyway
        default:
            break
        }

        let rawPath: String
        if let pendingPath {
            rawPath = pendingPath
        } else {
            rawPath = try Self.decodeName(header.rawName)
        }
        pendingPath = nil
        pendingSize = nil

        let isDirectory: Bool
        switch header.typeFlag {
        case UInt8(ascii: "0"), 0, UInt8(ascii: "7"):
            // V7 archives mark directories only with a trailing slash.
            isDirectory = rawPath.hasSuffix("/")
        case UInt8(ascii: "5"):
            isDirectory = true
        default:
            throw .unsupportedEntryType(name: rawPath, typeFlag: header.typeFlag)
        }
        let name = try TarEntryName.validate(rawPath)
        if isDirectory {
            guard includeDirectories, !name.isEmpty else { return nil }
            return TarEntry(name: name, kind: .directory, modificationTime: header.modificationTime, mode: header.mode, body: [])
        }
        guard !name.isEmpty else { throw .unsafeEntryName(name: rawPath, reason: "a file entry without a file name") }
        return TarEntry(name: name, kind: .regularFile, modificationTime: header.modificationTime, mode: header.mode, body: body)
    }

    private mutating func applyPAX(_ body: [UInt8], offset: UInt64) throws(TarError) {
        for (key, value) in try Self.parsePAXRecords(body, offset: offset) {
            switch key {
            case "path":
                pendingPath = try Self.decodeName(value)
            case "size":
                guard let text = String(validating: value, as: UTF8.self), let size = UInt64(text) else {
                    throw .malformedHeader(offset: offset, reason: "PAX size is not a number")
                }
                pendingSize = size
            default:
                if key.hasPrefix("GNU.sparse.") {
                    throw .unsupportedEntryType(name: pendingPath ?? "", typeFlag: UInt8(ascii: "S"))
                }
            }
        }
    }

    // MARK: - Field parsing

    /// Parses `"<length> <key>=<value>\n"` records; the length counts the whole record.
    static func parsePAXRecords(_ body: [UInt8], offset: UInt64) throws(TarError) -> [(String, [UInt8])] {
        var records: [(String, [UInt8])] = []
        var index = 0
        while index < body.count {
            if body[index] == 0 { break }  // some writers pad the extended header with NULs
            guard let space = body[index...].firstIndex(of: UInt8(ascii: " ")),
                let lengthText = String(validating: body[index..<space], as: UTF8.self),
                let length = Int(lengthText), length > 0, index + length <= body.count,
                body[index + length - 1] == UInt8(ascii: "\n")
            else {
                throw .malformedHeader(offset: offset, reason: "bad PAX record")
            }
            let record = body[(space + 1)..<(index + length - 1)]
            guard let equals = record.firstIndex(of: UInt8(ascii: "=")),
                let key = String(validating: record[record.startIndex..<equals], as: UTF8.self)
            else {
                throw .malformedHeader(offset: offset, reason: "bad PAX record")
            }
            records.append((key, Array(record[(equals + 1)...])))
            index += length
        }
        return records
    }

    /// Parses an octal (optionally space/NUL padded) or GNU base-256 numeric field.
    static func parseNumber(_ field: ArraySlice<UInt8>, offset: UInt64, field name: String) throws(TarError) -> Int64 {
        guard let first = field.first else { return 0 }
        if first & 0x80 != 0 {
            // Base-256: two's complement big-endian, the marker bit excluded for positive values.
            guard first != 0xFF else { throw .malformedHeader(offset: offset, reason: "negative \(name)") }
            var value: Int64 = Int64(first & 0x7F)
            for byte in field.dropFirst() {
                guard value <= (Int64.max >> 8) else { throw .malformedHeader(offset: offset, reason: "\(name) overflows") }
                value = value << 8 | Int64(byte)
            }
            return value
        }
        var value: Int64 = 0
        var seenDigit = false
        for byte in field {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                guard value <= (Int64.max >> 3) else { throw .malformedHeader(offset: offset, reason: "\(name) overflows") }
                value = value << 3 | Int64(byte - UInt8(ascii: "0"))
                seenDigit = true
            case UInt8(ascii: " "), 0:
                if seenDigit { return value }  // the terminator
            default:
                throw .malformedHeader(offset: offset, reason: "\(name) is not an octal number")
            }
        }
        return value
    }

    private static func cString(_ field: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard let nul = field.firstIndex(of: 0) else { return field }
        return field[field.startIndex..<nul]
    }

    private static func decodeName(_ bytes: [UInt8]) throws(TarError) -> String {
        guard let name = String(validating: bytes, as: UTF8.self) else {
            throw .unsafeEntryName(name: String(decoding: bytes, as: UTF8.self), reason: "not valid UTF-8")
        }
        if bytes.contains(0) { throw .unsafeEntryName(name: name, reason: "contains NUL") }
        return name
    }
}
