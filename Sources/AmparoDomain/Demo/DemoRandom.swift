/// SplitMix64 (Steele, Lea and Flood): used only to expand seeds, because consecutive
/// inputs give well-mixed, unrelated outputs.
struct DemoSplitMix64 {
    var state: UInt64

    init(_ state: UInt64) { self.state = state }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// The SplitMix64 finaliser on its own: a bijection of UInt64 with good avalanche.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The demo generator's pseudo-random source: xoshiro256** (Blackman and Vigna).
///
/// Everything here is integer arithmetic or IEEE-754 basic operations (no `log`, `exp`
/// or `sin` from the platform's libm, whose last bits differ between platforms), so a
/// seed gives the same stream, and the same registry, on every machine and Swift version.
/// The standard library's `random(in:using:)` is avoided too: its algorithm is not
/// promised to stay the same.
struct DemoRandom {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    init(seed: UInt64) {
        var expander = DemoSplitMix64(seed)
        s0 = expander.next()
        s1 = expander.next()
        s2 = expander.next()
        s3 = expander.next()
        // xoshiro must not start from the all-zero state; SplitMix64 cannot give four zeros
        // in a row, but stay safe.
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    /// An independent stream for item `index` of a generation seeded with `seed`, so that
    /// item i depends on (seed, i) alone and a generation can be cut or extended.
    init(seed: UInt64, stream index: UInt64) {
        self.init(seed: DemoSplitMix64.mix(seed ^ DemoSplitMix64.mix(index &+ 0x632B_E59B_D9B4_E019)))
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = Self.rotate(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = Self.rotate(s3, 45)
        return result
    }

    @inline(__always)
    private static func rotate(_ value: UInt64, _ amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 - amount))
    }

    /// A uniform integer in `0..<bound` (Lemire's multiply-and-reject: exact, no modulo bias).
    @inline(__always)
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        let n = UInt64(bound)
        var product = next().multipliedFullWidth(by: n)
        if product.low < n {
            let threshold = (0 &- n) % n
            while product.low < threshold {
                product = next().multipliedFullWidth(by: n)
            }
        }
        return Int(product.high)
    }

    /// A uniform integer in `range`.
    @inline(__always)
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// A uniform double in [0, 1), from the top 53 bits.
    @inline(__always)
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// True with probability `p`.
    @inline(__always)
    mutating func chance(_ p: Double) -> Bool {
        unit() < p
    }

    /// A roughly standard normal deviate: the Irwin–Hall sum of four uniforms, rescaled to
    /// unit variance. Bounded to ±3.46, which suits synthetic data (no absurd outliers) and
    /// needs no transcendental function.
    @inline(__always)
    mutating func normal() -> Double {
        let sum = unit() + unit() + unit() + unit()
        return (sum - 2) * 1.7320508075688772
    }

    /// An element of a non-empty array.
    @inline(__always)
    mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    /// An index into a table of cumulative weights (the last entry is the total).
    mutating func weighted(_ cumulative: [Double]) -> Int {
        let target = unit() * cumulative[cumulative.count - 1]
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// A Zipf-like index in `0..<count`: early entries (the common names) come up far more
    /// often than late ones, as in a real registry.
    @inline(__always)
    mutating func skewed(_ count: Int) -> Int {
        let u = unit()
        return min(count - 1, Int(u * u * Double(count)))
    }
}


/// Arithmetic the generator needs, written out so that results are bit-identical across
/// platforms.
enum DemoMath {
    /// A smooth S-curve from 0 to 1 with `squash(0) == 0.5`; stands in for the logistic
    /// function without calling `exp`.
    @inline(__always)
    static func squash(_ x: Double) -> Double {
        0.5 + 0.5 * x / (1 + abs(x))
    }

    /// A probability that moves from `low` (very poor) to `high` (well off) with welfare.
    @inline(__always)
    static func ramp(_ x: Double, _ low: Double, _ high: Double) -> Double {
        low + (high - low) * squash(x)
    }

    /// e^x by range reduction and a Taylor polynomial: only +, × and exact scaling by a
    /// power of two, so it is deterministic (libm's `exp` may differ in the last bit).
    static func exp(_ x: Double) -> Double {
        let ln2 = 0.6931471805599453
        let clamped = max(-700, min(700, x))
        let n = (clamped / ln2).rounded()
        let r = clamped - n * ln2
        var term = 1.0
        var sum = 1.0
        for k in 1...13 {
            term = term * r / Double(k)
            sum += term
        }
        return Double(sign: .plus, exponent: Int(n), significand: sum)
    }

    @inline(__always)
    static func clamp(_ value: Int, _ low: Int, _ high: Int) -> Int {
        min(high, max(low, value))
    }
}

/// Bijective scrambles of an index, used to turn person numbers into document numbers that
/// look random yet never collide.
enum DemoScramble {
    /// A bijection of `0..<(1 << bits)` keyed by `key`: xor-shift and odd-multiply steps,
    /// each of which is invertible modulo a power of two.
    static func permute(_ value: UInt64, bits: UInt64, key: UInt64) -> UInt64 {
        let mask: UInt64 = (1 << bits) - 1
        let half = bits / 2
        var x = value & mask
        x = (x ^ (key & mask)) & mask
        x = (x &* 0x9E37_79B9_7F4A_7C15) & mask
        x ^= x >> half
        x = (x &* 0xD6E8_FEB8_6659_FD93) & mask
        x ^= x >> (half + 1)
        x = (x &* 0xA076_1D64_78BD_642F) & mask
        x ^= x >> half
        x = (x ^ ((key >> 32) & mask)) & mask
        return x
    }
}
