import ArgumentParser

/// Backup and restore throughput and memory of `LifeboatEngine` against a Kubernetes API server (kubesim in
/// `run.sh`), each beside a baseline measured in the same run.
///
///     engine-benchmark backup  --kubeconfig FILE --store DIR [--namespace NS]... [--result FILE]
///     engine-benchmark restore --kubeconfig FILE --store DIR --backup NAME [--mapping SRC:DST]... [--result FILE]
@main
struct EngineBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine-benchmark",
        abstract: "Measure LifeboatEngine backups and restores against a live API server.",
        subcommands: [BackupBenchmark.self, RestoreBenchmark.self])
}
