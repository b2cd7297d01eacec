/// The write-only part of a backup storage location: S3 keys, or an AWS shared-credentials file's content
/// and the profile to use from it (Velero's `--secret-file`). Sealed at rest.
struct StorageSecret: Codable, Sendable {
    var awsSharedCredentials: String?
    var profile: String?
    var accessKeyId: String?
    var secretAccessKey: String?
    var sessionToken: String?
}
