import Foundation

/// Reads the pages of a run ahead of it: the households of each page on one connection,
/// then its members on the next of the others in turn, so that the members of several pages
/// are read at once while the run scores and stores the page before them.
struct PageReadAhead {
    let pages: HouseholdPages
    let finding: DirectConnection
    let gathering: [DirectConnection]
    /// The last household of the pages found so far.
    var cursor: String?
    private var found: Task<PageAssembly?, any Error>?
    private var gathered: [Task<HouseholdPages.Page, any Error>] = []
    private var started = 0
    private var exhausted = false

    init(pages: HouseholdPages, finding: DirectConnection, gathering: [DirectConnection], cursor: String?) {
        self.pages = pages
        self.finding = finding
        self.gathering = gathering
        self.cursor = cursor
    }

    /// The next page in id order, nil after the last.
    mutating func next() async throws -> HouseholdPages.Page? {
        // A member connection takes a new page only once the page it read before is handed on.
        while !exhausted && gathered.count < gathering.count {
            let pages = pages, finding = finding, after = cursor
            let households = try await (found ?? Task { try await pages.households(after: after, on: finding) }).value
            found = nil
            guard let households, let last = households.lastID else {
                exhausted = true
                break
            }
            cursor = last
            found = Task { try await pages.households(after: last, on: finding) }
            let connection = gathering[started % gathering.count]
            started += 1
            gathered.append(Task { try await pages.page(of: households, on: connection) })
        }
        guard !gathered.isEmpty else { return nil }
        return try await gathered.removeFirst().value
    }

    /// Waits for the reads under way, so that their connections may close.
    mutating func finish() async {
        for task in gathered { _ = try? await task.value }
        gathered.removeAll()
        if let found { _ = try? await found.value }
        found = nil
    }
}
