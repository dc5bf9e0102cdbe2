import Foundation

/// How two records are compared on one field: an ordered list of levels of agreement,
/// from exact to different, the last always "different". A pair falls in the first level
/// whose test it passes; `Comparison.missing` when either side lacks the value, which
/// then neither argues for nor against a match.
public struct Comparison: Sendable, Hashable {
    public enum Kind: Sendable, Hashable, CaseIterable {
        case givenNames, surnames, date, identifier, text, postcode, code, distance
    }

    public let field: LinkageField?
    public let kind: Kind
    /// Whether the exact level is weighed by how common the value is, so that two
    /// "González" count for less than two "Zúñiga".
    public let termFrequency: Bool

    public static let missing = -1

    public init(_ field: LinkageField, _ kind: Kind, termFrequency: Bool = false) {
        self.field = field
        self.kind = kind
        self.termFrequency = termFrequency
    }

    /// The household points, compared by distance.
    public static let place = Comparison(kind: .distance)

    private init(kind: Kind) {
        self.field = nil
        self.kind = kind
        self.termFrequency = false
    }

    public var name: String { field?.description ?? "place" }

    /// The levels in English words, the stable vocabulary of the audit export.
    public var levels: [String] { Comparison.englishLevels[kind]! }

    /// The levels in words in each language, for the review screen.
    public var levelTexts: [LocalizedText] { Comparison.levelTexts[kind]! }

    // Made once: the export writes a level in words for every field of every pair.
    private static let levelTexts = Dictionary(uniqueKeysWithValues: Kind.allCases.map { ($0, texts($0)) })
    private static let englishLevels = levelTexts.mapValues { $0.map(\.en) }

    private static func texts(_ kind: Kind) -> [LocalizedText] {
        typealias L = LocalizedText
        let exact = L(es: "igual", pt: "igual", en: "exact")
        let different = L(es: "distinto", pt: "diferente", en: "different")
        let oneEdit = L(es: "una letra de diferencia", pt: "uma letra de diferença", en: "one edit")
        func similar(_ threshold: String) -> L {
            L(es: "parecido (Jaro-Winkler ≥ \(threshold.replacingOccurrences(of: ".", with: ",")))",
              pt: "parecido (Jaro-Winkler ≥ \(threshold.replacingOccurrences(of: ".", with: ",")))",
              en: "jaro-winkler ≥ \(threshold)")
        }
        switch kind {
        case .givenNames:
            return [exact, oneEdit,
                    L(es: "un nombre contiene al otro", pt: "um nome contém o outro", en: "one name within the other"),
                    similar("0.9"), similar("0.8"), different]
        case .surnames:
            return [exact,
                    L(es: "los mismos apellidos en otro orden", pt: "os mesmos sobrenomes em outra ordem",
                      en: "same surnames in another order"),
                    L(es: "falta un apellido", pt: "falta um sobrenome", en: "one surname missing"),
                    oneEdit, similar("0.92"),
                    L(es: "comparten un apellido", pt: "compartilham um sobrenome", en: "one surname shared"),
                    similar("0.8"), different]
        case .date:
            return [exact,
                    L(es: "día y mes invertidos, o un dígito", pt: "dia e mês trocados, ou um dígito",
                      en: "day and month swapped, or one digit"),
                    L(es: "a menos de un año", pt: "a menos de um ano", en: "within a year"), different]
        case .identifier:
            return [exact,
                    L(es: "dos dígitos vecinos invertidos", pt: "dois dígitos vizinhos trocados", en: "two adjacent digits transposed"),
                    L(es: "un dígito distinto", pt: "um dígito diferente", en: "one digit off"),
                    L(es: "dos dígitos distintos", pt: "dois dígitos diferentes", en: "two digits off"), different]
        case .text: return [exact, similar("0.9"), similar("0.7"), different]
        case .postcode: return [exact, oneEdit, different]
        case .code: return [exact, different]
        case .distance:
            return [L(es: "a menos de 100 m", pt: "a menos de 100 m", en: "within 100 m"),
                    L(es: "a menos de 1 km", pt: "a menos de 1 km", en: "within 1 km"),
                    L(es: "a menos de 10 km", pt: "a menos de 10 km", en: "within 10 km"),
                    L(es: "más lejos", pt: "mais longe", en: "further")]
        }
    }

    /// The level of agreement of two values of this comparison's field, or `missing`.
    public func level(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        if a.isEmpty || b.isEmpty { return Comparison.missing }
        if Comparison.equal(a, b) { return 0 }
        switch kind {
        case .givenNames:
            if StringDistance.withinOneEdit(a, b) { return 1 }
            if Words.within(a, b) || Words.within(b, a) { return 2 }
            let similarity = StringDistance.jaroWinkler(a, b, reaching: 0.8)
            return similarity >= 0.9 ? 3 : similarity >= 0.8 ? 4 : 5
        case .surnames:
            let aWithinB = Words.within(a, b), bWithinA = Words.within(b, a)
            if aWithinB && bWithinA { return 1 }
            if aWithinB || bWithinA { return 2 }
            if StringDistance.withinOneEdit(a, b) { return 3 }
            let similarity = StringDistance.jaroWinkler(a, b, reaching: 0.8)
            if similarity >= 0.92 { return 4 }
            if Words.shareOne(a, b) { return 5 }
            return similarity >= 0.8 ? 6 : 7
        case .date:
            if Comparison.daySwapped(a, b) || StringDistance.withinOneEdit(a, b) { return 1 }
            return abs(Comparison.dayNumber(a) - Comparison.dayNumber(b)) <= 366 ? 2 : 3
        case .identifier:
            if Comparison.adjacentTransposition(a, b) { return 1 }
            let distance = StringDistance.damerauLevenshtein(a, b, atMost: 2)
            return distance <= 1 ? 2 : distance <= 2 ? 3 : 4
        case .text:
            let similarity = StringDistance.jaroWinkler(a, b, reaching: 0.7)
            return similarity >= 0.9 ? 1 : similarity >= 0.7 ? 2 : 3
        case .postcode:
            return StringDistance.withinOneEdit(a, b) ? 1 : 2
        case .code, .distance:
            return 1
        }
    }

