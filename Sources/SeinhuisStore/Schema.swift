/// Versioned schema migrations, applied in order inside one transaction each; `PRAGMA user_version` records the
/// last applied. A migration is never edited once released: add a new one.
enum Schema {
    static let migrations: [String] = [
        // 1: the foundation
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

        -- Devices get a small integer id for the journal's compact encoding.
        CREATE TABLE device (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);

        -- The journal: accepted events in arrival order, in blocks (one row per committed batch), each event
        -- compactly encoded (see JournalCodec). Appends only: no per-event B-tree insert keyed by device.
        CREATE TABLE journal_block (
            id INTEGER PRIMARY KEY,
            received_at INTEGER NOT NULL,
            first_ts INTEGER NOT NULL,
            last_ts INTEGER NOT NULL,
            count INTEGER NOT NULL,
            data BLOB NOT NULL
        );
        CREATE INDEX journal_block_last_ts ON journal_block(last_ts);

        -- Rejected frames, bounded (oldest dropped), for inspection.
        CREATE TABLE quarantine (
            id INTEGER PRIMARY KEY,
            received_at INTEGER NOT NULL,
            source TEXT NOT NULL,
            reason TEXT NOT NULL,
            detail TEXT NOT NULL,
            frame BLOB NOT NULL,
            frame_size INTEGER NOT NULL
        );

        CREATE TABLE dossier (
            id TEXT PRIMARY KEY,
            subject TEXT NOT NULL,
            radex INTEGER NOT NULL,
            mandate TEXT NOT NULL,
            start TEXT NOT NULL,
            "end" TEXT,
            timezone TEXT NOT NULL,
            version INTEGER NOT NULL,
            imported_at INTEGER NOT NULL,
            json TEXT NOT NULL
        ) WITHOUT ROWID;
        -- Every import of a dossier, kept for the review report's "changes of conditions".
        CREATE TABLE dossier_version (
            dossier_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            imported_at INTEGER NOT NULL,
            imported_by TEXT NOT NULL,
            json TEXT NOT NULL,
            PRIMARY KEY (dossier_id, version)
        ) WITHOUT ROWID;
        CREATE TABLE dossier_device (
            device TEXT NOT NULL,
            dossier_id TEXT NOT NULL REFERENCES dossier(id),
            PRIMARY KEY (device, dossier_id)
        ) WITHOUT ROWID;

        CREATE TABLE alert (
            number INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            dossier TEXT NOT NULL,
            device TEXT,
            breach TEXT NOT NULL,
            severity TEXT NOT NULL,
            radex INTEGER NOT NULL,
            queues TEXT NOT NULL,
            zone TEXT,
            event_ts INTEGER NOT NULL,
            detected_at INTEGER NOT NULL,
            cleared_at INTEGER,
            state TEXT NOT NULL,
            escalation INTEGER NOT NULL,
            policy TEXT NOT NULL,
            deadline TEXT,
            updated_at INTEGER NOT NULL
        );
        CREATE INDEX alert_dossier ON alert(dossier, event_ts);
        CREATE INDEX alert_open ON alert(dossier, device, breach, zone) WHERE cleared_at IS NULL;

        -- Every human action: who, when, what.
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT NOT NULL,
            detail TEXT NOT NULL
        );
        """,
        // 2: operators act on alerts (PROTOCOL 4.4): the log of actions, and the moments latency is measured to.
        """
        ALTER TABLE alert ADD COLUMN acknowledged_at INTEGER;
        ALTER TABLE alert ADD COLUMN responded_at INTEGER;
        ALTER TABLE alert ADD COLUMN closed_at INTEGER;
        CREATE TABLE alert_action (
            id INTEGER PRIMARY KEY,
            alert_id TEXT NOT NULL REFERENCES alert(id),
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            kind TEXT NOT NULL,
            measure TEXT,
            note TEXT
        );
        CREATE INDEX alert_action_alert ON alert_action(alert_id, id);
        """,
        // 3: escalation (PROTOCOL 4.2): when the latest one went out, and the queues routed at once.
        """
        ALTER TABLE alert ADD COLUMN escalated_at INTEGER;
        ALTER TABLE alert ADD COLUMN queues_at_once TEXT;
        UPDATE alert SET queues_at_once = queues WHERE queues_at_once IS NULL;
        """,
        // 4: the six-monthly review (PROTOCOL 5): the cell's reviews; review notices are alerts (device NULL) and are
        // found again by dossier, kind and deadline, so a restart raises none twice.
        """
        CREATE TABLE review (
            id INTEGER PRIMARY KEY,
            dossier TEXT NOT NULL REFERENCES dossier(id),
            reviewed_on TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            findings TEXT NOT NULL,
            decision TEXT NOT NULL,
            recorded_at INTEGER NOT NULL,
            recorded_by TEXT NOT NULL
        );
        CREATE INDEX review_dossier ON review(dossier, reviewed_on);
        CREATE INDEX alert_review_notice ON alert(dossier, breach, deadline) WHERE device IS NULL;
        """,
        // 5: the console's users and their sessions. Passwords only as bcrypt hashes, session tokens only as their
        // SHA-256 (the token itself lives only in the user's cookie).
        """
        CREATE TABLE user (
            name TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            password_changed_at INTEGER NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE TABLE session (
            token_hash TEXT PRIMARY KEY,
            user TEXT NOT NULL REFERENCES user(name),
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX session_user ON session(user);
        """,
        // 6: a dossier's devices by dossier (import and load were quadratic: 10k dossiers took a minute).
        """
        CREATE INDEX dossier_device_dossier ON dossier_device(dossier_id, device);
        """,
        // 7: durable pipeline state (PROTOCOL 2.4). Journal blocks say their layout (JournalFormat: 2 records each
        // event's receive clock and whether it was evaluated); the dossier versions in force, each time serve loads
        // them, and after which journal block; snapshots of the pipeline's state, each covering the journal up to a
        // block. Start-up reads the latest snapshot and the journal after it.
        """
        ALTER TABLE journal_block ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
        CREATE TABLE dossier_load (
            id INTEGER PRIMARY KEY,
            after_block INTEGER NOT NULL,
            at INTEGER NOT NULL,
            versions TEXT NOT NULL
        );
        CREATE TABLE pipeline_snapshot (
            id INTEGER PRIMARY KEY,
            taken_at INTEGER NOT NULL,
            journal_through INTEGER NOT NULL,
            dossier_load INTEGER NOT NULL,
            format INTEGER NOT NULL,
            checksum INTEGER NOT NULL,
            data BLOB NOT NULL
        );
        """,
        // 8: each queue handles its alerts on its own (PROTOCOL 4.4, 1.1), and every publication has a rev (4.3).
        // `handling` holds one entry per queue reached (`Handling.stored`); old alerts get it from their action
        // log (`Store.migrateHandling`, run in this migration's transaction). `rev` is the number of the alert's
        // latest publication, given by `serve` only (so that revs increase in publication order); another process
        // that changes an alert's handling enqueues it in `alert_pending`, and serve publishes it with a new rev.
        // The action log and the audit trail record the queue acted for and the actor's role.
        """
        ALTER TABLE alert ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE alert ADD COLUMN handling TEXT NOT NULL DEFAULT '';
        CREATE INDEX alert_rev ON alert(rev);
        CREATE TABLE alert_pending (alert_id TEXT PRIMARY KEY, since INTEGER NOT NULL) WITHOUT ROWID;
        ALTER TABLE alert_action ADD COLUMN queue TEXT;
        ALTER TABLE alert_action ADD COLUMN role TEXT;
        ALTER TABLE audit ADD COLUMN queue TEXT;
        ALTER TABLE audit ADD COLUMN role TEXT;
        """,
        // 9: the audit trail is a hash chain (PROTOCOL 7, docs/AUDIT.md): each entry's `hash` is the SHA-256 of the
        // previous entry's hash and its own content (`AuditChain`); meta `audit.head` names the last entry and its
        // hash, written in the transaction of every append. `dossier`: the dossier an entry concerns (for
        // `audit list --dossier`). Existing entries are chained in id order (`Store.chainExistingAudit`).
        """
        ALTER TABLE audit ADD COLUMN dossier TEXT;
        ALTER TABLE audit ADD COLUMN hash TEXT NOT NULL DEFAULT '';
        UPDATE audit SET dossier = (SELECT alert.dossier FROM alert WHERE alert.id = audit.subject)
            WHERE subject LIKE 'A-%';
        UPDATE audit SET dossier = subject WHERE dossier IS NULL AND subject IN (SELECT id FROM dossier);
        CREATE INDEX audit_actor ON audit(actor, id);
        CREATE INDEX audit_dossier ON audit(dossier, id) WHERE dossier IS NOT NULL;
        CREATE INDEX audit_subject ON audit(subject, id);
        CREATE INDEX audit_at ON audit(at);
        """,
        // 10: the console's map (docs/CONSOLE.md): each device's latest qualifying fix, written with every journal
        // block (one row per device per block, `JournalBlockBuilder.latestFixes`), so the map is one query and not
        // a journal scan. Filled from the journal once (`Store.fillDeviceFixes`); purged with the journal.
        """
        CREATE TABLE device_fix (
            device INTEGER PRIMARY KEY REFERENCES device(id),
            ts INTEGER NOT NULL,
            lat REAL NOT NULL,
            lon REAL NOT NULL,
            acc REAL NOT NULL
        );
        """,
        // 11 (1.1): `victim_proximity` alerts name the protected person (PROTOCOL 4.1); null for every other alert.
        """
        ALTER TABLE alert ADD COLUMN protected TEXT;
        """,
        // 12: each console user's language (`nl`, `fr`, `en`; null: the browser's Accept-Language, else Dutch).
        """
        ALTER TABLE user ADD COLUMN language TEXT;
        """,
        // 13 (1.1): network outages (PROTOCOL 4.5). A `communication_loss` member names its incident; a
        // `network_outage` incident its network and its devices still lost (comma-separated), and `dossier` ''.
        """
        ALTER TABLE alert ADD COLUMN incident TEXT;
        ALTER TABLE alert ADD COLUMN network TEXT;
        ALTER TABLE alert ADD COLUMN devices TEXT;
        CREATE INDEX alert_incident ON alert(incident) WHERE incident IS NOT NULL;
        """,
        // 14: the actors' survey (docs/SURVEY.md). A round and its questions; who answered a round (account only: no
        // answer, no time); and the answers with the role only, under a random key in a WITHOUT ROWID table, so
        // neither a column nor the order of rows links an answer to the account that gave it.
        """
        CREATE TABLE survey_round (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            opened_at INTEGER NOT NULL,
            opened_by TEXT NOT NULL,
            closed_at INTEGER,
            closed_by TEXT
        );
        CREATE TABLE survey_question (
            round_id INTEGER NOT NULL REFERENCES survey_round(id),
            number INTEGER NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (round_id, number)
        ) WITHOUT ROWID;
        CREATE TABLE survey_participant (
            round_id INTEGER NOT NULL REFERENCES survey_round(id),
            account TEXT NOT NULL,
            PRIMARY KEY (round_id, account)
        ) WITHOUT ROWID;
        CREATE TABLE survey_answer (
            id TEXT PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES survey_round(id),
            role TEXT NOT NULL,
            scores TEXT NOT NULL,
            comment TEXT
        ) WITHOUT ROWID;
        """,
    ]

    /// Data migrations in Swift, by the schema version they complete (run after its SQL, in its transaction).
    static let dataMigrations: [Int: @Sendable (Store) throws -> Void] = [
        8: { try $0.migrateHandling() }, 9: { try $0.chainExistingAudit() },
        10: { try $0.fillDeviceFixes() },
    ]
}
