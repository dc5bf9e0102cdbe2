import Testing
import AmparoDomain

@Suite("Figures measured several times")
struct RepeatedMeasurementTests {
    @Test("a stage's time runs from entering it to entering the next; one entered again adds to its first visit")
    func stageTimes() {
        var times = StageTimes()
        times.enter("checking", at: 1)
        times.enter("checking", at: 2.5)
        times.enter("indexing", at: 9)
        times.enter("writing households", at: 9.25)
        times.enter("indexing", at: 20)
        times.finish(at: 26)
        #expect(times.stages.map(\.name) == ["checking", "indexing", "writing households"])
        #expect(times.stages.map(\.seconds) == [8, 6.25, 10.75])
        // Once finished, nothing runs on.
        times.finish(at: 40)
        #expect(times.stages.map(\.seconds) == [8, 6.25, 10.75])
    }

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
