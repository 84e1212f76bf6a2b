import ArgumentParser

@main
struct Simulator: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulator",
        abstract: "Testers' tool for Seinhuis: synthetic device streams with ground truth, streamed and verified.",
        discussion: """
            A typical offline check:
              simulator generate --devices 50 --hours 6 --seed 7 --out /tmp/sim
              simulator replay /tmp/sim --db /tmp/sim.sqlite
            which imports the dossiers, runs `seinhuis replay` and verifies, as these three do:
              seinhuis dossier import /tmp/sim/dossiers.json --db /tmp/sim.sqlite
              seinhuis replay /tmp/sim/events.ndjson --db /tmp/sim.sqlite
              simulator verify --truth /tmp/sim/truth.json --db /tmp/sim.sqlite

            A live run (seinhuis serve running with the same dossiers):
              simulator listen --out /tmp/alerts.json --duration 120 &
              simulator stream /tmp/sim/events.ndjson --speedup 600
              simulator verify --truth /tmp/sim/truth.json --alerts /tmp/alerts.json --tolerance-ms 2000
            """,
        subcommands: [
            Generate.self, Stream.self, StreamReplay.self, Verify.self, Listen.self, Sink.self, Probe.self,
            LoadRun.self, BarePull.self, BareEchoCommand.self,
            History.self, ReviewCheck.self, Respond.self, RespondOffline.self,
        ])
}
