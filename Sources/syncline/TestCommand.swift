import ArgumentParser
import Foundation
import SynclineMapping
import SynclineTooling

/// `syncline test`: runs every connector's fixtures (`connectors/tests/<connector>/*.yaml`).
struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Run the connector fixtures; each failure is shown with a diff.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let catalog: TopicCatalog
        do throws(ConfigProblems) {
            catalog = try TopicCatalog.load(directory: common.rootURL.appendingPathComponent("topics"))
        } catch {
            Terminal.complain(error.description)
            throw ExitCode(2)
        }
        let results = FixtureRunner.runAll(connectorsDirectory: common.rootURL.appendingPathComponent("connectors"), catalog: catalog)
        for result in results where !result.passed { Terminal.say(result.description) }
        let failed = results.filter { !$0.passed }.count
        Terminal.say("fixtures: \(results.count - failed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }
}
