import Foundation
import Hummingbird
import AmparoDomain
import AmparoStorage

/// The back office's screens of targeting: the runs kept, and a run's figures for the whole
/// country, for every area of a chosen level and for each group, as tables.
struct TargetingPages: Sendable {
    let runs: TargetingRunRepository
    let boundaries: AreaBoundaries
    /// The currency of benefits (ISO 4217).
    let currency: String

    init(database: RegistryDatabase, currency: String = "COP") {
        runs = TargetingRunRepository(database: database)
        boundaries = AreaBoundaries(database: database)
        self.currency = currency
    }

    func addRoutes(to group: RouterGroup<AmparoRequestContext>) {
        group.get("targeting", needs: .readAggregates, use: list)
        group.get("targeting/runs/:id", needs: .readAggregates, use: figures)
    }

    struct RunsContent: Sendable {
        var runs: [RunRow]
        var hasRuns: Bool
    }

    struct RunRow: Sendable {
        var number: String
        var href: String
        var policy: String
        var purpose: String
        var referenceDate: String
        var area: String
        var status: String
        var households: String
        var startedAt: String
    }

    @Sendable func list(_ request: Request, context: AmparoRequestContext) async throws -> Page<RunsContent> {
        let language = context.language, format = PageFormat(language), words = PageText.words(language)
        let rows = try await runs.list().filter { context.requester.may(.readAggregates, in: $0.areaPath ?? Grant.wholeCountry) }.map { run in
            RunRow(number: String(run.id), href: "/office/targeting/runs/\(run.id)", policy: run.policyReference,
                   purpose: words["purpose_\(run.purpose)"] ?? run.purpose, referenceDate: format.date(run.referenceDate),
                   area: run.areaCode ?? words["whole_country"] ?? "", status: words["status_\(run.status)"] ?? run.status,
                   households: format.count(run.householdsDone), startedAt: format.moment(run.startedAt))
        }
        return Page(template: "targeting-runs", title: words["title_targeting"] ?? "", section: .targeting,
                    content: RunsContent(runs: rows, hasRuns: !rows.isEmpty), language: language)
    }

    struct FiguresContent: Sendable {
        var summary: String
        var weightings: [Choice]
        var levels: [Choice]
        var hasLevels: Bool
        var map: MapView?
        var tables: [FigureTable]
        var costForm: CostForm
    }

    /// The question "what would a benefit cost?", asked with a form that works without script.
    struct CostForm: Sendable {
        var action: String
        var weighting: String
        var level: String
        var benefit: String
        var perHousehold: Bool
        var classes: [ClassChoice]
        var currency: String
    }

    struct ClassChoice: Sendable {
        var id: String
        var title: String
        var checked: Bool
    }

    /// The areas of the chosen level coloured by their share, where outlines are loaded.
    struct MapView: Sendable {
        var svg: String
        var caption: String
        var legend: [LegendItem]
    }

    struct LegendItem: Sendable {
        var colour: String
        var label: String
    }

    /// A link that changes one setting of the page; `current` marks the one in force.
    struct Choice: Sendable {
        var label: String
        var href: String
        var current: Bool
    }

    /// A table of figures: a header cell per row, numbers in the other cells.
    struct FigureTable: Sendable {
        var id: String
        var title: String
        var firstColumn: String
        var columns: [String]
        var rows: [FigureRow]
        var note: String?
    }

    struct FigureRow: Sendable {
        var label: String
        var cells: [String]
    }

