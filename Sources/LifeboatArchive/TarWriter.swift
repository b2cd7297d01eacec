import Foundation

/// Writes a tar stream of regular files exactly as Velero's backup writer (Go `archive/tar`) does.
///
/// Every entry is a regular file with mode 0755, uid/gid 0, no user or group names and the given
/// modification time; there are no directory entries. Names that fit USTAR's 100-byte name plus
/// 155-byte prefix are written as plain USTAR headers; longer or non-ASCII names get a PAX `x` header
/// carrying `path`, as Go does. Bodies are in memory per entry (items are small JSON documents); the
/// stream as a whole never is: each call returns only that entry's bytes.
///
/// ```swift
/// var tar = TarWriter(modificationTime: .now)
/// var out: [UInt8] = []
/// try tar.appendFile(name: "metadata/version", contents: Array("1.1.0\n".utf8), to: &out)
/// tar.finish(to: &out)
/// ```
public struct TarWriter: Sendable {
    /// Seconds since 1970 written into every header (Go rounds to whole seconds for USTAR too).
    public let modificationTime: Int64
    /// Bytes produced so far, including padding and, after `finish`, the end-of-archive blocks.
    public private(set) var bytesWritten: UInt64 = 0
    /// Number of file entries written.
    public private(set) var entryCount = 0
    private var finished = false

    /// Creates a writer.
    /// - Parameter modificationTime: the time stamped on every entry (Velero uses the write time).
    public init(modificationTime: Date) {
        self.modificationTime = max(0, Int64(modificationTime.timeIntervalSince1970.rounded()))
    }

    /// Appends one regular-file entry (header(s), body, padding) to `output`.
    ///
    /// - Throws: `TarError.unsafeEntryName` for names a safe reader would refuse, so we never write them.
    public mutating func appendFile(name: String, contents: UnsafeRawBufferPointer, to output: inout [UInt8]) throws(TarError) {
        guard !finished else { throw .alreadyFinished }
        let normalized = try TarEntryName.validate(name)
        guard normalized == name else {
            throw .unsafeEntryName(name: name, reason: "not in canonical form (expected \"\(normalized)\")")
        }
        let size = UInt64(contents.count)
        let start = output.count
        let nameBytes = Array(name.utf8)
        let isASCII = nameBytes.allSatisfy { $0 < 0x80 }
        let split = isASCII ? Self.splitUSTAR(nameBytes) : nil
        let sizeFits = size <= 0o77777777777

        if split == nil || !sizeFits {
            var records: [UInt8] = []
            if split == nil { Self.appendPAXRecord(key: "path", value: nameBytes, to: &records) }
            if !sizeFits { Self.appendPAXRecord(key: "size", value: Array(String(size).utf8), to: &records) }
            // Go names the extended header "<dir>/PaxHeaders.0/<file>"; the name only matters to
            // readers without PAX support, which then see a harmless file.
            let base = nameBytes.split(separator: UInt8(ascii: "/")).last.map(Array.init) ?? []
            let paxName = Array("PaxHeaders.0/".utf8) + base.prefix(100 - 13).filter { $0 < 0x80 }
            appendHeader(name: paxName, prefix: [], size: UInt64(records.count), typeFlag: UInt8(ascii: "x"), to: &output)
            output.append(contentsOf: records)
            Self.pad(&output, bodySize: records.count)
        }
        let (headerName, headerPrefix) = split ?? (Array(nameBytes.prefix(100).filter { $0 < 0x80 }), [])
        appendHeader(name: headerName, prefix: headerPrefix, size: sizeFits ? size : 0, typeFlag: UInt8(ascii: "0"), to: &output)
        output.append(contentsOf: contents)
        Self.pad(&output, bodySize: contents.count)
        bytesWritten += UInt64(output.count - start)
        entryCount += 1
    }

