import ArgumentParser

/// `lifeboat completion bash|zsh|fish`: prints a shell completion script, generated from the command tree.
struct CompletionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion", abstract: "Print a shell completion script.",
        discussion: "bash: source <(lifeboat completion bash)   zsh: lifeboat completion zsh > \"${fpath[1]}/_lifeboat\"   fish: lifeboat completion fish | source")

    enum Shell: String, ExpressibleByArgument, CaseIterable { case bash, zsh, fish }

    @Argument(help: "bash, zsh or fish.") var shell: Shell

    func run() throws {
        let kind: CompletionShell = switch shell {
        case .bash: .bash
        case .zsh: .zsh
        case .fish: .fish
        }
        print(LifeboatCLI.completionScript(for: kind))
    }
}
