import LifeboatCore
import Testing

@testable import LifeboatArchive

@Suite struct StorageLayoutTests {
    @Test func backupKeysFollowVelerosLayout() throws {
        let keys = try StorageLayout(prefix: "/velero/cluster-a/").backup("nightly")
        #expect(keys.directory == "velero/cluster-a/backups/nightly/")
        #expect(keys.metadata == "velero/cluster-a/backups/nightly/velero-backup.json")
        #expect(keys.contents == "velero/cluster-a/backups/nightly/nightly.tar.gz")
        #expect(keys.logs == "velero/cluster-a/backups/nightly/nightly-logs.gz")
        #expect(keys.podVolumeBackups == "velero/cluster-a/backups/nightly/nightly-podvolumebackups.json.gz")
        #expect(keys.volumeSnapshots == "velero/cluster-a/backups/nightly/nightly-volumesnapshots.json.gz")
        #expect(keys.itemOperations == "velero/cluster-a/backups/nightly/nightly-itemoperations.json.gz")
        #expect(keys.resourceList == "velero/cluster-a/backups/nightly/nightly-resource-list.json.gz")
        #expect(keys.results == "velero/cluster-a/backups/nightly/nightly-results.gz")
        #expect(keys.volumeInfo == "velero/cluster-a/backups/nightly/nightly-volumeinfo.json.gz")
        #expect(keys.csiVolumeSnapshots == "velero/cluster-a/backups/nightly/nightly-csi-volumesnapshots.json.gz")
        #expect(keys.csiVolumeSnapshotContents == "velero/cluster-a/backups/nightly/nightly-csi-volumesnapshotcontents.json.gz")
        #expect(keys.csiVolumeSnapshotClasses == "velero/cluster-a/backups/nightly/nightly-csi-volumesnapshotclasses.json.gz")
    }

    @Test func keysAtTheBucketRootHaveNoLeadingSlash() throws {
        let layout = StorageLayout()
        #expect(layout.rootPrefix == "")
        #expect(try layout.backup("b1").contents == "backups/b1/b1.tar.gz")
        #expect(try layout.restore("r1").logs == "restores/r1/restore-r1-logs.gz")
        #expect(StorageLayout(prefix: "///").prefix == "")
    }

    @Test func restoreKeysFollowVelerosLayoutIncludingItsInconsistency() throws {
        let keys = try StorageLayout(prefix: "p").restore("r-1")
        #expect(keys.directory == "p/restores/r-1/")
        #expect(keys.logs == "p/restores/r-1/restore-r-1-logs.gz")
        #expect(keys.results == "p/restores/r-1/restore-r-1-results.gz")
        #expect(keys.resourceList == "p/restores/r-1/restore-r-1-resource-list.json.gz")
        #expect(keys.itemOperations == "p/restores/r-1/restore-r-1-itemoperations.json.gz")
        #expect(keys.volumeInfo == "p/restores/r-1/r-1-volumeinfo.json.gz")
    }

    @Test(arguments: ["", "a/b", "..", ".", "x\u{0}y"])
    func namesThatAreNotOneSegmentAreRefused(name: String) {
        #expect(throws: LifeboatError.self) { try StorageLayout(prefix: "p").backup(name) }
        #expect(throws: LifeboatError.self) { try StorageLayout(prefix: "p").restore(name) }
    }

    @Test func onlyVelerosTopLevelDirectoriesAreValid() throws {
        let layout = StorageLayout(prefix: "velero")
        let good = ["velero/backups/", "velero/restores/", "velero/restic/", "velero/kopia/", "velero/metadata/", "velero/plugins/"]
        #expect(layout.invalidTopLevelDirectories(commonPrefixes: good).isEmpty)
        try layout.validateTopLevel(commonPrefixes: good)
        #expect(layout.invalidTopLevelDirectories(commonPrefixes: ["backups/", "lifeboat/", "velero/tmp/"]) == ["lifeboat", "tmp"])
        #expect(throws: LifeboatError.invalidArgument(field: "prefix", reason: "Backup store contains invalid top-level directories: [data]")) {
            try layout.validateTopLevel(commonPrefixes: ["velero/backups/", "velero/data/"])
        }
        #expect(StorageLayout().invalidTopLevelDirectories(commonPrefixes: ["backups/", "velero/"]) == ["velero"])
    }

    @Test func backupAndRestoreNamesComeBackFromListings() {
        let layout = StorageLayout(prefix: "velero")
        #expect(layout.backupsPrefix == "velero/backups/")
        #expect(layout.backupName(fromCommonPrefix: "velero/backups/nightly-20260101/") == "nightly-20260101")
        #expect(layout.backupName(fromCommonPrefix: "velero/restores/x/") == nil)
        #expect(layout.backupName(fromCommonPrefix: "velero/backups/") == nil)
        #expect(layout.restoreName(fromCommonPrefix: "velero/restores/r1/") == "r1")
    }
}

