import Crypto
import LifeboatKube

/// The generic reset every restored item goes through (`velero-reference.md` §6.1), and the live copy too before
/// it is compared with the backed-up one: what the source cluster's API server assigned is dropped, what the
/// owner wrote is kept.
public enum ItemReset {
    /// The label naming the backup a restored object came from.
    public static let backupNameLabel = "velero.io/backup-name"
    /// The label naming the restore that created an object.
    public static let restoreNameLabel = "velero.io/restore-name"

    /// Metadata the source API server assigned. `ownerReferences` is among them because the owners' UIDs do not
    /// exist in the target cluster, and a garbage collector would delete what points at a missing owner.
    static let serverSetMetadata = [
        "generateName", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
        "deletionGracePeriodSeconds", "ownerReferences",
    ]

    /// Removes server-assigned metadata; labels, annotations, finalizers and `managedFields` stay, as in Velero's
    /// `resetMetadata` (Velero patches `managedFields` back after create, so they are part of what is restored).
    public static func resetMetadata(_ object: inout JSONValue) {
        guard case .object(var metadata)? = object["metadata"] else { return }
        for key in serverSetMetadata { metadata.removeValue(forKey: key) }
        object["metadata"] = .object(metadata)
    }

    /// Removes `status` and returns it (nil when there was none): the API server ignores a status sent with a
    /// create, so it is applied afterwards through the status subresource, and only when the restore asks for it.
    public static func takeStatus(_ object: inout JSONValue) -> JSONValue? {
        guard case .object(var members) = object, let status = members.removeValue(forKey: "status") else { return nil }
        object = .object(members)
        return status
    }

    /// Labels the object with the backup and restore it comes from, so a restore's objects can be found (and
    /// removed) by label. Values longer than a label allows are shortened with `validLabelValue(_:)`.
    /// - Parameters:
    ///   - object: A Kubernetes object; `metadata` and `metadata.labels` are created when missing.
    ///   - backupName: The backup restored from.
    ///   - restoreName: The restore running.
    public static func addRestoreLabels(_ object: inout JSONValue, backupName: String, restoreName: String) {
        guard case .object(var members) = object else { return }
        var metadata = members["metadata"]?.objectValue ?? [:]
        var labels = metadata["labels"]?.objectValue ?? [:]
        labels[backupNameLabel] = .string(validLabelValue(backupName))
        labels[restoreNameLabel] = .string(validLabelValue(restoreName))
        metadata["labels"] = .object(labels)
        members["metadata"] = .object(metadata)
        object = .object(members)
    }

    /// The longest a label value may be (a DNS-1035 label).
    public static let maximumLabelValueLength = 63

    /// Velero's `label.GetValidName`: a value over 63 bytes becomes its first 57 bytes followed by the first 6 hex
    /// digits of its SHA-256, so long names stay distinct and a restore of the same backup gets the same value.
    /// Backup and restore names are normally DNS-1123 labels already, which this leaves unchanged.
    public static func validLabelValue(_ value: String) -> String {
        let bytes = Array(value.utf8)
        guard bytes.count > maximumLabelValueLength else { return value }
        let digest = SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
        let keptBytes = maximumLabelValueLength - 6
        return String(decoding: bytes.prefix(keptBytes), as: UTF8.self) + digest.prefix(6)
    }
}
