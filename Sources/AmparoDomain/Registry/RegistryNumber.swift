/// The number a household is known by to people: short, printed on cards and read over
/// the telephone, with a check digit that catches a mistyped digit or two swapped ones.
///
/// Example: `RegistryNumber(sequence: 1234).description == "H-0000-1234-0"`.
public struct RegistryNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let sequence: Int64

    public init(sequence: Int64) {
        // Eight digits cover a hundred million households; past that the number simply grows longer.
        self.sequence = max(0, sequence)
    }

    /// Reads `H-0000-1234-0` (dashes and case optional); nil when the check digit does not match.
    public init?(_ text: String) {
        let digits = text.uppercased().filter { $0 != "-" && $0 != " " }
        guard digits.first == "H", digits.count >= 10, digits.count <= 19 else { return nil }
        let body = digits.dropFirst()
        guard body.allSatisfy(\.isASCII), let all = Int64(body), all >= 0 else { return nil }
        let sequence = all / 10
        guard RegistryNumber.checkDigit(of: RegistryNumber.padded(sequence)) == Int(all % 10) else { return nil }
        self.sequence = sequence
    }

    public var description: String {
        let padded = RegistryNumber.padded(sequence)
        return "H-\(padded.dropLast(4))-\(padded.suffix(4))-\(RegistryNumber.checkDigit(of: padded))"
    }

    /// The Damm check digit: unlike Luhn it catches every single-digit error and every swap of adjacent digits.
    static func checkDigit(of digits: String) -> Int {
        let table: [[Int]] = [
            [0, 3, 1, 7, 5, 9, 8, 6, 4, 2], [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
            [4, 2, 0, 6, 8, 7, 1, 3, 5, 9], [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
            [6, 1, 2, 3, 0, 4, 5, 9, 7, 8], [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
            [5, 8, 6, 9, 7, 2, 0, 1, 3, 4], [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
            [9, 4, 3, 8, 6, 1, 7, 2, 0, 5], [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
        ]
        var interim = 0
        for byte in digits.utf8 {
            interim = table[interim][Int(byte - 48)]
        }
        return interim
    }

    private static func padded(_ sequence: Int64) -> String {
        let digits = String(sequence)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    public static func < (lhs: RegistryNumber, rhs: RegistryNumber) -> Bool { lhs.sequence < rhs.sequence }
}
