import SQLKit
import AmparoDomain

/// The second pass of an import: copies the staged rows still marked new into the
/// registry, a chunk of lines per transaction, with one history entry per record created.
///
/// A chunk either lands whole or not at all; the rows of a chunk that landed before a crash
/// are found present on the next run and skipped, and registry numbers are handed out in
/// file order to the rows actually added, so a resumed run numbers as an uninterrupted one.
struct RegistryCopy: Sendable {
    let db: any SQLDatabase
    let questionnaire: Questionnaire
    let options: ImportOptions
    let now: String
    let progress: @Sendable (ImportProgress) -> Void

    private var channel: String { "bulk_import" }

    func copyAreas() async throws -> Int {
        let stage = RegistryImport.areaStage
        return try await inTransaction {
            let added = try await count("SELECT COUNT(*) AS n FROM \(stage) WHERE status = 'new'")
            guard added > 0 else { return 0 }
            try await db.raw("""
                INSERT INTO areas (id, code, name, level, parent_id, path, created_at)
                SELECT id, code, name, level, parent_id, path, \(bind: now) FROM \(unsafeRaw: stage)
                WHERE status = 'new' ORDER BY depth, line
                """).run()
            try await db.raw("""
                INSERT INTO change_history (entity, entity_id, household_id, field, old_value, new_value, actor, channel, occurred_at, reason)
                SELECT 'area', id, NULL, 'record', NULL, code, \(bind: options.actor), \(bind: channel), \(bind: now),
                       'areas.csv line ' || CAST(line AS TEXT)
                FROM \(unsafeRaw: stage) WHERE status = 'new'
                """).run()
            return added
        }
    }

    func copyHouseholds() async throws -> Int {
        let stage = RegistryImport.householdStage
        let fields = questionnaire.householdFields.map(\.name)
        let columns = fields.joined(separator: ", ")
        let selected = fields.map { "s.\($0)" }.joined(separator: ", ")
        return try await inChunks(of: stage, file: ExchangeFormat.householdsFile) { range in
            let base = try await count("SELECT value AS n FROM registry_counters WHERE name = 'household'")
            try await db.raw("""
                INSERT INTO households (id, registry_sequence, source_ref, area_id, \(unsafeRaw: columns), extra, created_at, updated_at)
                SELECT s.id, \(unsafeRaw: String(base)) + ROW_NUMBER() OVER (ORDER BY s.line), s.ref, a.id, \(unsafeRaw: selected),
                       s.extra, \(bind: now), \(bind: now)
                FROM \(unsafeRaw: stage) s JOIN areas a ON a.code = s.area_code
                WHERE s.status = 'new' AND \(unsafeRaw: range)
                """).run()
            try await db.raw("""
                INSERT INTO change_history (entity, entity_id, household_id, field, old_value, new_value, actor, channel, occurred_at, reason)
                SELECT 'household', s.id, s.id, 'record', NULL, s.ref, \(bind: options.actor), \(bind: channel), \(bind: now),
                       'households.csv line ' || CAST(s.line AS TEXT)
                FROM \(unsafeRaw: stage) s WHERE s.status = 'new' AND \(unsafeRaw: range)
                """).run()
            try await db.raw("""
                UPDATE registry_counters SET value = (SELECT COALESCE(MAX(registry_sequence), 0) FROM households)
                WHERE name = 'household'
                """).run()
        }
    }

    func copyIndividuals() async throws -> Int {
        let stage = RegistryImport.individualStage
        let fields = questionnaire.individualFields.map(\.name)
        let columns = fields.joined(separator: ", ")
        let selected = fields.map { "s.\($0)" }.joined(separator: ", ")
        let today = String(now.prefix(10))
        return try await inChunks(of: stage, file: ExchangeFormat.individualsFile) { range in
            try await db.raw("""
                INSERT INTO individuals (id, source_ref, \(unsafeRaw: columns), name_key, extra, created_at, updated_at)
                SELECT s.id, s.ref, \(unsafeRaw: selected), s.name_key, s.extra, \(bind: now), \(bind: now)
                FROM \(unsafeRaw: stage) s WHERE s.status = 'new' AND \(unsafeRaw: range)
                """).run()
            // A person's membership starts on the day the household was registered, where known.
            try await db.raw("""
                INSERT INTO memberships (id, household_id, individual_id, relationship, start_date, end_date, created_at)
                SELECT s.membership_id, h.id, s.id, s.relationship, COALESCE(h.registered_on, \(bind: today)), NULL, \(bind: now)
                FROM \(unsafeRaw: stage) s JOIN households h ON h.source_ref = s.household_ref
                WHERE s.status = 'new' AND \(unsafeRaw: range)
                """).run()
            try await db.raw("""
                INSERT INTO change_history (entity, entity_id, household_id, field, old_value, new_value, actor, channel, occurred_at, reason)
                SELECT 'individual', s.id, h.id, 'record', NULL, s.ref, \(bind: options.actor), \(bind: channel), \(bind: now),
                       'individuals.csv line ' || CAST(s.line AS TEXT)
                FROM \(unsafeRaw: stage) s JOIN households h ON h.source_ref = s.household_ref
                WHERE s.status = 'new' AND \(unsafeRaw: range)
                """).run()
        }
    }

    /// Runs `body` over the staged lines in chunks, one transaction each; returns the rows added.
    private func inChunks(of stage: String, file: String, _ body: @escaping @Sendable (String) async throws -> Void) async throws -> Int {
        let lastLine = try await count("SELECT COALESCE(MAX(line), 0) AS n FROM \(stage)")
        var added = 0
        var low = 0
        while low < lastLine {
            let high = low + options.chunkLines
            let range = "s.line > \(low) AND s.line <= \(high)"
            added += try await inTransaction {
                let new = try await count("SELECT COUNT(*) AS n FROM \(stage) s WHERE s.status = 'new' AND \(range)")
                if new > 0 { try await body(range) }
                return new
            }
            low = high
            progress(ImportProgress(stage: .writing, file: file, done: Int64(min(high, lastLine)), total: Int64(lastLine)))
        }
        return added
    }

    private func inTransaction<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await db.raw("BEGIN").run()
        do {
            let result = try await body()
            try await db.raw("COMMIT").run()
            return result
        } catch {
            try? await db.raw("ROLLBACK").run()
            throw error
        }
    }

    private func count(_ sql: String) async throws -> Int {
        let row = try await db.raw(SQLQueryString(sql)).first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }
}
