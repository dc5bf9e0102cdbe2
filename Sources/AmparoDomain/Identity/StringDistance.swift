/// The string comparators of record linkage, over the bytes of normalised text.
///
/// Names reach these after `LinkageText` has folded case and accents, so Spanish and
/// Portuguese names are plain ASCII and a byte is a letter. Text in other scripts stays
/// UTF-8 and is compared byte by byte, which ranks it more coarsely but never wrongly
/// calls different text equal.
public enum StringDistance {
    /// Jaro similarity: 1 for equal text, 0 when nothing matches within the window.
    public static func jaro(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        if a.isEmpty || b.isEmpty { return 0 }
        let window = max(0, max(a.count, b.count) / 2 - 1)
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: a.count + b.count) { flags in
            flags.initialize(repeating: false)
            var matches = 0
            for i in 0..<a.count {
                let low = max(0, i - window), high = min(b.count - 1, i + window)
                guard low <= high else { continue }
                for j in low...high where !flags[a.count + j] && a[i] == b[j] {
                    flags[i] = true
                    flags[a.count + j] = true
                    matches += 1
                    break
                }
            }
            guard matches > 0 else { return 0 }
            var transpositions = 0, j = 0
            for i in 0..<a.count where flags[i] {
                while !flags[a.count + j] { j += 1 }
                if a[i] != b[j] { transpositions += 1 }
                j += 1
            }
            let m = Double(matches)
            return (m / Double(a.count) + m / Double(b.count) + (m - Double(transpositions / 2)) / m) / 3
        }
    }

    /// Jaro–Winkler similarity: Jaro raised by a common prefix of up to four letters,
    /// since names typed twice differ more often at their end than at their start.
    public static func jaroWinkler(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        let jaro = jaro(a, b)
        var prefix = 0
        while prefix < min(4, a.count, b.count) && a[prefix] == b[prefix] { prefix += 1 }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }

    /// Levenshtein distance: insertions, deletions and substitutions.
    public static func levenshtein(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * (b.count + 1)) { rows in
            var previous = 0, current = b.count + 1
            for j in 0...b.count { rows[j] = j }
            for i in 1...a.count {
                rows[current] = i
                for j in 1...b.count {
                    let substitution = rows[previous + j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                    rows[current + j] = min(substitution, rows[previous + j] + 1, rows[current + j - 1] + 1)
                }
                swap(&previous, &current)
            }
            return rows[previous + b.count]
        }
    }

    /// Damerau–Levenshtein distance (Lowrance and Wagner): Levenshtein's edits plus the
    /// transposition of two letters, even with other edits between them, each costing one.
    public static func damerauLevenshtein(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let width = b.count + 2
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: (a.count + 2) * width + 256) { cells in
            let lastRowOf = UnsafeMutableBufferPointer(rebasing: cells[((a.count + 2) * width)...])
            lastRowOf.initialize(repeating: 0)
            let infinity = a.count + b.count
            func at(_ i: Int, _ j: Int) -> Int { (i + 1) * width + (j + 1) }
            cells[at(-1, -1)] = infinity
            for i in 0...a.count { cells[at(i, -1)] = infinity; cells[at(i, 0)] = i }
            for j in 0...b.count { cells[at(-1, j)] = infinity; cells[at(0, j)] = j }
            for i in 1...a.count {
                var lastMatchingColumn = 0
                for j in 1...b.count {
                    let k = lastRowOf[Int(b[j - 1])], l = lastMatchingColumn
                    let cost: Int
                    if a[i - 1] == b[j - 1] { cost = 0; lastMatchingColumn = j } else { cost = 1 }
                    cells[at(i, j)] = min(
                        cells[at(i - 1, j - 1)] + cost,
                        cells[at(i, j - 1)] + 1,
                        cells[at(i - 1, j)] + 1,
                        cells[at(k - 1, l - 1)] + (i - k - 1) + 1 + (j - l - 1)
                    )
                }
                lastRowOf[Int(a[i - 1])] = i
            }
            return cells[at(a.count, b.count)]
        }
    }
}

