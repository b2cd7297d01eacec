import ArgumentParser

@main
struct KubeSimMain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kubesim", abstract: "A Kubernetes API emulator.")
}
