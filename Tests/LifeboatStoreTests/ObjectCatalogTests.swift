import Foundation
import LifeboatCore
@testable import LifeboatStore
import Testing

@Suite struct ObjectCatalogTests {
    @Test func createBackupStoresPhaseNewAndEnqueuesItsJob() async throws {
        let database = try await StoreFixture.seededDatabase()
        let (backup, job) = try await database.createBackup(StoreFixture.backup("nightly"), now: StoreFixture.epoch)
        #expect(backup.status.phase == .new)
        #expect(backup.spec.storageLocation?.rawValue == "default")  // the default location is filled in
        #expect(backup.metadata.labels[Backup.storageLocationLabel] == "default")
        #expect(job.kind == .backup && job.target == "nightly" && job.state == .queued)
        #expect(try await database.backup(named: BackupName("nightly")) == backup)
        #expect(try await database.latestJob(kind: .backup, target: "nightly") == job)
    }

    @Test func duplicateNameIsAlreadyExistsAndEnqueuesNothing() async throws {
        let database = try await StoreFixture.seededDatabase()
        _ = try await database.createBackup(StoreFixture.backup("nightly"))
        await #expect(throws: LifeboatError.alreadyExists(kind: "backup", name: "nightly")) {
            try await database.createBackup(StoreFixture.backup("nightly"))
        }
        #expect(try await database.jobs(kind: .backup).count == 1)  // the failed create rolled back its job
    }

    @Test func missingObjectsAreNotFound() async throws {
        let database = try AppDatabase.inMemory()
        await #expect(throws: LifeboatError.notFound(kind: "backup", name: "nope")) { try await database.backup(named: BackupName("nope")) }
        await #expect(throws: LifeboatError.notFound(kind: "cluster", name: "nope")) { try await database.cluster(named: ClusterName("nope")) }
        await #expect(throws: LifeboatError.notFound(kind: "schedule", name: "nope")) { try await database.deleteSchedule(named: ScheduleName("nope")) }
        await #expect(throws: LifeboatError.notFound(kind: "job", name: "42")) { try await database.job(JobID(42)) }
    }

    @Test func backupReferencesAreChecked() async throws {
        let database = try await StoreFixture.seededDatabase()
        await #expect(throws: LifeboatError.invalidArgument(field: "spec.cluster", reason: "cluster 'elsewhere' is not registered")) {
            try await database.createBackup(StoreFixture.backup("a", cluster: "elsewhere"))
        }
        await #expect(throws: LifeboatError.invalidArgument(field: "spec.storageLocation", reason: "backup location 'nowhere' does not exist")) {
            try await database.createBackup(StoreFixture.backup("a", location: "nowhere"))
        }
        _ = try await database.createLocation(StoreFixture.location("archive", isDefault: false, accessMode: .readOnly), credential: nil)
        await #expect(throws: LifeboatError.invalidArgument(field: "spec.storageLocation", reason: "backup location 'archive' is ReadOnly")) {
            try await database.createBackup(StoreFixture.backup("a", location: "archive"))
        }
        var invalid = StoreFixture.backup("a")
        invalid.spec.ttl = "forever"
        await #expect(throws: LifeboatError.self) { try await database.createBackup(invalid) }
    }

    @Test func withoutDefaultLocationABackupMustNameOne() async throws {
        let database = try AppDatabase.inMemory()
        _ = try await database.createCluster(StoreFixture.cluster(), credential: nil)
        await #expect(throws: LifeboatError.invalidArgument(field: "spec.storageLocation", reason: "no location given and no default location is set")) {
            try await database.createBackup(StoreFixture.backup("a"))
        }
    }

    @Test func onlyOneDefaultLocationSurvives() async throws {
        let database = try await StoreFixture.seededDatabase()
        _ = try await database.createLocation(StoreFixture.location("second", isDefault: true), credential: nil)
        #expect(try await database.defaultLocation()?.name.rawValue == "second")
        #expect(try await database.location(named: LocationName("default")).spec.default == false)
    }

    @Test func statusUpdatesAreStoredAndIndexed() async throws {
        let database = try await StoreFixture.seededDatabase()
        _ = try await database.createBackup(StoreFixture.backup("a"))
        var status = BackupStatus(phase: .completed)
        status.warnings = 2
        status.completionTimestamp = StoreFixture.epoch
        try await database.updateBackupStatus(BackupName("a"), status)
        #expect(try await database.backup(named: BackupName("a")).status == status)
        #expect(try await database.backups(ListOptions(phase: "Completed")).items.map(\.name.rawValue) == ["a"])
        #expect(try await database.backups(ListOptions(phase: "New")).items.isEmpty)
        let cluster = try await database.updateClusterStatus(ClusterName("prod"), ClusterStatus(phase: .ready, kubernetesVersion: "v1.31.0"))
        #expect(cluster.status.kubernetesVersion == "v1.31.0")
        #expect(try await database.clusters(ListOptions(phase: "Ready")).items.count == 1)
    }

    @Test func restoreResolvesItsSourceAndTargetCluster() async throws {
        let database = try await StoreFixture.seededDatabase()
        _ = try await database.createBackup(StoreFixture.backup("nightly"))
        await #expect(throws: LifeboatError.self) { try await database.createRestore(StoreFixture.restore("r1", from: "nightly")) }
        try await StoreFixture.complete("nightly", in: database)
        let (restore, job) = try await database.createRestore(StoreFixture.restore("r1", from: "nightly"))
        #expect(restore.spec.cluster?.rawValue == "prod")
        #expect(restore.status.phase == .new)
        #expect(job.kind == .restore && job.target == "r1")
        await #expect(throws: LifeboatError.invalidArgument(field: "spec.backupName", reason: "backup 'missing' does not exist")) {
            try await database.createRestore(StoreFixture.restore("r2", from: "missing"))
        }
    }

    @Test func restoreFromScheduleUsesItsLatestCompletedBackup() async throws {
        let database = try await StoreFixture.seededDatabase()
        _ = try await database.createSchedule(StoreFixture.schedule("daily"), now: StoreFixture.epoch)
        let (first, _) = try await database.createScheduledBackup(ScheduleName("daily"), now: StoreFixture.epoch)
        try await StoreFixture.complete(first.name.rawValue, in: database)
        let (second, _) = try await database.createScheduledBackup(ScheduleName("daily"), now: StoreFixture.epoch.addingTimeInterval(86_400))
        try await StoreFixture.complete(second.name.rawValue, in: database)
        var restore = StoreFixture.restore("from-schedule", from: "x")
        restore.spec.backupName = nil
        restore.spec.scheduleName = try ScheduleName("daily")
        let (created, _) = try await database.createRestore(restore)
        #expect(created.spec.backupName == second.name)
    }

    @Test func scheduledBackupsDoNotStack() async throws {
        let database = try await StoreFixture.seededDatabase()
        let schedule = try await database.createSchedule(StoreFixture.schedule("daily"), now: StoreFixture.epoch)
        #expect(schedule.status.phase == .enabled)
        #expect(schedule.status.nextRun == StoreFixture.epoch.addingTimeInterval(0).nextCronRun("0 1 * * *"))
        let (backup, job) = try await database.createScheduledBackup(ScheduleName("daily"), now: StoreFixture.epoch)
        #expect(backup.name.rawValue.hasPrefix("daily-"))
        #expect(backup.metadata.labels[Backup.scheduleNameLabel] == "daily")
        #expect(job.target == backup.name.rawValue)
        #expect(try await database.schedule(named: ScheduleName("daily")).status.lastBackup == StoreFixture.epoch)
        await #expect(throws: LifeboatError.self) {
            try await database.createScheduledBackup(ScheduleName("daily"), now: StoreFixture.epoch.addingTimeInterval(3600))
        }
        let paused = try await database.setSchedulePaused(ScheduleName("daily"), paused: true)
        #expect(paused.spec.paused && paused.status.nextRun == nil)
    }

    @Test func backupDeletionIsAJobAndRefusedWhileRunning() async throws {
        let database = try await StoreFixture.seededDatabase()
        _ = try await database.createBackup(StoreFixture.backup("a"))
        await #expect(throws: LifeboatError.self) { try await database.requestBackupDeletion(BackupName("a")) }
        try await StoreFixture.complete("a", in: database)
        let (deleting, job) = try await database.requestBackupDeletion(BackupName("a"))
        #expect(deleting.status.phase == .deleting && job.kind == .backupDeletion)
        let (_, again) = try await database.requestBackupDeletion(BackupName("a"))
        #expect(again.id == job.id)  // idempotent
        try await database.deleteBackup(named: BackupName("a"))
        await #expect(throws: LifeboatError.notFound(kind: "backup", name: "a")) { try await database.backup(named: BackupName("a")) }
    }

    @Test func clusterDeletionRemovesItsCredentialAndRespectsSchedules() async throws {
        let database = try AppDatabase.inMemory()
        let credential = SealedCredential(id: CredentialID(), sealedBox: Data([1, 2, 3]))
        let (_, job) = try await database.createCluster(StoreFixture.cluster(credential: credential.id), credential: credential)
        #expect(job.kind == .clusterCheck && job.target == "prod")
        #expect(try await database.sealedCredential(credential.id) == credential)
        _ = try await database.createLocation(StoreFixture.location(), credential: nil)
        _ = try await database.createSchedule(StoreFixture.schedule("daily"))
        await #expect(throws: LifeboatError.self) { try await database.deleteCluster(named: ClusterName("prod")) }
        try await database.deleteSchedule(named: ScheduleName("daily"))
        try await database.deleteCluster(named: ClusterName("prod"))
        #expect(try await !database.credentialExists(credential.id))
    }

    @Test func credentialReferenceMustMatch() async throws {
        let database = try AppDatabase.inMemory()
        let credential = SealedCredential(id: CredentialID(), sealedBox: Data([1]))
        await #expect(throws: LifeboatError.self) {
            try await database.createCluster(StoreFixture.cluster(credential: CredentialID()), credential: credential)
        }
        await #expect(throws: LifeboatError.self) {
            try await database.createCluster(StoreFixture.cluster(credential: credential.id), credential: nil)
        }
    }

    @Test func locationSpecUpdateReplacesTheCredential() async throws {
        let database = try AppDatabase.inMemory()
        let old = SealedCredential(id: CredentialID(), sealedBox: Data([1]))
        var location = StoreFixture.location()
        location.spec.credential = old.id
        _ = try await database.createLocation(location, credential: old)
        let new = SealedCredential(id: CredentialID(), sealedBox: Data([2]))
        var spec = location.spec
        spec.credential = new.id
        spec.accessMode = .readOnly
        let (updated, job) = try await database.updateLocationSpec(location.name, spec: spec, credential: new)
        #expect(updated.spec.accessMode == .readOnly && job.kind == .locationValidation)
        #expect(try await !database.credentialExists(old.id))
        #expect(try await database.sealedCredential(new.id) == new)
    }

    @Test func locationDeletionRemovesItsFinishedBackups() async throws {
        let database = try await StoreFixture.seededDatabase()
        _ = try await database.createBackup(StoreFixture.backup("a"))
        await #expect(throws: LifeboatError.self) { try await database.deleteLocation(named: LocationName("default")) }
        try await StoreFixture.complete("a", in: database)
        try await database.deleteLocation(named: LocationName("default"))
        #expect(try await database.backups().items.isEmpty)
    }

    @Test func restoresAreDeletedWithTheirBackup() async throws {
        let database = try await StoreFixture.seededDatabase()
        _ = try await database.createBackup(StoreFixture.backup("a"))
        try await StoreFixture.complete("a", in: database)
        _ = try await database.createRestore(StoreFixture.restore("r", from: "a"))
        await #expect(throws: LifeboatError.self) { try await database.deleteRestore(named: RestoreName("r")) }  // still New
        try await database.deleteBackup(named: BackupName("a"))
        #expect(try await database.restores().items.isEmpty)
    }
}

extension Date {
    func nextCronRun(_ expression: String) -> Date? { try? CronSchedule(expression).nextRun(after: self) }
}