@Suite struct ItemPathTests {
    private let deployments = GroupResource(resource: "deployments", group: "apps")

    @Test func groupResourceNamesItsDirectoryLikeGo() {
        #expect(GroupResource(resource: "pods").description == "pods")
        #expect(deployments.description == "deployments.apps")
        #expect(GroupResource(resource: "customresourcedefinitions", group: "apiextensions.k8s.io").description
            == "customresourcedefinitions.apiextensions.k8s.io")
        #expect(GroupResource(directoryName: "widgets.example.com") == GroupResource(resource: "widgets", group: "example.com"))
        #expect(GroupResource(directoryName: "pods") == GroupResource(resource: "pods"))
        #expect(GroupResource(directoryName: "") == nil)
        #expect(GroupResource(directoryName: "pods.") == nil)
    }

    @Test func buildsEveryCopy() {
        let pod = ItemPath(groupResource: GroupResource(resource: "pods"), namespace: "foo", name: "bar")
        #expect(pod.entryName == "resources/pods/namespaces/foo/bar.json")
        var preferred = pod
        preferred.copy = .preferredVersion("v1")
        #expect(preferred.entryName == "resources/pods/v1-preferredversion/namespaces/foo/bar.json")
        let node = ItemPath(groupResource: GroupResource(resource: "nodes"), copy: .otherVersion("v1beta1"), namespace: nil, name: "n1")
        #expect(node.entryName == "resources/nodes/v1beta1/cluster/n1.json")
        #expect(ItemPath(groupResource: deployments, namespace: nil, name: "x").entryName == "resources/deployments.apps/cluster/x.json")
    }

    @Test(arguments: [
        ("resources/pods/namespaces/foo/bar.json", ItemPath(groupResource: GroupResource(resource: "pods"), namespace: "foo", name: "bar")),
        ("resources/deployments.apps/v1-preferredversion/namespaces/ns/web.json",
         ItemPath(groupResource: GroupResource(resource: "deployments", group: "apps"), copy: .preferredVersion("v1"), namespace: "ns", name: "web")),
        ("resources/widgets.example.com/v2alpha1/cluster/w.json",
         ItemPath(groupResource: GroupResource(resource: "widgets", group: "example.com"), copy: .otherVersion("v2alpha1"), namespace: nil, name: "w")),
        ("resources/namespaces/cluster/cluster.json", ItemPath(groupResource: GroupResource(resource: "namespaces"), namespace: nil, name: "cluster")),
        ("resources/clusterroles.rbac.authorization.k8s.io/cluster/system:aggregate-to-edit.json",
         ItemPath(groupResource: GroupResource(resource: "clusterroles", group: "rbac.authorization.k8s.io"), namespace: nil,
                  name: "system:aggregate-to-edit")),
        ("resources/configmaps/namespaces/cluster/x.y.json", ItemPath(groupResource: GroupResource(resource: "configmaps"), namespace: "cluster", name: "x.y")),
    ])
    func parsesEntryNames(entryName: String, expected: ItemPath) {
        #expect(ItemPath(entryName: entryName) == expected)
        #expect(expected.entryName == entryName)
    }

    @Test(arguments: [
        "metadata/version", "resources/pods/foo.json", "resources/pods/namespaces/foo/bar.yaml", "resources/pods/namespaces/foo/.json",
        "resources/pods/cluster/a/b.json", "resources/pods/v1/v2/cluster/a.json", "other/pods/cluster/a.json",
        "resources/pods/-preferredversion/cluster/a.json", "resources/pods/namespaces//a.json",
    ])
    func ignoresPathsThatAreNotItems(entryName: String) {
        #expect(ItemPath(entryName: entryName) == nil)
    }
}
