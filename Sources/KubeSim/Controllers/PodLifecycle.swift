import Foundation

/// Runs the workload controllers (with `podLifecycle`) and lays out pod volume directories the way
/// kubelet does, after every change to pods, claims or workloads:
///
/// - `<root>/pods/<uid>/volumes/kubernetes.io~empty-dir/<name>/`
/// - `<root>/pods/<uid>/volumes/kubernetes.io~csi/<pv>/mount` → `<root>/volumes/<pv>/` (a symlink, so a
///   claim's data outlives the pods that mount it, as a real volume does)
///
/// `<root>/pods/<uid>` is also the sandbox `exec` runs commands in.
final class PodLifecycle: Sendable {
    let cluster: KubeCluster
    let runControllers: Bool
    let root: String
    private let task: Task<Void, Never>
    private let continuation: AsyncStream<Void>.Continuation

    init(cluster: KubeCluster, runControllers: Bool, root: String) {
        self.cluster = cluster
        self.runControllers = runControllers
        self.root = root
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.continuation = continuation
        cluster.withState { $0.workloadSignal = continuation }
        continuation.yield()
        task = Task { [cluster] in
            for await _ in stream {
                let layouts = cluster.withState { state -> [PodVolumes] in
                    if runControllers { state.reconcileWorkloads() }
                    return state.podVolumeLayouts()
                }
                Self.materialize(layouts, root: root)
            }
        }
    }

    func stop() {
        cluster.withState { $0.workloadSignal = nil }
        continuation.finish()
        task.cancel()
    }

    var podsDirectory: String { (root as NSString).appendingPathComponent("pods") }

    /// Creates the directories of live pods and removes those of pods that are gone.
    static func materialize(_ layouts: [PodVolumes], root: String) {
        let fm = FileManager.default
        let pods = (root as NSString).appendingPathComponent("pods")
        let volumes = (root as NSString).appendingPathComponent("volumes")
        try? fm.createDirectory(atPath: pods, withIntermediateDirectories: true)
        for layout in layouts {
            let podDir = (pods as NSString).appendingPathComponent(layout.uid)
            for name in layout.emptyDirs {
                try? fm.createDirectory(atPath: "\(podDir)/volumes/kubernetes.io~empty-dir/\(name)", withIntermediateDirectories: true)
            }
            for pv in layout.persistentVolumes {
                let data = (volumes as NSString).appendingPathComponent(pv)
                try? fm.createDirectory(atPath: data, withIntermediateDirectories: true)
                let parent = "\(podDir)/volumes/kubernetes.io~csi/\(pv)"
                let mount = "\(parent)/mount"
                if (try? fm.destinationOfSymbolicLink(atPath: mount)) == nil {
                    try? fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
                    try? fm.createSymbolicLink(atPath: mount, withDestinationPath: data)
                }
            }
            if layout.emptyDirs.isEmpty && layout.persistentVolumes.isEmpty {
                try? fm.createDirectory(atPath: podDir, withIntermediateDirectories: true)
            }
        }
        let live = Set(layouts.map(\.uid))
        for entry in (try? fm.contentsOfDirectory(atPath: pods)) ?? [] where !live.contains(entry) {
            try? fm.removeItem(atPath: (pods as NSString).appendingPathComponent(entry))
        }
    }
}

/// The volume directories one pod needs.
struct PodVolumes: Sendable {
    var uid: String
    var emptyDirs: [String]
    var persistentVolumes: [String]
}

extension ClusterState {
    func podVolumeLayouts() -> [PodVolumes] {
        (tables[Self.podsKey]?.objects ?? [:]).map { key, stored in
            let volumes = stored.decoded().value(at: ["spec", "volumes"])?.arrayValue ?? []
            var emptyDirs: [String] = []
            var pvs: [String] = []
            for volume in volumes {
                guard let name = volume["name"]?.stringValue else { continue }
                if volume["emptyDir"] != nil { emptyDirs.append(name) }
                if let claim = volume.value(at: ["persistentVolumeClaim", "claimName"])?.stringValue,
                   let pv = tables[Self.pvcKey]?[ObjectKey(namespace: key.namespace, name: claim)]?.decoded()
                    .value(at: ["spec", "volumeName"])?.stringValue, !pv.isEmpty {
                    pvs.append(pv)
                }
            }
            return PodVolumes(uid: stored.uid, emptyDirs: emptyDirs, persistentVolumes: pvs)
        }
    }
}
