import Foundation

/// Makes record ids as UUID version 7 (RFC 9562): a millisecond timestamp first, then
/// randomness. Ids made one after another sort one after another, so a bulk load appends
/// to the end of each index instead of scattering writes across it, as random (version 4)
/// ids would; they stay as unguessable and as unique.
struct RecordIdentifiers {
    private var lastMillisecond: UInt64 = 0
    private var counter: UInt64 = 0
    private var random = SystemRandomNumberGenerator()

    mutating func next() -> UUID {
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
        let tail = random.next() as UInt64
        let high = (lastMillisecond << 16) | 0x7000 | counter
        let low = (tail & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        // Big-endian, as RFC 9562 lays the fields out; no array, since this runs twice per person imported.
        return withUnsafeBytes(of: (high.bigEndian, low.bigEndian)) { UUID(uuid: $0.load(as: uuid_t.self)) }
    }
}