    @Sendable func figures(_ request: Request, context: AmparoRequestContext) async throws -> Page<FiguresContent> {
        let language = context.language, format = PageFormat(language), words = PageText.words(language)
        let run = try await runs.run(named: context.parameters.get("id"), context: context)
        let query = APIQuery(request, language: language)
        let weighting = try query.weighting() ?? .households
        // Both ways of counting are read once: the tables show one, a cost needs both.
        let both = try await runs.report(run.id)
        let report = RunReport(policy: both.policy, rows: both.rows.filter { $0.weighting == weighting })
        let present = Set(report.rows.compactMap(\.level)).sorted()
        // By default the first level that splits the run into more than one area.
        var level = present.first { candidate in report.rows.filter { $0.scope == "area" && $0.level == candidate }.count > 1 } ?? present.first
        if let text = try query.text("level") {
            guard let parsed = AreaLevel(rawValue: text), present.contains(parsed) else {
                throw ProblemDetails.badRequest(.notALevel(text), in: language, parameter: "level")
            }
            level = parsed
        }

        let path = "/office/targeting/runs/\(run.id)"
        func link(weighting: Weighting, level: AreaLevel?) -> String {
            PageLink.path(path, query: [("weighting", weighting.rawValue)] + (level.map { [("level", $0.rawValue)] } ?? []))
        }
        let weightings = Weighting.allCases.map {
            Choice(label: words["weighting_\($0.rawValue)"] ?? $0.rawValue, href: link(weighting: $0, level: level), current: $0 == weighting)
        }
        let levels = present.map {
            Choice(label: words["level_\($0.rawValue)"] ?? $0.rawValue, href: link(weighting: weighting, level: $0), current: $0 == level)
        }
        let figures = RunFigures(report: report, language: language, format: format, words: words)
        var tables = [figures.table(id: "whole", title: words["figures_whole"] ?? "", first: "", rows: report.rows.filter { $0.scope == "all" })]
        if let indicators = figures.indicators() { tables.append(indicators) }
        var map: MapView?
        if let level {
            let rows = report.rows.filter { $0.scope == "area" && $0.level == level }
            map = try await self.map(rows, level: level, figures: figures)
            tables.append(figures.table(id: "areas", title: words["level_\(level.rawValue)"] ?? level.rawValue,
                                        first: words["figures_area"] ?? "",
                                        rows: report.rows.filter { $0.scope == "area" && $0.level == level }))
        }
        for scope in ["zone", "head_sex", "head_ethnicity"] {
            let rows = report.rows.filter { $0.scope == scope }
            if !rows.isEmpty {
                tables.append(figures.table(id: scope, title: words["group_\(scope)"] ?? scope, first: words["figures_group"] ?? "", rows: rows))
            }
        }
        let costForm = try cost(request, run: run, report: both, level: level, weighting: weighting,
                                format: format, words: words, language: language, tables: &tables)
        let summary = PageSentence.runSummary(policy: report.policy.title[language], reference: run.policyReference,
                                              date: format.date(run.referenceDate), households: format.count(run.householdsDone))
        return Page(template: "targeting-run", title: PageSentence.runTitle(run: String(run.id)).text(in: language),
                    section: .targeting,
                    content: FiguresContent(summary: summary.text(in: language), weightings: weightings, levels: levels,
                                           hasLevels: levels.count > 1, map: map, tables: tables, costForm: costForm),
                    language: language)
    }
}

extension TargetingPages {
    /// The cost form, and when a benefit is asked, the cost table for the whole and the areas
    /// of the level, first among the tables.
    func cost(_ request: Request, run: StoredRun, report: RunReport, level: AreaLevel?, weighting: Weighting,
              format: PageFormat, words: [String: String], language: Language,
              tables: inout [FigureTable]) throws -> CostForm {
        let query = APIQuery(request, language: language)
        let benefit = try query.benefit()
        let cost = try benefit.map { try query.cost(of: $0, report: report) }
        let chosen = Set(cost?.classes ?? [report.policy.classes[0].id])
        if let cost {
            let areasOfLevel = Set(report.rows.filter { $0.scope == "area" && $0.level == level }.map(\.key))
            let rows = cost.lines.filter { $0.scope == "all" || ($0.scope == "area" && areasOfLevel.contains($0.key)) }
            tables.insert(FigureTable(
                id: "cost", title: PageSentence.costTitle(amount: format.money(cost.amount, currency: currency),
                                                          per: words["per_\(cost.recipient.rawValue)"] ?? "").text(in: language),
                firstColumn: words["figures_area"] ?? "",
                columns: ["home_households", "home_individuals", "cost_per_payment"].map { words[$0] ?? $0 },
                rows: rows.map { line in
                    FigureRow(label: line.scope == "all" ? words["whole_country"] ?? "" : "\(line.name) (\(line.key))",
                              cells: [format.count(line.households), format.count(line.persons), format.money(line.cost, currency: currency)])
                },
                note: words["cost_note"]), at: 0)
        }
        return CostForm(
            action: "/office/targeting/runs/\(run.id)", weighting: weighting.rawValue, level: level?.rawValue ?? "",
            benefit: benefit.map { Answer.money(hundredths: $0).exchangeText } ?? "",
            perHousehold: (cost?.recipient ?? .household) == .household,
            classes: report.policy.classes.dropLast().map { ClassChoice(id: $0.id, title: $0.title[language], checked: chosen.contains($0.id)) },
            currency: currency)
    }

