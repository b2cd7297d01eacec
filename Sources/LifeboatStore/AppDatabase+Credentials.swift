import Foundation
import GRDB
import LifeboatCore

/// Sealed credentials: opaque bytes keyed by id. The store never sees plaintext; `CredentialSealer` in the server
/// seals before and opens after.
extension AppDatabase {
    /// The sealed bytes of a credential; `.notFound` when absent.
    public func sealedCredential(_ id: CredentialID) async throws -> SealedCredential {
        try await writer.read { db in
            guard let box = try Data.fetchOne(db, sql: "SELECT sealedBox FROM credential WHERE id = ?", arguments: [id.description]) else {
                throw LifeboatError.notFound(kind: "credential", name: id.description)
            }
            return SealedCredential(id: id, sealedBox: box)
        }
    }

    static func insertCredential(_ credential: SealedCredential, now: Date, in db: Database) throws {
        try db.execute(sql: "INSERT INTO credential (id, sealedBox, createdAt) VALUES (?, ?, ?)",
                       arguments: [credential.id.description, credential.sealedBox, now])
    }

    static func deleteCredential(_ id: CredentialID?, in db: Database) throws {
        guard let id else { return }
        try db.execute(sql: "DELETE FROM credential WHERE id = ?", arguments: [id.description])
    }

    /// Checks that the object's credential reference and the sealed credential agree.
    static func checkCredential(_ reference: CredentialID?, _ credential: SealedCredential?, field: String) throws {
        if let credential, reference != credential.id {
            throw LifeboatError.invalidArgument(field: field, reason: "does not name the credential supplied with the request")
        }
        if credential == nil, reference != nil {
            throw LifeboatError.invalidArgument(field: field, reason: "refers to a credential that was not supplied")
        }
    }

    /// Whether a credential row exists, for tests and consistency checks.
    public func credentialExists(_ id: CredentialID) async throws -> Bool {
        try await writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM credential WHERE id = ?)", arguments: [id.description]) ?? false
        }
    }
}
