/// A synthetic registry of a Latin American country, the same for the same seed.
///
/// The country is the fictional República de Amparo: six regions (one Portuguese-speaking,
/// on the Amazon border), 24 provinces, about a hundred municipalities and three hundred
/// localities. Its households and people look like census data: sizes, family structure,
/// ages, names as custom goes, dwellings, schooling, work, health and functioning, all
/// driven by a latent welfare level so that poverty indicators vary together.
///
/// Household `i` depends only on the seed and `i` (people are numbered in order), so a
/// registry of N households is a prefix of one of N + M. Nothing is read from the clock,
/// the locale or the platform: output is byte-identical everywhere. Phone numbers use an
/// unassigned calling code and e-mail addresses `.example` domains, so demo data cannot
/// reach anyone.
public struct DemoRegistry: Sendable {
    /// Number of households generated.
    public let households: Int
    public let seed: UInt64

    public init(households: Int, seed: UInt64) {
        precondition(households >= 0 && households <= 99_999_999, "household refs have 8 digits")
        self.households = households
        self.seed = seed
    }

    /// Rows of areas.csv, aligned with ExchangeFormat.areaColumns, parents before children. A few hundred areas.
    /// The outlines of the demo country's regions, provinces and municipalities.
    public var boundaries: [AreaBoundary] { DemoGeography.standard.boundaries }

    /// The demo country's hazard layers: `flood_zones` and `rivers`.
    public var hazardLayers: [HazardLayer] { DemoGeography.hazards() }

    public func areaRows() -> [[String]] {
        let columns = ExchangeFormat.areaColumns
        let order = ["area_code", "name", "level", "parent_code"].map { columns.firstIndex(of: $0) }
        return DemoGeography.standard.areas.map { area in
            var row = [String](repeating: "", count: columns.count)
            for (source, target) in order.enumerated() {
                if let target { row[target] = area[source] }
            }
            return row
        }
    }

    /// Calls body once per household, in order, with the household's row (aligned with
    /// ExchangeFormat.householdColumns()) and its members' rows (aligned with ExchangeFormat.individualColumns()),
    /// the head first. Streams: memory does not grow with the number of households.
    public func forEachHousehold(_ body: (_ household: [String], _ members: [[String]]) throws -> Void) rethrows {
        let generator = DemoHouseholdGenerator(seed: seed)
        var people: [DemoPerson] = []
        people.reserveCapacity(16)
        var members: [[String]] = []
        members.reserveCapacity(16)
        var nextPerson = 0
        for index in 0..<households {
            let household = generator.generate(index: index, firstPerson: nextPerson, people: &people, members: &members)
            nextPerson += members.count
            try body(household, members)
        }
    }
}
