import LifeboatAPI
import LifeboatCore

/// Every operation answers 503 unless a test's API type implements it: tests implement only what they exercise.
extension APIProtocol {
    func getServerStatus(_ input: Operations.GetServerStatus.Input) async throws -> Operations.GetServerStatus.Output {
        throw LifeboatError.unavailable(dependency: "getServerStatus in this test API")
    }
    func listClusters(_ input: Operations.ListClusters.Input) async throws -> Operations.ListClusters.Output {
        throw LifeboatError.unavailable(dependency: "listClusters in this test API")
    }
    func createCluster(_ input: Operations.CreateCluster.Input) async throws -> Operations.CreateCluster.Output {
        throw LifeboatError.unavailable(dependency: "createCluster in this test API")
    }
    func getCluster(_ input: Operations.GetCluster.Input) async throws -> Operations.GetCluster.Output {
        throw LifeboatError.unavailable(dependency: "getCluster in this test API")
    }
    func deleteCluster(_ input: Operations.DeleteCluster.Input) async throws -> Operations.DeleteCluster.Output {
        throw LifeboatError.unavailable(dependency: "deleteCluster in this test API")
    }
    func listBackupStorageLocations(_ input: Operations.ListBackupStorageLocations.Input) async throws -> Operations.ListBackupStorageLocations.Output {
        throw LifeboatError.unavailable(dependency: "listBackupStorageLocations in this test API")
    }
    func createBackupStorageLocation(_ input: Operations.CreateBackupStorageLocation.Input) async throws -> Operations.CreateBackupStorageLocation.Output {
        throw LifeboatError.unavailable(dependency: "createBackupStorageLocation in this test API")
    }
    func getBackupStorageLocation(_ input: Operations.GetBackupStorageLocation.Input) async throws -> Operations.GetBackupStorageLocation.Output {
        throw LifeboatError.unavailable(dependency: "getBackupStorageLocation in this test API")
    }
    func replaceBackupStorageLocation(_ input: Operations.ReplaceBackupStorageLocation.Input) async throws -> Operations.ReplaceBackupStorageLocation.Output {
        throw LifeboatError.unavailable(dependency: "replaceBackupStorageLocation in this test API")
    }
    func deleteBackupStorageLocation(_ input: Operations.DeleteBackupStorageLocation.Input) async throws -> Operations.DeleteBackupStorageLocation.Output {
        throw LifeboatError.unavailable(dependency: "deleteBackupStorageLocation in this test API")
    }
    func listBackups(_ input: Operations.ListBackups.Input) async throws -> Operations.ListBackups.Output {
        throw LifeboatError.unavailable(dependency: "listBackups in this test API")
    }
    func createBackup(_ input: Operations.CreateBackup.Input) async throws -> Operations.CreateBackup.Output {
        throw LifeboatError.unavailable(dependency: "createBackup in this test API")
    }
    func getBackup(_ input: Operations.GetBackup.Input) async throws -> Operations.GetBackup.Output {
        throw LifeboatError.unavailable(dependency: "getBackup in this test API")
    }
    func deleteBackup(_ input: Operations.DeleteBackup.Input) async throws -> Operations.DeleteBackup.Output {
        throw LifeboatError.unavailable(dependency: "deleteBackup in this test API")
    }
    func getBackupLogs(_ input: Operations.GetBackupLogs.Input) async throws -> Operations.GetBackupLogs.Output {
        throw LifeboatError.unavailable(dependency: "getBackupLogs in this test API")
    }
    func getBackupResources(_ input: Operations.GetBackupResources.Input) async throws -> Operations.GetBackupResources.Output {
        throw LifeboatError.unavailable(dependency: "getBackupResources in this test API")
    }
    func getBackupResults(_ input: Operations.GetBackupResults.Input) async throws -> Operations.GetBackupResults.Output {
        throw LifeboatError.unavailable(dependency: "getBackupResults in this test API")
    }
    func downloadBackup(_ input: Operations.DownloadBackup.Input) async throws -> Operations.DownloadBackup.Output {
        throw LifeboatError.unavailable(dependency: "downloadBackup in this test API")
    }
    func cancelBackup(_ input: Operations.CancelBackup.Input) async throws -> Operations.CancelBackup.Output {
        throw LifeboatError.unavailable(dependency: "cancelBackup in this test API")
    }
    func listRestores(_ input: Operations.ListRestores.Input) async throws -> Operations.ListRestores.Output {
        throw LifeboatError.unavailable(dependency: "listRestores in this test API")
    }
    func createRestore(_ input: Operations.CreateRestore.Input) async throws -> Operations.CreateRestore.Output {
        throw LifeboatError.unavailable(dependency: "createRestore in this test API")
    }
    func getRestore(_ input: Operations.GetRestore.Input) async throws -> Operations.GetRestore.Output {
        throw LifeboatError.unavailable(dependency: "getRestore in this test API")
    }
    func deleteRestore(_ input: Operations.DeleteRestore.Input) async throws -> Operations.DeleteRestore.Output {
        throw LifeboatError.unavailable(dependency: "deleteRestore in this test API")
    }
    func getRestoreLogs(_ input: Operations.GetRestoreLogs.Input) async throws -> Operations.GetRestoreLogs.Output {
        throw LifeboatError.unavailable(dependency: "getRestoreLogs in this test API")
    }
    func getRestoreResults(_ input: Operations.GetRestoreResults.Input) async throws -> Operations.GetRestoreResults.Output {
        throw LifeboatError.unavailable(dependency: "getRestoreResults in this test API")
    }
    func getRestoreItems(_ input: Operations.GetRestoreItems.Input) async throws -> Operations.GetRestoreItems.Output {
        throw LifeboatError.unavailable(dependency: "getRestoreItems in this test API")
    }
    func cancelRestore(_ input: Operations.CancelRestore.Input) async throws -> Operations.CancelRestore.Output {
        throw LifeboatError.unavailable(dependency: "cancelRestore in this test API")
    }
    func listSchedules(_ input: Operations.ListSchedules.Input) async throws -> Operations.ListSchedules.Output {
        throw LifeboatError.unavailable(dependency: "listSchedules in this test API")
    }
    func createSchedule(_ input: Operations.CreateSchedule.Input) async throws -> Operations.CreateSchedule.Output {
        throw LifeboatError.unavailable(dependency: "createSchedule in this test API")
    }
    func getSchedule(_ input: Operations.GetSchedule.Input) async throws -> Operations.GetSchedule.Output {
        throw LifeboatError.unavailable(dependency: "getSchedule in this test API")
    }
    func deleteSchedule(_ input: Operations.DeleteSchedule.Input) async throws -> Operations.DeleteSchedule.Output {
        throw LifeboatError.unavailable(dependency: "deleteSchedule in this test API")
    }
    func pauseSchedule(_ input: Operations.PauseSchedule.Input) async throws -> Operations.PauseSchedule.Output {
        throw LifeboatError.unavailable(dependency: "pauseSchedule in this test API")
    }
    func unpauseSchedule(_ input: Operations.UnpauseSchedule.Input) async throws -> Operations.UnpauseSchedule.Output {
        throw LifeboatError.unavailable(dependency: "unpauseSchedule in this test API")
    }
    func triggerSchedule(_ input: Operations.TriggerSchedule.Input) async throws -> Operations.TriggerSchedule.Output {
        throw LifeboatError.unavailable(dependency: "triggerSchedule in this test API")
    }
    func listTokens(_ input: Operations.ListTokens.Input) async throws -> Operations.ListTokens.Output {
        throw LifeboatError.unavailable(dependency: "listTokens in this test API")
    }
    func createToken(_ input: Operations.CreateToken.Input) async throws -> Operations.CreateToken.Output {
        throw LifeboatError.unavailable(dependency: "createToken in this test API")
    }
    func getToken(_ input: Operations.GetToken.Input) async throws -> Operations.GetToken.Output {
        throw LifeboatError.unavailable(dependency: "getToken in this test API")
    }
    func revokeToken(_ input: Operations.RevokeToken.Input) async throws -> Operations.RevokeToken.Output {
        throw LifeboatError.unavailable(dependency: "revokeToken in this test API")
    }
}