    /// The level of agreement of two places, or `missing` where either is unknown (NaN).
    public static func placeLevel(_ latitudeA: Float, _ longitudeA: Float, _ latitudeB: Float, _ longitudeB: Float) -> Int {
        if latitudeA.isNaN || latitudeB.isNaN { return Comparison.missing }
        let metres = Comparison.metres(Double(latitudeA), Double(longitudeA), Double(latitudeB), Double(longitudeB))
        return metres <= 100 ? 0 : metres <= 1_000 ? 1 : metres <= 10_000 ? 2 : 3
    }

    /// Great-circle distance on a sphere of the Earth's mean radius.
    static func metres(_ latitudeA: Double, _ longitudeA: Double, _ latitudeB: Double, _ longitudeB: Double) -> Double {
        let radians = Double.pi / 180
        let dLatitude = (latitudeB - latitudeA) * radians, dLongitude = (longitudeB - longitudeA) * radians
        let h = sin(dLatitude / 2) * sin(dLatitude / 2)
            + cos(latitudeA * radians) * cos(latitudeB * radians) * sin(dLongitude / 2) * sin(dLongitude / 2)
        return 2 * 6_371_008.8 * asin(min(1, h.squareRoot()))
    }

    static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard a.count >= 8 else {
            for index in 0..<a.count where a[index] != b[index] { return false }
            return true
        }
        // Values are mostly 8 to 16 bytes: their first and last eight, which may overlap,
        // settle it without a call.
        guard a.count <= 16 else { return memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 }
        let rawA = UnsafeRawPointer(a.baseAddress!), rawB = UnsafeRawPointer(b.baseAddress!)
        return rawA.loadUnaligned(as: UInt64.self) == rawB.loadUnaligned(as: UInt64.self)
            && rawA.loadUnaligned(fromByteOffset: a.count - 8, as: UInt64.self)
                == rawB.loadUnaligned(fromByteOffset: a.count - 8, as: UInt64.self)
    }

    /// `yyyymmdd` against `yyyyddmm`: the day and month entered the other way round.
    static func daySwapped(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        a.count == 8 && b.count == 8 && a[0..<4].elementsEqual(b[0..<4])
            && a[4..<6].elementsEqual(b[6..<8]) && a[6..<8].elementsEqual(b[4..<6])
    }

    /// Days since the start of year 0 of a `yyyymmdd` date, near enough to tell a year apart.
    static func dayNumber(_ date: UnsafeBufferPointer<UInt8>) -> Int {
        guard date.count == 8 else { return 0 }
        func number(_ range: Range<Int>) -> Int { date[range].reduce(0) { $0 * 10 + Int($1) - 48 } }
        return number(0..<4) * 365 + number(0..<4) / 4 + (number(4..<6) - 1) * 31 + number(6..<8)
    }

    /// Equal but for two neighbouring characters swapped: 1032456789 and 1023456789.
    static func adjacentTransposition(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count, a.count >= 2 else { return false }
        var first = -1
        for index in 0..<a.count where a[index] != b[index] {
            if first < 0 { first = index } else if index != first + 1 { return false } else {
                return a[first] == b[index] && a[index] == b[first] && a[(index + 1)...].elementsEqual(b[(index + 1)...])
            }
        }
        return false
    }
}

/// The words of normalised names, compared without allocating.
enum Words {
    /// Every word of `a` is a word of `b`.
    static func within(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0
        while let word = next(a, from: &start) {
            if !contains(b, word) { return false }
        }
        return true
    }

    /// Some word of `a` is a word of `b`.
    static func shareOne(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0
        while let word = next(a, from: &start) {
            if contains(b, word) { return true }
        }
        return false
    }

    static func contains(_ text: UnsafeBufferPointer<UInt8>, _ word: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0
        while let candidate = next(text, from: &start) {
            // Names are short: a first letter and a length rule out nearly every word.
            if candidate.count == word.count && candidate[0] == word[0] && Comparison.equal(candidate, word) { return true }
        }
        return false
    }

    /// The word of `text` at or after `start`, moving `start` past it; nil at the end.
    static func next(_ text: UnsafeBufferPointer<UInt8>, from start: inout Int) -> UnsafeBufferPointer<UInt8>? {
        while start < text.count && text[start] == 32 { start += 1 }
        guard start < text.count else { return nil }
        var end = start + 1
        while end < text.count && text[end] != 32 { end += 1 }
        defer { start = end }
        return UnsafeBufferPointer(rebasing: text[start..<end])
    }
}
