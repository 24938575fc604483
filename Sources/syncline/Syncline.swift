import ArgumentParser

/// The `syncline` command line: the hub, one connector, the embedded broker and the tools around them.
@main
struct Syncline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "syncline",
        abstract: "Syncline — a message-driven integration hub for CRM data.",
        subcommands: [
            UpCommand.self, RunCommand.self, BrokerCommand.self, TopicsCommand.self, StatusCommand.self,
            LatencyCommand.self, ValidateCommand.self, TestCommand.self, MapCommand.self, DLQCommand.self, ReportCommand.self, BenchPipelineCommand.self,
            BenchStateCommand.self, AssignCommand.self, ReconcileCommand.self,
            DiffCommand.self, TraceCommand.self, LineageCommand.self, ResyncCommand.self,
        ])
}
