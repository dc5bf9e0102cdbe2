/// Fast, locale-free formatting for the demo generator's cells.
///
/// Foundation's formatters are slow and depend on the locale and platform; a million
/// households need tens of millions of cells, so numbers and dates are written byte by
/// byte into strings of known length.
enum DemoText {
    private static let zero = UInt8(ascii: "0")

    /// `value` (≥ 0) in decimal, left-padded with zeros to `width` digits.
    static func padded(_ value: Int, width: Int) -> String {
        prefixed("", value, width: width)
    }

    /// `prefix` (ASCII) followed by `value` zero-padded to `width` digits, written in one go
    /// rather than concatenated: keys (`H00000042`, `P000000042`) and phone numbers.
    static func prefixed(_ prefix: StaticString, _ value: Int, width: Int) -> String {
        precondition(value >= 0)
        let head = prefix.utf8CodeUnitCount
        let length = head + max(width, digitCount(value))
        return String(unsafeUninitializedCapacity: length) { buffer in
            let start = prefix.utf8Start
            for offset in 0..<head { buffer[offset] = start[offset] }
            var rest = value
            writeDigits(of: &rest, into: buffer, from: length - 1, downTo: head)
            return length
        }
    }

    /// How many decimal digits `value` (≥ 0) has.
    private static func digitCount(_ value: Int) -> Int {
        var digits = 1
        var probe = value / 10
        while probe > 0 { digits += 1; probe /= 10 }
        return digits
    }

    /// Writes the low digits of `rest` right to left into `buffer[low...high]`, dividing them off `rest`.
    private static func writeDigits(of rest: inout Int, into buffer: UnsafeMutableBufferPointer<UInt8>,
                                    from high: Int, downTo low: Int) {
        var index = high
        while index >= low {
            buffer[index] = zero + UInt8(rest % 10)
            rest /= 10
            index -= 1
        }
    }

    /// Decimal strings of small numbers, made once: counts, years and grades are looked up
    /// rather than formatted (small strings are stored inline, so copies cost nothing).
    static let smallNumbers: [String] = (0..<1500).map { String($0) }

    /// `value` in decimal, from the table when it is small.
    @inline(__always)
    static func number(_ value: Int) -> String {
        value >= 0 && value < smallNumbers.count ? smallNumbers[value] : String(value)
    }

    /// A date given as days since 1970-01-01, as `YYYY-MM-DD`.
    static func date(_ days: Int) -> String {
        let (year, month, day) = DemoCalendar.civil(days)
        return String(unsafeUninitializedCapacity: 10) { buffer in
            buffer[0] = zero + UInt8(year / 1000 % 10)
            buffer[1] = zero + UInt8(year / 100 % 10)
            buffer[2] = zero + UInt8(year / 10 % 10)
            buffer[3] = zero + UInt8(year % 10)
            buffer[4] = UInt8(ascii: "-")
            buffer[5] = zero + UInt8(month / 10)
            buffer[6] = zero + UInt8(month % 10)
            buffer[7] = UInt8(ascii: "-")
            buffer[8] = zero + UInt8(day / 10)
            buffer[9] = zero + UInt8(day % 10)
            return 10
        }
    }

    /// A fixed-point number with `fraction` decimals: `fixed(-412345, fraction: 5)` is
    /// `-4.12345`.
    static func fixed(_ scaled: Int, fraction: Int) -> String {
        var divisor = 1
        for _ in 0..<fraction { divisor *= 10 }
        let magnitude = abs(scaled)
        let sign = scaled < 0 ? 1 : 0
        let length = sign + digitCount(magnitude / divisor) + 1 + fraction
        let point = length - fraction - 1
        return String(unsafeUninitializedCapacity: length) { buffer in
            var rest = magnitude
            writeDigits(of: &rest, into: buffer, from: length - 1, downTo: point + 1)
            buffer[point] = UInt8(ascii: ".")
            writeDigits(of: &rest, into: buffer, from: point - 1, downTo: sign)
            if sign == 1 { buffer[0] = UInt8(ascii: "-") }
            return length
        }
    }

    /// An amount in cents, with two decimals, or whole when `whole` is set (and the cents are
    /// then dropped).
    static func money(cents: Int, whole: Bool) -> String {
        whole ? String(cents / 100) : fixed(cents, fraction: 2)
    }

    /// Lower-case ASCII letters and digits only: accents stripped (á → a, ñ → n, ç → c),
    /// spaces and other marks dropped. Used to derive e-mail addresses from names.
    static func slug(_ text: String) -> String {
        var result = ""
        for character in text.lowercased() {
            switch character {
            case "á", "à", "â", "ã", "ä": result.append("a")
            case "é", "è", "ê", "ë": result.append("e")
            case "í", "ì", "î", "ï": result.append("i")
            case "ó", "ò", "ô", "õ", "ö": result.append("o")
            case "ú", "ù", "û", "ü": result.append("u")
            case "ñ": result.append("n")
            case "ç": result.append("c")
            case "a"..."z", "0"..."9": result.append(character)
            default: break
            }
        }
        return result
    }
}

/// The proleptic Gregorian calendar as day numbers, after Howard Hinnant's
/// `days_from_civil`: integer-only, so valid dates and no time zones.
enum DemoCalendar {
    /// Days since 1970-01-01 of a calendar date.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The calendar date of a day number.
    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
