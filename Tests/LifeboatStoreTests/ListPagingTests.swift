import Foundation
import GRDB
import LifeboatCore
@testable import LifeboatStore
import Testing

@Suite struct ListPagingTests {
    /// 25 backups b00…b24; even ones labelled tier=gold, every third on cluster `dev`.
    func populated() async throws -> AppDatabase {
        let database = try await StoreFixture.seededDatabase()
        _ = try await database.createCluster(StoreFixture.cluster("dev"), credential: nil)
        for index in 0..<25 {
            let name = index < 10 ? "b0\(index)" : "b\(index)"
            let labels = index % 2 == 0 ? ["tier": "gold", "app": "web"] : ["tier": "silver"]
            _ = try await database.createBackup(StoreFixture.backup(name, cluster: index % 3 == 0 ? "dev" : "prod", labels: labels))
        }
        return database
    }

    func collect(_ database: AppDatabase, _ options: ListOptions) async throws -> (names: [String], pages: Int) {
        var options = options
        var names: [String] = []
        var pages = 0
        repeat {
            let page = try await database.backups(options)
            pages += 1
            if let limit = options.limit { #expect(page.items.count <= limit) }
            if page.continueToken != nil { #expect(page.items.count == options.limit) }  // only the last page is short
            names += page.items.map(\.name.rawValue)
            options.continueToken = page.continueToken
        } while options.continueToken != nil
        return (names, pages)
    }

    @Test func pagesCoverEverythingOnceInOrder() async throws {
        let database = try await populated()
        let (names, pages) = try await collect(database, ListOptions(limit: 7))
        #expect(names == (0..<25).map { $0 < 10 ? "b0\($0)" : "b\($0)" })
        #expect(pages == 4)
    }

    @Test func exactMultipleEndsWithoutAnEmptyPage() async throws {
        let database = try await populated()
        let (names, pages) = try await collect(database, ListOptions(limit: 5))
        #expect(names.count == 25 && pages == 5)
    }

    @Test func labelSelectorPagingStaysCorrect() async throws {
        let database = try await populated()
        let expected = (0..<25).filter { $0 % 2 == 0 }.map { $0 < 10 ? "b0\($0)" : "b\($0)" }
        for limit in [1, 3, 4, 13, 100] {
            let (names, _) = try await collect(database, ListOptions(limit: limit, labelSelector: try LabelSelector(parsing: "tier=gold")))
            #expect(names == expected)
        }
        let selectors: [(String, (Int) -> Bool)] = [
            ("tier in (gold,silver)", { _ in true }), ("tier notin (gold)", { $0 % 2 == 1 }), ("app", { $0 % 2 == 0 }),
            ("!app", { $0 % 2 == 1 }), ("app=web,tier!=silver", { $0 % 2 == 0 }), ("tier=bronze", { _ in false }),
        ]
        for (text, predicate) in selectors {
            let (names, _) = try await collect(database, ListOptions(limit: 4, labelSelector: try LabelSelector(parsing: text)))
            #expect(names == (0..<25).filter(predicate).map { $0 < 10 ? "b0\($0)" : "b\($0)" }, "selector \(text)")
        }
    }

    @Test func clusterAndSelectorFiltersCombine() async throws {
        let database = try await populated()
        let (names, _) = try await collect(database, ListOptions(limit: 2, cluster: try ClusterName("dev"),
                                                                 labelSelector: try LabelSelector(parsing: "tier=gold")))
        #expect(names == [0, 6, 12, 18, 24].map { $0 < 10 ? "b0\($0)" : "b\($0)" })
    }

    @Test func badTokensAndLimitsAreInvalidArguments() async throws {
        let database = try await populated()
        await #expect(throws: LifeboatError.invalidArgument(field: "continue", reason: "is not a token returned by a previous list call")) {
            try await database.backups(ListOptions(limit: 5, continueToken: "garbage!"))
        }
        await #expect(throws: LifeboatError.self) { try await database.backups(ListOptions(limit: 0)) }
        await #expect(throws: LifeboatError.self) { try await database.backups(ListOptions(limit: 100_000)) }
        let broken = LabelSelector(matchLabels: ["bad key\"": "x"])
        await #expect(throws: LifeboatError.self) { try await database.backups(ListOptions(labelSelector: broken)) }
    }

    @Test func pagingSurvivesDeletionsBetweenPages() async throws {
        let database = try await populated()
        let first = try await database.backups(ListOptions(limit: 5))
        try await database.deleteBackup(named: first.items[4].name)  // the token's own row disappears
        let second = try await database.backups(ListOptions(limit: 5, continueToken: first.continueToken))
        #expect(second.items.first?.name.rawValue == "b05")
    }

    @Test(.timeLimit(.minutes(2)))
    func tenThousandBackupsPageQuickly() async throws {
        let directory = try StoreFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try AppDatabase.open(in: directory)
        _ = try await database.createCluster(StoreFixture.cluster(), credential: nil)
        _ = try await database.createLocation(StoreFixture.location(), credential: nil)
        try await database.writer.write { db in
            for index in 0..<10_000 {
                var backup = StoreFixture.backup(String(format: "backup-%05d", index), labels: ["n": "\(index % 10)"])
                backup.spec.storageLocation = try LocationName("default")
                try ObjectRows.insert(backup, in: db)
            }
        }
        var options = ListOptions(limit: 100)
        var count = 0
        repeat {
            let page = try await database.backups(options)
            count += page.items.count
            options.continueToken = page.continueToken
        } while options.continueToken != nil
        #expect(count == 10_000)
        let filtered = try await database.backups(ListOptions(limit: 100, labelSelector: try LabelSelector(parsing: "n=7")))
        #expect(filtered.items.count == 100)
    }
}
