import Foundation
import LifeboatAPI
import LifeboatCore

extension APIHandler {
    func getServerStatus(_ input: Operations.GetServerStatus.Input) async throws -> Operations.GetServerStatus.Output {
        let caller = RequestIdentity.current.map {
            Components.Schemas.Identity(name: $0.name, role: .init(rawValue: $0.role.rawValue) ?? .viewer)
        }
        return .ok(.init(body: .json(.init(
            serverVersion: server.version, apiVersion: "v1", startTime: server.startTime, ready: server.isReady(),
            workers: server.workers, caller: caller))))
    }
}
