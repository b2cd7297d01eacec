import ArgumentParser

@main
struct LifeboatCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lifeboat", abstract: "Lifeboat command-line client.")
}