    /// Appends one regular-file entry whose body is `contents` (an array, `Data`, a slice).
    public mutating func appendFile(name: String, contents: some ContiguousBytes, to output: inout [UInt8]) throws(TarError) {
        let result: Result<Void, TarError> = contents.withUnsafeBytes { buffer in
            do throws(TarError) {
                try appendFile(name: name, contents: buffer, to: &output)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Appends the two zero blocks that end a tar archive. Nothing may be appended afterwards.
    public mutating func finish(to output: inout [UInt8]) {
        guard !finished else { return }
        finished = true
        output.append(contentsOf: repeatElement(0, count: 1024))
        bytesWritten += 1024
    }

    // MARK: - Header encoding

    private func appendHeader(name: [UInt8], prefix: [UInt8], size: UInt64, typeFlag: UInt8, to output: inout [UInt8]) {
        var header = [UInt8](repeating: 0, count: 512)
        header.replaceSubrange(0..<name.count, with: name)
        Self.writeOctal(0o755, into: &header, at: 100, width: 8)
        Self.writeOctal(0, into: &header, at: 108, width: 8)  // uid
        Self.writeOctal(0, into: &header, at: 116, width: 8)  // gid
        Self.writeOctal(size, into: &header, at: 124, width: 12)
        Self.writeOctal(UInt64(modificationTime), into: &header, at: 136, width: 12)
        header[156] = typeFlag
        header.replaceSubrange(257..<265, with: Array("ustar\u{0}00".utf8))
        Self.writeOctal(0, into: &header, at: 329, width: 8)  // devmajor
        Self.writeOctal(0, into: &header, at: 337, width: 8)  // devminor
        header.replaceSubrange(345..<(345 + prefix.count), with: prefix)
        // The checksum is computed with its own field read as eight spaces.
        header.replaceSubrange(148..<156, with: repeatElement(UInt8(ascii: " "), count: 8))
        let checksum = header.reduce(UInt64(0)) { $0 + UInt64($1) }
        Self.writeOctal(checksum, into: &header, at: 148, width: 7)
        header[155] = UInt8(ascii: " ")
        output.append(contentsOf: header)
    }

    /// Writes `value` as zero-padded octal digits followed by one NUL, filling `width` bytes.
    static func writeOctal(_ value: UInt64, into header: inout [UInt8], at offset: Int, width: Int) {
        var remaining = value
        var index = offset + width - 2
        while index >= offset {
            header[index] = UInt8(ascii: "0") + UInt8(remaining & 7)
            remaining >>= 3
            index -= 1
        }
        header[offset + width - 1] = 0
    }

    /// Splits a name into USTAR's (name ≤ 100, prefix ≤ 155) at a `/`, or nil when it cannot fit.
    ///
    /// Same choice as Go's `splitUSTARPath`: the last slash within the first 156 bytes.
    static func splitUSTAR(_ name: [UInt8]) -> (name: [UInt8], prefix: [UInt8])? {
        if name.count <= 100 { return (name, []) }
        let searchEnd = min(name.count, 156)
        guard let slash = name[..<searchEnd].lastIndex(of: UInt8(ascii: "/")), slash > 0 else { return nil }
        let suffixLength = name.count - slash - 1
        guard suffixLength > 0, suffixLength <= 100, slash <= 155 else { return nil }
        return (Array(name[(slash + 1)...]), Array(name[..<slash]))
    }

    /// Appends one PAX record, `"<len> <key>=<value>\n"`, whose length counts its own digits.
    static func appendPAXRecord(key: String, value: [UInt8], to records: inout [UInt8]) {
        let body = 1 + key.utf8.count + 1 + value.count + 1  // " " key "=" value "\n"
        var length = body + String(body).utf8.count
        if String(length).utf8.count != String(body).utf8.count { length = body + String(length).utf8.count }
        records.append(contentsOf: String(length).utf8)
        records.append(UInt8(ascii: " "))
        records.append(contentsOf: key.utf8)
        records.append(UInt8(ascii: "="))
        records.append(contentsOf: value)
        records.append(UInt8(ascii: "\n"))
    }

    private static func pad(_ output: inout [UInt8], bodySize: Int) {
        let remainder = bodySize % 512
        if remainder != 0 { output.append(contentsOf: repeatElement(0, count: 512 - remainder)) }
    }
}
