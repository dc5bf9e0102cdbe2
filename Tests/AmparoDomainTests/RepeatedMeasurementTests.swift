import Testing
import AmparoDomain

@Suite("Figures measured several times")
struct RepeatedMeasurementTests {
    @Test("the median is the middle value, or the mean of the two middle ones; the range is the lowest and highest")
    func medianAndRange() {
        var odd = RepeatedMeasurement([52.0, 48.0, 55.0])
        #expect(odd.median == 52)
        #expect(odd.lowest == 48)
        #expect(odd.highest == 55)
        odd.add(50)
        #expect(odd.median == 51)
        #expect(odd.summary { String(Int($0)) } == "51 (median of 4: 48–55)")
        #expect(RepeatedMeasurement([7]).summary { String(Int($0)) } == "7")
        #expect(RepeatedMeasurement().median == nil)
        #expect(RepeatedMeasurement().summary { String($0) } == "")
    }
}