extension StringDistance {
    /// The Damerau–Levenshtein distance if it is at most `limit`, otherwise `limit + 1`.
    ///
    /// Linkage asks only whether two values are one or two edits apart, and nearly every
    /// candidate pair is far apart: cheap lower bounds settle those without the table.
    public static func damerauLevenshtein(
        _ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, atMost limit: Int
    ) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if limit == 1 { return withinOneEdit(a, b) ? (a.elementsEqual(b) ? 0 : 1) : 2 }
        // Each edit changes the letter counts by at most two, a transposition not at all.
        if (letterDifference(a, b) + 1) / 2 > limit { return limit + 1 }
        return min(damerauLevenshtein(a, b), limit + 1)
    }

    /// Whether two values are at most one insertion, deletion, substitution or
    /// transposition of neighbours apart, in linear time: what differs once their common
    /// start and end are set aside must be one of those edits.
    public static func withinOneEdit(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard abs(a.count - b.count) <= 1 else { return false }
        var start = 0
        let shorter = min(a.count, b.count)
        while start < shorter && a[start] == b[start] { start += 1 }
        var endA = a.count, endB = b.count
        while endA > start && endB > start && a[endA - 1] == b[endB - 1] {
            endA -= 1
            endB -= 1
        }
        switch (endA - start, endB - start) {
        case (0, 0), (0, 1), (1, 0), (1, 1): return true
        case (2, 2): return a[start] == b[start + 1] && a[start + 1] == b[start]
        default: return false
        }
    }

    /// Jaro–Winkler similarity when it may reach `floor`; otherwise some value below
    /// `floor`, found from letter counts alone. Two names with few letters in common
    /// cannot be similar, and most pairs a blocking rule brings together are such names.
    public static func jaroWinkler(
        _ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, reaching floor: Double
    ) -> Double {
        guard !a.isEmpty, !b.isEmpty else { return jaroWinkler(a, b) }
        // Matches are letters in common, whatever their place; none are transposed at best.
        let matches = Double(min(a.count, b.count, lettersInCommon(a, b)))
        let jaro = (matches / Double(a.count) + matches / Double(b.count) + (matches > 0 ? 1 : 0)) / 3
        var prefix = 0
        while prefix < min(4, a.count, b.count) && a[prefix] == b[prefix] { prefix += 1 }
        let bound = jaro + Double(prefix) * 0.1 * (1 - jaro)
        return bound < floor ? bound : jaroWinkler(a, b)
    }

    /// Letters are counted in 32 bins by their low five bits: A–Z and 0–9 each have a bin
    /// of their own, and a shared bin can only make two values look closer than they are,
    /// so the bounds above stay bounds.
    private static func withLetterCounts<R>(
        _ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, _ body: (UnsafeMutableBufferPointer<Int32>) -> R
    ) -> R {
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 64) { counts in
            counts.initialize(repeating: 0)
            for byte in a { counts[Int(byte & 31)] += 1 }
            for byte in b { counts[32 + Int(byte & 31)] += 1 }
            return body(counts)
        }
    }

    static func letterDifference(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        withLetterCounts(a, b) { counts in
            var total: Int32 = 0
            for bin in 0..<32 { total += abs(counts[bin] - counts[32 + bin]) }
            return Int(total)
        }
    }

    static func lettersInCommon(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        withLetterCounts(a, b) { counts in
            var total: Int32 = 0
            for bin in 0..<32 { total += min(counts[bin], counts[32 + bin]) }
            return Int(total)
        }
    }
}

extension StringDistance {
    /// The comparators over Swift strings, for callers outside the scoring loop.
    public static func jaroWinkler(_ a: String, _ b: String) -> Double { bytes(a, b, jaroWinkler) }
    public static func jaro(_ a: String, _ b: String) -> Double { bytes(a, b, jaro) }
    public static func levenshtein(_ a: String, _ b: String) -> Int { bytes(a, b, levenshtein) }
    public static func damerauLevenshtein(_ a: String, _ b: String) -> Int { bytes(a, b, damerauLevenshtein) }

    private static func bytes<R>(
        _ a: String, _ b: String,
        _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> R
    ) -> R {
        let a = Array(a.utf8), b = Array(b.utf8)
        return a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in body(a, b) } }
    }
}
