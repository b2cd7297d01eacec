extension Sequence<UInt8> {
    /// Lower-case hexadecimal, two digits per byte: how digests are written into the catalog, ETags and Velero's
    /// files. One table lookup per nibble; formatting each byte with `String(_:radix:)` allocated a string per byte,
    /// which showed up in profiles of token authentication on every request.
    public var lowercaseHex: String {
        let digits: StaticString = "0123456789abcdef"
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        digits.withUTF8Buffer { digits in
            for byte in self {
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 0x0f)])
            }
        }
        return String(decoding: text, as: UTF8.self)
    }
}