    /// A choropleth of the rows' areas, or nil when none of them has an outline.
    func map(_ rows: [RunReport.Row], level: AreaLevel, figures: RunFigures) async throws -> MapView? {
        let outlines = try await boundaries.outlines(codes: rows.map(\.key))
        guard !outlines.isEmpty else { return nil }
        let format = figures.format, words = figures.words
        let areas = rows.map { row in
            let share = figures.share(row)
            return ChoroplethMap.Area(code: row.key, name: row.name, polygons: outlines[row.key] ?? [], share: share,
                                      shareText: share.map { format.percent($0) } ?? (words["map_no_data"] ?? ""))
        }
        let measure = figures.shareName
        let level = words["level_\(level.rawValue)"] ?? level.rawValue
        let title = PageSentence.mapTitle(measure: measure, level: level).text(in: figures.language)
        var legend = ChoroplethMap.colours.enumerated().map { index, colour in
            LegendItem(colour: colour, label: "\(format.percent(Double(index) / 5, places: 0)) – \(format.percent(Double(index + 1) / 5, places: 0))")
        }
        legend.append(LegendItem(colour: ChoroplethMap.noData, label: words["map_no_data"] ?? ""))
        return MapView(svg: ChoroplethMap().svg(areas, title: title), caption: title, legend: legend)
    }
}

/// A run's report turned into the tables of the page, in the reader's language.
struct RunFigures {
    let report: RunReport
    let language: Language
    let format: PageFormat
    let words: [String: String]

    private var definition: MPIDefinition? {
        if case .mpi(let definition) = report.policy.method { definition } else { nil }
    }

    private func mpiFigures(_ row: RunReport.Row) -> MPIFigures? {
        guard let definition, let tally = row.tally.mpi else { return nil }
        return tally.figures(weights: definition.indicators.map(\.weight), denominator: definition.scoreDenominator)
    }

    /// For an MPI: population, poor, H, A, M0 and those left out for missing data.
    /// For other policies: the share in each class.
    func table(id: String, title: String, first: String, rows: [RunReport.Row]) -> TargetingPages.FigureTable {
        let columns: [String]
        if definition != nil {
            columns = ["figures_population", "figures_poor", "figures_h", "figures_a", "figures_m0", "figures_missing"]
                .map { words[$0] ?? $0 }
        } else {
            columns = [words["figures_population"] ?? ""] + report.policy.classes.map { $0.title[language] }
        }
        let figureRows = rows.map { row -> TargetingPages.FigureRow in
            if let figures = mpiFigures(row) {
                return .init(label: label(row), cells: [
                    format.count(figures.population), format.count(figures.poor), format.percent(figures.headcountRatio),
                    format.percent(figures.intensity), format.decimal(figures.adjustedHeadcountRatio), format.count(figures.missing),
                ])
            }
            let total = row.tally.classes.reduce(0, +)
            return .init(label: label(row), cells: [format.count(total)] + row.tally.classes.map { total > 0 ? format.percent($0 / total) : "—" })
        }
        return .init(id: id, title: title, firstColumn: first, columns: columns, rows: figureRows,
                     note: definition != nil && id == "whole" ? words["figures_mpi_note"] : nil)
    }

    /// For an MPI, each indicator of the whole: its weight, the share deprived in it, the
    /// share poor and deprived in it, and its share of M0.
    func indicators() -> TargetingPages.FigureTable? {
        guard let definition, let row = report.rows.first(where: { $0.scope == "all" }), let whole = mpiFigures(row) else { return nil }
        let rows = definition.indicators.enumerated().map { index, indicator in
            TargetingPages.FigureRow(label: indicator.title[language], cells: [
                format.percent(indicator.weight.doubleValue, places: 2),
                format.percent(whole.uncensoredHeadcounts[index]), format.percent(whole.censoredHeadcounts[index]),
                format.percent(whole.contributions[index]),
            ])
        }
        return .init(id: "indicators", title: words["figures_indicators"] ?? "", firstColumn: words["figures_indicator"] ?? "",
                     columns: ["figures_weight", "figures_uncensored", "figures_censored", "figures_contribution"].map { words[$0] ?? $0 },
                     rows: rows, note: nil)
    }

    /// The share a map colours an area by: H for an MPI, else the share in the first class
    /// (the one a programme selects); nil for an area without data.
    func share(_ row: RunReport.Row) -> Double? {
        if definition != nil {
            guard let figures = mpiFigures(row), figures.population > 0 else { return nil }
            return figures.headcountRatio
        }
        let total = row.tally.classes.dropLast().reduce(0, +)
        return total > 0 ? row.tally.classes[0] / total : nil
    }

    var shareName: String {
        definition != nil ? words["figures_h"] ?? "" : report.policy.classes.first?.title[language] ?? ""
    }

    private func label(_ row: RunReport.Row) -> String {
        switch row.scope {
        case "all": return words["whole_country"] ?? ""
        case "area": return "\(row.name) (\(row.key))"
        case "zone": return words["zone_\(row.key)"] ?? row.key
        case "head_sex": return words["sex_\(row.key)"] ?? row.key
        case "head_ethnicity": return words["ethnicity_\(row.key)"] ?? row.key
        default: return row.key
        }
    }
}
