#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Dispatch
import Foundation
import SeinhuisCore
import SeinhuisStore
import Synchronization

/// Replay's first stage, on a thread of its own: reads the file's lines, decodes them, drops duplicates and
/// builds the journal block (the pipeline's `Intake`, handed over), and hands the main thread `ReplayChunk`s of `linesPerHandOver` lines:
/// the accepted events in file order with their rule index; the chunk that ends a commit (every `eventsPerCommit`
/// lines) also carries the batch to write and the counts so far. The main thread reorders, evaluates and commits
/// exactly as a single thread would (the same commits at the same lines), so the output does not depend on the
/// threads. Chunks smaller than a commit keep the two threads busy together sooner and hold less memory.
///
/// Hand-over: a bounded queue of chunks (a lock per chunk, none per event).
final class ReplayReader: @unchecked Sendable {
    // @unchecked: `ingest` is set up before the thread starts and then used by the reader thread only; the main
    // thread touches the queue, the stop flag and the semaphores, which are Sendable.
    private let ingest: Intake
    private let path: String
    private let eventsPerCommit: Int
    private let linesPerHandOver: Int
    /// Device id → the rule engine's index (fixed for the run: the dossiers do not change during a replay).
    private let ruleIndex: [String: Int32]
    private let queue = Mutex<[ReplayChunk.Message]>([])
    private let free: DispatchSemaphore
    private let ready = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let stop = StopFlag()

    /// `ingest` is handed over: the caller must not use it any more.
    init(
        path: String, ingest: Intake, ruleIndex: [String: Int32], eventsPerCommit: Int, linesPerHandOver: Int,
        depth: Int = 8
    ) {
        self.path = path
        self.ingest = ingest
        self.ruleIndex = ruleIndex
        self.eventsPerCommit = max(1, eventsPerCommit)
        self.linesPerHandOver = max(1, min(linesPerHandOver, eventsPerCommit))
        free = DispatchSemaphore(value: depth)
    }

    func start() {
        let thread = Thread { [self] in
            defer { done.signal() }
            run()
        }
        thread.name = "seinhuis-replay-reader"
        thread.start()
    }

    /// The next chunk (blocks until the reader has one).
    func next() -> ReplayChunk.Message {
        ready.wait()
        let m = queue.withLock { $0.removeFirst() }
        free.signal()
        return m
    }

    /// Stops the reader early (the main thread failed) and waits for its thread to end.
    func cancel() {
        stop.set()
        // Unblock a reader waiting for room, and drop what it queued.
        while true {
            if case .end = next() { break }
        }
        done.wait()
    }

    /// Waits for the thread after the last chunk (`.end` or `.failed`) was taken.
    func join() { done.wait() }

    private func send(_ m: ReplayChunk.Message) {
        free.wait()
        queue.withLock { $0.append(m) }
        ready.signal()
    }

    private func run() {
        var chunk = ReplayChunk(capacity: linesPerHandOver)
        var sinceCommit = 0
        var sinceHandOver = 0
        do {
            let bytes = try LineReader(path: path).forEachLine { line in
                if LineReader.isBlank(line) {
                    ingest.counts.blank += 1
                    return true
                }
                // The rule index is looked up once per device (the ingest's device directory keeps it).
                if let (e, r) = ingest.take(
                    line, source: "replay", receivedAt: .distantPast, ruleIndex: { ruleIndex[$0].map(Int.init) })
                {
                    chunk.events.append(e)
                    chunk.ruleIndex.append(r.map(Int32.init) ?? -1)
                }
                sinceCommit += 1
                sinceHandOver += 1
                guard sinceHandOver >= linesPerHandOver || sinceCommit >= eventsPerCommit else { return true }
                if sinceCommit >= eventsPerCommit {
                    sinceCommit = 0
                    chunk.endsCommit = true
                    chunk.batch = ingest.takeBatch()
                    chunk.counts = ingest.counts
                }
                sinceHandOver = 0
                send(.chunk(chunk))
                chunk = ReplayChunk(capacity: linesPerHandOver)
                return !stop.isSet
            }
            chunk.batch = ingest.takeBatch()
            chunk.counts = ingest.counts
            chunk.bytes = bytes
            chunk.cpuSeconds = threadCPUSeconds()
            send(.chunk(chunk))
            send(.end)
        } catch {
            send(.failed(String(describing: error)))
            send(.end)
        }
    }
}

/// What the reader hands over: up to `linesPerHandOver` lines' events; a commit's last chunk, and the file's, also
/// carry the batch and the counts.
struct ReplayChunk: Sendable {
    enum Message: Sendable {
        case chunk(ReplayChunk)
        /// The reader failed (the file, or its own connection): the message, then `.end`.
        case failed(String)
        /// No more chunks.
        case end
    }

    /// The accepted events (new, valid, of a known device), in file order.
    var events: [DeviceEvent] = []
    /// Each event's device index in the rule engine (-1: none).
    var ruleIndex: [Int32] = []
    /// A commit follows this chunk (`batch` and `counts` are set); the file's last chunk is committed at the end.
    var endsCommit = false
    var batch = IngestBatch(block: JournalBlockBuilder(reserve: 0), rejections: [])
    /// The reader's counts after this chunk (a commit's last chunk and the file's).
    var counts = IngestCounts()
    /// Bytes read, on the last chunk (0 before).
    var bytes = 0
    /// The reader thread's CPU time, on the last chunk.
    var cpuSeconds = 0.0

    init(capacity: Int) {
        events.reserveCapacity(capacity)
        ruleIndex.reserveCapacity(capacity)
    }
}

/// The reader failed; its message.
struct ReplayReadError: Error, CustomStringConvertible {
    var description: String
}

/// The calling thread's CPU time (user and system), in seconds; 0 where the platform does not tell.
func threadCPUSeconds() -> Double {
    var t = timespec()
    guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) == 0 else { return 0 }
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
