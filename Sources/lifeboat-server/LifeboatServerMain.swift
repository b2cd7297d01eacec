import LifeboatServer

@main
struct LifeboatServerMain {
    static func main() async throws {}
}
