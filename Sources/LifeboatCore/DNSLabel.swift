/// The DNS-1123 label rule Kubernetes applies to namespaces and most object names, and that we apply to every
/// catalog name: the name doubles as a bucket prefix (`backups/<name>/`) and a Kubernetes label value.
public enum DNSLabel {
    /// The longest label DNS (and therefore Kubernetes) allows.
    public static let maximumLength = 63

    /// Whether `value` is 1–63 characters of `[a-z0-9-]`, starting and ending with an alphanumeric.
    public static func isValid(_ value: String) -> Bool {
        reasonInvalid(value) == nil
    }

    /// Why `value` is not a DNS-1123 label, in words a user can act on; `nil` when it is one.
    public static func reasonInvalid(_ value: String) -> String? {
        let bytes = Array(value.utf8)
        if bytes.isEmpty { return "must not be empty" }
        if bytes.count > maximumLength { return "must be no more than \(maximumLength) characters" }
        for byte in bytes where !(isLowerAlphanumeric(byte) || byte == UInt8(ascii: "-")) {
            return "must consist of lower case alphanumeric characters or '-'"
        }
        if !isLowerAlphanumeric(bytes[0]) || !isLowerAlphanumeric(bytes[bytes.count - 1]) {
            return "must start and end with an alphanumeric character"
        }
        return nil
    }

    /// Throws `invalidArgument` naming `field` when `value` is not a label.
    public static func validate(_ value: String, field: String) throws(LifeboatError) {
        if let reason = reasonInvalid(value) {
            throw .invalidArgument(field: field, reason: "'\(value.prefix(80))' is not a DNS-1123 label: \(reason)")
        }
    }

    static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
