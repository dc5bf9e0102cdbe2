import Foundation

/// Makes record ids as UUID version 7 (RFC 9562): a millisecond timestamp first, then
/// randomness. Ids made one after another sort one after another, so a bulk load appends
/// to the end of each index instead of scattering writes across it, as random (version 4)
/// ids would; they stay as unguessable and as unique.
struct RecordIdentifiers {
    private var lastMillisecond: UInt64 = 0
    private var counter: UInt64 = 0
    /// Randomness fetched from the system in batches: one system call per id was a tenth of
    /// an import's work.
    private var randomPool: [UInt64] = []

    mutating func next() -> UUID {
        let (high, low) = nextBits()
        // Big-endian, as RFC 9562 lays the fields out.
        return withUnsafeBytes(of: (high.bigEndian, low.bigEndian)) { UUID(uuid: $0.load(as: uuid_t.self)) }
    }

    /// The next id in its canonical text, upper-case as `UUID.uuidString` writes it, without
    /// going through Foundation's formatting, which costs more than making the id.
    mutating func nextText() -> String {
        let (high, low) = nextBits()
        return Self.text(high: high, low: low)
    }

    /// An id's canonical text, as `nextText()` writes it.
    static func text(of id: UUID) -> String {
        withUnsafeBytes(of: id.uuid) { bytes in
            text(high: UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)),
                 low: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }
    }

    private static func text(high: UInt64, low: UInt64) -> String {
        String(unsafeUninitializedCapacity: 36) { text in
            let digits: StaticString = "0123456789ABCDEF"
            var at = 0
            for nibble in 0..<32 {
                if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 {
                    text[at] = UInt8(ascii: "-")
                    at += 1
                }
                let word = nibble < 16 ? high : low
                text[at] = digits.utf8Start[Int((word >> UInt64(60 - 4 * (nibble % 16))) & 0xF)]
                at += 1
            }
            return at
        }
    }

    private mutating func nextBits() -> (high: UInt64, low: UInt64) {
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        if now > lastMillisecond {
            lastMillisecond = now
            counter = 0
        } else {
            // Same millisecond (or the clock stepped back): count up, borrowing the next millisecond when full.
            counter += 1
            if counter > 0xFFF {
                lastMillisecond += 1
                counter = 0
            }
        }
        if randomPool.isEmpty {
            randomPool = [UInt64](repeating: 0, count: 512)
            randomPool.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, $0.count) }
        }
        let tail = randomPool.removeLast()
        let high = (lastMillisecond << 16) | 0x7000 | counter
        let low = (tail & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return (high, low)
    }
}
