import GRDB

extension AppDatabase {
    /// Append-only: a migration that has shipped is never edited; changes go in a new `"v<N>-<what>"` migration.
    ///
    /// Objects are stored as indexed columns (what lists filter and sort on) plus JSON documents for metadata,
    /// spec and status, so a new spec field needs no schema change.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1-objects") { db in
            /// The columns every object table shares; `labels` is a JSON object queried with `json_extract`.
            func objectColumns(_ t: TableDefinition) {
                t.primaryKey("name", .text)
                t.column("uid", .text).notNull().unique()
                t.column("createdAt", .datetime).notNull()
                t.column("phase", .text)
                t.column("labels", .text).notNull().defaults(to: "{}")
                t.column("metadata", .text).notNull()
                t.column("spec", .text).notNull()
                t.column("status", .text).notNull()
            }
            try db.create(table: "cluster") { t in objectColumns(t) }
            try db.create(table: "backupStorageLocation") { t in
                objectColumns(t)
                t.column("isDefault", .boolean).notNull().defaults(to: false)
            }
            try db.create(table: "backup") { t in
                objectColumns(t)
                t.column("cluster", .text).notNull()
                t.column("location", .text)
                t.column("schedule", .text)
            }
            try db.create(table: "restore") { t in
                objectColumns(t)
                t.column("cluster", .text)
                t.column("backup", .text)
            }
            try db.create(table: "schedule") { t in
                objectColumns(t)
                t.column("cluster", .text).notNull()
            }
            // Lists page by name and filter by cluster or phase: composite indexes keep a filtered page an index range scan.
            for table in ["cluster", "backupStorageLocation", "backup", "restore", "schedule"] {
                try db.create(index: "\(table)_on_phase_name", on: table, columns: ["phase", "name"])
            }
            for table in ["backup", "restore", "schedule"] {
                try db.create(index: "\(table)_on_cluster_name", on: table, columns: ["cluster", "name"])
            }
            try db.create(index: "backup_on_location", on: "backup", columns: ["location"])
            try db.create(index: "backup_on_schedule_createdAt", on: "backup", columns: ["schedule", "createdAt"])
            try db.create(index: "restore_on_backup", on: "restore", columns: ["backup"])
        }

        migrator.registerMigration("v2-credential") { db in
            try db.create(table: "credential") { t in
                t.primaryKey("id", .text)
                t.column("sealedBox", .blob).notNull()  // AES-GCM combined; the plaintext never reaches SQLite
                t.column("createdAt", .datetime).notNull()
            }
        }

        migrator.registerMigration("v3-token") { db in
            try db.create(table: "token") { t in
                t.primaryKey("name", .text)
                t.column("hash", .text).notNull().unique()  // hex SHA-256 of the secret; the secret is never stored
                t.column("role", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("lastUsedAt", .datetime)
                t.column("revokedAt", .datetime)
            }
        }

        migrator.registerMigration("v4-job") { db in
            try db.create(table: "job") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull()
                t.column("target", .text).notNull()
                t.column("state", .text).notNull()
                t.column("attempt", .integer).notNull().defaults(to: 0)
                t.column("leaseOwner", .text)
                t.column("leaseExpiresAt", .datetime)
                t.column("heartbeatAt", .datetime)
                t.column("progress", .text)
                t.column("error", .text)
                t.column("cancelRequested", .boolean).notNull().defaults(to: false)
                t.column("createdAt", .datetime).notNull()
                t.column("dueAt", .datetime).notNull()
                t.column("startedAt", .datetime)
                t.column("finishedAt", .datetime)
            }
            // The claim query: oldest due queued job. The lease query: running jobs by expiry.
            try db.create(index: "job_on_state_dueAt", on: "job", columns: ["state", "dueAt", "id"])
            try db.create(index: "job_on_state_leaseExpiresAt", on: "job", columns: ["state", "leaseExpiresAt"])
            try db.create(index: "job_on_kind_target", on: "job", columns: ["kind", "target", "id"])
        }
        migrator.registerMigration("v5-revision") { db in
            // Every write of an object bumps its revision (`ObjectRows.update`), so a rendering of one revision can
            // be reused until the object changes; a recreated object starts again at 1 under a new uid.
            for table in ["cluster", "backupStorageLocation", "backup", "restore", "schedule"] {
                try db.alter(table: table) { t in t.add(column: "revision", .integer).notNull().defaults(to: 1) }
            }
        }
        return migrator
    }
}
