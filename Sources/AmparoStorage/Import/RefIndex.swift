/// The refs an import has seen, held as 64-bit fingerprints of their bytes with the line
/// each was first seen on, so that the checks across rows (a ref used twice, a person whose
/// household is missing) need neither the database nor the refs' text.
///
/// About 16 bytes a ref: 3.4 million people and a million households, a million-household
/// registry, take some 70 MB. Two different refs share a fingerprint with a chance of one in
/// 2^64 per pair (about 3 in 10 million for a whole import of that size); the write pass
/// looks each household up by its text, so such a clash can at worst refuse a row, never
/// attach a person to the wrong household.
struct RefIndex {
    private var lines: [UInt64: Int32] = [:]

    /// The line a ref was first seen on; negative when it was seen but not accepted.
    subscript(ref: String) -> Int32? {
        get { lines[RefIndex.fingerprint(ref)] }
        set { lines[RefIndex.fingerprint(ref)] = newValue }
    }

    func contains(_ ref: String) -> Bool { lines[RefIndex.fingerprint(ref)] != nil }

    /// True when the ref was seen and accepted.
    func accepts(_ ref: String) -> Bool { (lines[RefIndex.fingerprint(ref)] ?? -1) > 0 }

    mutating func insert(_ ref: String) { lines[RefIndex.fingerprint(ref)] = 1 }

    var count: Int { lines.count }

    /// The fingerprint of a ref's UTF-8 bytes. Swift's hasher is keyed afresh for each
    /// process, which is all an import needs: the index lives no longer than the import.
    static func fingerprint(_ ref: String) -> UInt64 {
        var hasher = Hasher()
        var ref = ref
        ref.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }
}
